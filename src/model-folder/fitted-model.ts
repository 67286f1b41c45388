/**
 * A fitted model as one object: the model, its typed model.json, and prediction on raw records with the saved
 * encoder, group index and cluster keys. `fairkit predict` goes through it, and so will a server.
 */
import { FeatureEncoder } from '../data/encoder.js';
import { buildGroups } from '../data/groups.js';
import type { PreparedSplits } from '../data/prepare.js';
import { cellText, isMissing } from '../data/table.js';
import type { Table } from '../data/types.js';
import { FairkitError } from '../errors.js';
import type { Model } from '../nn/model.js';
import { predictHead, predictProba } from '../nn/predict.js';
import { unscaleTargets } from '../data/targets.js';
import type { Needs } from '../train/method.js';
import { loadModelFolder, writeModelFolder } from './folder.js';
import { tableFromRecords, type ColumnRequest, type InputRecord, type RecordsOrigin } from './records.js';
import type { ModelFolder } from './schema.js';

export interface PredictRecordsOptions {
  /** Rows per forward pass; explicit because some models' outputs depend on it (see src/nn/predict.ts). */
  batchSize: number;
  /** Where the records came from, for messages (`fairkit predict` gives the file and its lines). */
  origin?: RecordsOrigin;
}

export interface RowPrediction {
  /** The probability of the positive label. */
  score: number;
  /** The row's training group, when its sensitive values are given and the group was seen in training. */
  groupKey?: string;
  /** Why the row was scored without its group or cluster, when it was. */
  note?: string;
}

export interface RecordsPrediction {
  rows: RowPrediction[];
  counts: {
    /** Rows whose group (from their sensitive values) was not seen in training. */
    unseenGroup: number;
    /** Rows with an empty sensitive value. */
    missingGroup: number;
    /** Rows whose cluster was not seen in training (or is empty): they get cluster id -1. */
    unseenCluster: number;
  };
  /** One line per fallback that affected rows, for a log or stderr. */
  notes: string[];
}

/** The group and cluster ids of the records, with counts and notes; ids are undefined where the records lack the columns. */
interface RowIds {
  groups?: Int32Array;
  clusters?: Int32Array;
  rowNotes: (string | undefined)[];
  counts: RecordsPrediction['counts'];
  notes: string[];
}

const ALL_GROUPS = 'normalised with the statistics of all training groups';

export class FittedModel {
  private readonly encoder: FeatureEncoder;

  private constructor(
    readonly model: Model,
    readonly folder: ModelFolder,
  ) {
    this.encoder = FeatureEncoder.fromJSON(folder.encoder);
  }

  /** Loads a model folder (model.json checked, weights.bin matched by its hash). Call `dispose()` when done. */
  static async load(dir: string): Promise<FittedModel> {
    const { folder, model } = await loadModelFolder(dir);
    try {
      return new FittedModel(model, folder);
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  /** The columns every record must have (null where a value is missing): the encoder's inputs, numeric ones first. */
  get featureColumns(): { name: string; kind: 'numeric' | 'categorical' }[] {
    return [...this.folder.encoder.numeric.map(({ name }) => ({ name, kind: 'numeric' as const })), ...this.folder.encoder.categorical.map(({ name }) => ({ name, kind: 'categorical' as const }))];
  }

  get needs(): Needs {
    return this.folder.method.needs;
  }

  /**
   * Scores records. Features are encoded with the saved encoder; when the records have the sensitive columns, each
   * row gets its training group (an unseen group or an empty value gets id -1), and with the cluster column its
   * training cluster (unseen: -1); the model gets both. Notes say how many rows fell back and why, for a method that
   * needs groups (GroupMixNorm: the statistics of all groups) and for clusters.
   */
  predictRecords(records: readonly InputRecord[], options: PredictRecordsOptions): RecordsPrediction {
    if (this.needs.labelsAtPredict) throw new FairkitError(`method '${this.folder.method.name}' needs labels at prediction, which predictRecords does not take`);
    const features = this.featureColumns;
    records.forEach((record, row) => {
      const absent = features.filter(({ name }) => !Object.hasOwn(record, name)).map(({ name }) => name);
      if (absent.length > 0) {
        const where = options.origin ? `${options.origin.source}, line ${options.origin.lines[row]}` : `record ${row + 1}`;
        throw new FairkitError(`the model needs column${absent.length > 1 ? 's' : ''} ${absent.join(', ')}, missing from the record`, { where, fix: 'Give null for a missing value' });
      }
    });
    const { groups, clusters } = this.folder;
    const requests: ColumnRequest[] = [
      ...features,
      ...(groups?.attributes ?? []).map((name): ColumnRequest => (groups?.cuts?.[name] ? { name, kind: 'numeric' } : { name })),
      ...(clusters ? [{ name: clusters.column }] : []),
    ];
    // A feature that is also sensitive keeps the encoder's type (first request wins).
    const table = tableFromRecords(records, requests, options.origin);
    const { X, nRows } = this.encoder.transform(table);
    const ids = this.rowIds(table, options.origin !== undefined);
    const inputs = { X, nRows, groups: ids.groups, clusters: ids.clusters };
    const { targetScale } = this.folder;
    // Regression: the output on the target's scale; classification with one output: its sigmoid; several: the
    // softmax of the last (the positive class of two).
    const proba = targetScale ? unscaleTargets(predictHead(this.model, inputs, { batchSize: options.batchSize }), targetScale) : predictProba(this.model, inputs, { batchSize: options.batchSize });
    const width = this.model.config.outputDim;
    const rows = Array.from({ length: nRows }, (_, row): RowPrediction => {
      const id = ids.groups?.[row] ?? -1;
      const note = ids.rowNotes[row];
      return { score: proba[row * width + width - 1], ...(id >= 0 ? { groupKey: groups!.keys[id] } : {}), ...(note ? { note } : {}) };
    });
    return { rows, counts: ids.counts, notes: ids.notes };
  }

  dispose(): void {
    this.model.dispose();
  }

  private rowIds(table: Table, fromFile: boolean): RowIds {
    const { groups: saved, clusters: savedClusters } = this.folder;
    const records = fromFile ? 'the file has' : 'the records have';
    const rowNotes: (string | undefined)[] = new Array(table.nRows).fill(undefined);
    const addNote = (row: number, note: string) => (rowNotes[row] = rowNotes[row] ? `${rowNotes[row]}; ${note}` : note);
    const counts = { unseenGroup: 0, missingGroup: 0, unseenCluster: 0 };
    const notes: string[] = [];
    const groupNote = (text: string) => {
      if (this.needs.groups) notes.push(text);
    };

    let groupIds: Int32Array | undefined;
    const absent = saved?.attributes.filter((name) => !table.columns.has(name)) ?? [];
    if (!saved) groupNote(`the model folder does not record its groups, so every row is ${ALL_GROUPS}`);
    else if (absent.length > 0) groupNote(`${records} no sensitive column ${absent.join(', ')}, so every row is ${ALL_GROUPS}`);
    else {
      const binning = Object.entries(saved.cuts ?? {}).map(([column, cuts]) => ({ column, cuts }));
      groupIds = buildGroups(table, saved.attributes, { keys: saved.keys, allowUnseen: true, missingAsUnknown: true, binning }).ids;
      for (let row = 0; row < table.nRows; row++) {
        if (saved.attributes.some((name) => isMissing(table.columns.get(name)!, row))) {
          counts.missingGroup++;
          addNote(row, 'empty sensitive value');
        } else if (groupIds[row] < 0) {
          counts.unseenGroup++;
          addNote(row, 'group not seen in training');
        }
      }
      if (counts.unseenGroup > 0) groupNote(`${counts.unseenGroup} rows belong to groups not seen in training and are ${ALL_GROUPS}`);
      if (counts.missingGroup > 0) groupNote(`${counts.missingGroup} rows have an empty sensitive value and are ${ALL_GROUPS}`);
    }

    let clusterIds: Int32Array | undefined;
    if (savedClusters) {
      const column = table.columns.get(savedClusters.column);
      const idOf = new Map(savedClusters.keys.map((key, id) => [key, id]));
      clusterIds = new Int32Array(table.nRows);
      for (let row = 0; row < table.nRows; row++) {
        const text = column ? cellText(column, row) : null;
        clusterIds[row] = text === null ? -1 : (idOf.get(text) ?? -1);
        if (clusterIds[row] < 0) {
          counts.unseenCluster++;
          addNote(row, text === null ? 'no cluster' : 'cluster not seen in training');
        }
      }
      if (!column) notes.push(`${records} no cluster column ${savedClusters.column}, so every row is predicted as an unseen cluster (id -1)`);
      else if (counts.unseenCluster > 0) notes.push(`${counts.unseenCluster} rows have a cluster not seen in training (or none) and are predicted as an unseen cluster (id -1)`);
    }
    return { groups: groupIds, clusters: clusterIds, rowNotes, counts, notes };
  }
}

export interface SaveFittedModelInput {
  model: Model;
  /** The method as registered (its name and needs are recorded) and its parsed parameters. */
  method: { name: string; needs?: Needs };
  params: Record<string, unknown>;
  prepared: PreparedSplits;
  /** The data set's name as `openDataset` takes it (a standard name, 'synthetic' or a CSV path). */
  dataset: string;
  seeds: { split: number; training: number };
  /** Train/validation/test fractions of the split. */
  fractions: number[];
}

/** Saves a model trained on prepared data, with everything prediction and `fairkit debias` read back. */
export async function saveFittedModel(dir: string, input: SaveFittedModelInput): Promise<ModelFolder> {
  const { prepared } = input;
  const { attributes, keys, privileged, cuts } = prepared.train.groups;
  const cluster = prepared.spec.cluster;
  if (cluster !== undefined && prepared.clusterKeys === undefined) throw new FairkitError(`the prepared data names cluster column "${cluster}" but has no cluster keys`);
  return writeModelFolder(dir, {
    model: input.model,
    method: { name: input.method.name, params: input.params, needs: input.method.needs ?? {} },
    encoder: prepared.encoder.toJSON(),
    groups: { attributes, keys, ...(privileged !== undefined ? { privileged: keys[privileged] } : {}), ...(cuts && Object.keys(cuts).length > 0 ? { cuts } : {}) },
    ...(cluster !== undefined ? { clusters: { column: cluster, keys: prepared.clusterKeys! } } : {}),
    ...(prepared.targetScale ? { targetScale: prepared.targetScale } : {}),
    provenance: {
      dataset: input.dataset,
      spec: prepared.spec,
      positive: prepared.positive,
      split: { fractions: input.fractions, seed: input.seeds.split },
      trainingSeed: input.seeds.training,
    },
  });
}

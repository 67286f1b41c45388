/**
 * A fitted model as one object: the model, its typed model.json, and prediction on raw records with the saved
 * encoder, group index and cluster keys. `fairkit predict` goes through it, and so will a server.
 */
import { FeatureEncoder, MISSING_CATEGORY } from '../data/encoder.js';
import { buildGroups } from '../data/groups.js';
import type { PreparedSplits } from '../data/prepare.js';
import { cellText, isMissing, selectRows } from '../data/table.js';
import type { Table } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { fairPredict, isFairProjection, sigmoid, summarizeInference, type FairInferenceSummary } from '../flayer/fair-predict.js';
import type { Model } from '../nn/model.js';
import type { FairStream } from '../stream/fair-stream.js';
import { PlainMlp } from '../nn/plain-mlp.js';
import { predictHead, predictLastHidden, predictProba } from '../nn/predict.js';
import { unscaleTargets } from '../data/targets.js';
import type { Needs } from '../train/method.js';
import { loadModelFolder, writeModelFolder, type WriteModelFolderOptions } from './folder.js';
import { tableFromRecords, type ColumnRequest, type InputRecord, type RecordsOrigin } from './records.js';
import type { ModelFolder } from './schema.js';
import type { ThresholdsState } from '../postprocess/thresholds.js';
import type { z } from 'zod';

/**
 * What happens to a row with a cell the model was not trained on (a category not seen in training) or a missing cell
 * (filled in as the encoder does: a numeric cell with the training mean; a categorical one as the `<missing>` category
 * when training had missing values there, which is not counted, else as an all-zero one-hot block):
 * - `refuse`: no score, the reason in the note;
 * - `flag` (the default): scored, the reason in the note;
 * - `impute`: scored, only the counts say so.
 * Under every policy a row with every feature empty, a feature out of range (non-finite, or more than
 * MAX_ABS_Z standard deviations from the training mean) or a non-finite score is refused.
 */
export type RowPolicy = 'refuse' | 'flag' | 'impute';
export const ROW_POLICIES: readonly RowPolicy[] = ['refuse', 'flag', 'impute'];
export const DEFAULT_ROW_POLICY: RowPolicy = 'flag';
/** A standardised feature beyond this magnitude is refused: no training data lies there, and float32 overflows. */
export const MAX_ABS_Z = 1e6;

export interface PredictRecordsOptions {
  /** Rows per forward pass; explicit because some models' outputs depend on it (see src/nn/predict.ts). */
  batchSize: number;
  /** Where the records came from, for messages (`fairkit predict` gives the file and its lines). */
  origin?: RecordsOrigin;
  /** Rows with unseen categories or missing cells: refuse, flag (default) or impute; see RowPolicy. */
  policy?: RowPolicy;
  /**
   * Score with the model's raw output, untransformed: the `raw` head of a fairness projection (before the
   * projection), else the logits; no sigmoid, no unscaling (a regression value stays standardised). A service that
   * adjusts outputs itself (the online stream of `fairkit serve`) needs them.
   */
  rawOutput?: boolean;
  /** Also compute each kept row's last hidden layer (RecordsPrediction.embeddings); refused for kinds without one. */
  embeddings?: boolean;
  /** A flayer/projection model's stream to continue for batches below b_τ (else a new one starts at λ = 0). */
  stream?: FairStream;
  /**
   * An EER model (regression flayer/projection with constraint=eer) only: each record's true target on the target's
   * own scale, for a labelled audit: every prediction batch is projected exactly onto the EER set (and box) with them.
   * Without them an EER model's outputs are only boxed (labels are unknown when predicting: methods.md §3 (v)).
   */
  targets?: ArrayLike<number>;
  /**
   * Score up to PLAIN_MAX_ROWS rows of an MLP with its plain-JavaScript pass (float64; equal to TensorFlow.js's to
   * ~1e-6, not bit for bit): a service answering single rows saves TensorFlow.js's fixed cost per call.
   */
  plainSmallBatches?: boolean;
}

export interface RowPrediction {
  /** `scored`: a finite score, nothing to say; `flagged`: a finite score and a note; `refused`: no score, a note. */
  status: 'scored' | 'flagged' | 'refused';
  /** The probability of the positive label (regression: the predicted value); null when refused, never NaN. */
  score: number | null;
  /** The row's training group, when its sensitive values are given and the group was seen in training. */
  groupKey?: string;
  /** Everything said about the row, joined by '; ' (a refused row's starts with 'refused: '). */
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
    /** Rows with a finite score (flagged ones included). */
    scored: number;
    /** Scored rows with a note. */
    flagged: number;
    /** Rows without a score. */
    refused: number;
    /** Per feature column, over all rows: missing cells filled in by the encoder (see RowPolicy). */
    imputed: Record<string, number>;
    /** Per categorical feature column, over all rows: values not seen in training. */
    unseenCategory: Record<string, number>;
    /** Per numeric feature column, over all rows: values out of range (refused). */
    outOfRange: Record<string, number>;
    /** Rows with every feature empty (refused). */
    emptyRows: number;
    /** Rows whose score came out non-finite (refused). */
    nonFiniteScores: number;
  };
  /** One line per fallback, refusal or imputation that affected rows, for a log or stderr. */
  notes: string[];
  /** A flayer/projection model: how the batches were adjusted, and the gaps of this call. */
  fairInference?: FairInferenceSummary;
  /** The stream that ran (the one given, continued, or a new one), when a batch was below b_τ. */
  stream?: FairStream;
  /** With the `embeddings` option: the last hidden layer's width and each row's values (null for a refused row). */
  embeddings?: { width: number; rows: (Float32Array | null)[] };
}

/** The group and cluster ids of the records, with counts and notes; ids are undefined where the records lack the columns. */
interface RowIds {
  groups?: Int32Array;
  clusters?: Int32Array;
  rowNotes: (string | undefined)[];
  counts: Pick<RecordsPrediction['counts'], 'unseenGroup' | 'missingGroup' | 'unseenCluster'>;
  notes: string[];
}

const ALL_GROUPS = 'normalised with the statistics of all training groups';

/** Up to this many rows an MLP's outputs come from its plain-JavaScript pass (see src/nn/plain-mlp.ts). */
export const PLAIN_MAX_ROWS = 256;

export class FittedModel {
  private readonly encoder: FeatureEncoder;
  /** The plain passes by head, made on first use (undefined: the model is not an MLP there). */
  private readonly plainHeads = new Map<string, PlainMlp | undefined>();

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

  /** Why this model takes no targets at prediction (undefined: it does, being an EER flayer/projection model). */
  targetsRefusal(): string | undefined {
    const config = this.model.config;
    if (isFairProjection(config) && config.eer) return undefined;
    const name = this.folder.method.name;
    if (isFairProjection(config)) return `the ${name} model constrains mean outputs (ECP, constraint=${String(this.folder.method.params.constraint ?? 'intersection')}), which needs no targets`;
    return `the ${name} model (kind '${config.kind}') does not use targets at prediction`;
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
    if (options.targets !== undefined && options.targets.length !== records.length) throw new FairkitError(`${records.length} records but ${options.targets.length} targets`);
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
    const policy = options.policy ?? DEFAULT_ROW_POLICY;
    if (!ROW_POLICIES.includes(policy)) throw new FairkitError(`unknown policy ${JSON.stringify(policy)} (refuse, flag or impute)`);
    const cells = this.checkCells(table, policy);
    const ids = this.rowIds(table, options.origin !== undefined);
    const { nRows } = table;
    // Rows refused on their features never reach the model (nor the statistics of a batch they would share).
    const kept = Array.from({ length: nRows }, (_, row) => row).filter((row) => !cells.refused[row]);
    const keptTable = kept.length === nRows ? table : selectRows(table, kept);
    const { X } = this.encoder.transform(keptTable);
    const pick = (ids: Int32Array | undefined) => (ids && kept.length !== nRows ? Int32Array.from(kept, (row) => ids[row]) : ids);
    const inputs = { X, nRows: kept.length, groups: pick(ids.groups), clusters: pick(ids.clusters) };
    const targets = this.scaledTargets(options, kept);
    const fair = !options.rawOutput && isFairProjection(this.model.config) && kept.length > 0 ? fairPredict(this.model, inputs, { batchSize: options.batchSize, stream: options.stream, ...(targets ? { targets } : {}) }) : undefined;
    const proba = kept.length === 0 ? new Float32Array(0) : this.outputsOf(inputs, options, fair?.outputs);
    // The representation the kept rows' scores came from (the same batches; dropout is off at inference).
    const rowName = (i: number) => (options.origin ? `${options.origin.source}, line ${options.origin.lines[kept[i]]}` : `record ${kept[i] + 1}`);
    const hidden = options.embeddings ? predictLastHidden(this.model, inputs, { batchSize: options.batchSize, rowName }) : undefined;
    const width = this.model.config.outputDim;
    const scores: (number | null)[] = new Array(nRows).fill(null);
    kept.forEach((row, i) => (scores[row] = proba[i * width + width - 1]));
    let nonFiniteScores = 0;
    const rows = Array.from({ length: nRows }, (_, row): RowPrediction => {
      const id = ids.groups?.[row] ?? -1;
      let score = scores[row];
      const reasons = [...cells.reasons[row]];
      let refused = cells.refused[row];
      if (score !== null && !Number.isFinite(score)) {
        nonFiniteScores++;
        reasons.push(`the model gave a non-finite score (${score})`);
        refused = true;
      }
      if (refused) score = null;
      if (ids.rowNotes[row]) reasons.push(ids.rowNotes[row]!);
      const note = reasons.length > 0 ? `${refused ? 'refused: ' : ''}${reasons.join('; ')}` : undefined;
      return { status: refused ? 'refused' : note ? 'flagged' : 'scored', score, ...(id >= 0 ? { groupKey: groups!.keys[id] } : {}), ...(note ? { note } : {}) };
    });
    const refused = rows.filter((row) => row.status === 'refused').length;
    const flagged = rows.filter((row) => row.status === 'flagged').length;
    const counts: RecordsPrediction['counts'] = { ...ids.counts, scored: nRows - refused, flagged, refused, imputed: cells.imputed, unseenCategory: cells.unseenCategory, outOfRange: cells.outOfRange, emptyRows: cells.emptyRows, nonFiniteScores };
    const notes = [...ids.notes, ...cellNotes(counts, policy)];
    const embeddings = hidden ? embeddingRows(hidden, kept, rows) : undefined;
    return { rows, counts, notes, ...(embeddings ? { embeddings } : {}), ...(fair ? { fairInference: summarizeInference(fair, options.batchSize) } : {}), ...(fair?.stream ? { stream: fair.stream } : {}) };
  }

  /** The kept records' targets on the model's output scale (standardised), checked; undefined without targets. */
  private scaledTargets(options: PredictRecordsOptions, kept: number[]): Float64Array | undefined {
    const { targets } = options;
    if (targets === undefined) return undefined;
    const refusal = this.targetsRefusal();
    if (refusal) throw new FairkitError(`targets are only for a regression flayer/projection model with constraint=eer; ${refusal}`);
    if (options.rawOutput) throw new FairkitError('targets project the outputs, which rawOutput asks to leave unadjusted');
    const where = (row: number) => (options.origin ? `${options.origin.source}, line ${options.origin.lines[row]}` : `record ${row + 1}`);
    const scale = this.folder.targetScale!;
    return Float64Array.from(kept, (row) => {
      const value = targets[row];
      if (!Number.isFinite(value)) throw new FairkitError(`the target is ${Number.isNaN(value) ? 'missing' : value}; the EER projection needs every scored row's target`, { where: where(row) });
      return (value - scale.mean) / scale.std;
    });
  }

  /**
   * The model's outputs for the kept rows: with `rawOutput` the raw head (a projection model's output before the
   * projection, else the logits; for a service that adjusts outputs itself); else regression values on the target's
   * scale, or for classification the sigmoid of one output (the softmax of several, the positive class last). A
   * flayer/projection model's `projected` outputs (fairPredict: exact projection of batches ≥ b_τ, the primal–dual
   * stream below) replace its raw ones.
   */
  private outputsOf(inputs: Parameters<typeof predictHead>[1], options: PredictRecordsOptions, projected: Float64Array | undefined): ArrayLike<number> {
    const { batchSize } = options;
    const { targetScale } = this.folder;
    if (options.rawOutput) {
      const head = this.model.config.kind === 'fair-projection' ? 'raw' : 'logits';
      return this.plainHead(head, inputs, options)?.forward(inputs.X, inputs.nRows) ?? predictHead(this.model, inputs, { batchSize, head });
    }
    if (projected) return targetScale ? unscaleTargets(projected, targetScale) : sigmoid(projected);
    const plain = this.plainHead('logits', inputs, options);
    if (targetScale) return unscaleTargets(plain?.forward(inputs.X, inputs.nRows) ?? predictHead(this.model, inputs, { batchSize }), targetScale);
    if (plain && plain.outputDim === 1) return sigmoid(plain.forward(inputs.X, inputs.nRows));
    return predictProba(this.model, inputs, { batchSize });
  }

  /** The plain-JavaScript pass of a head (PlainMlp), for few enough rows that it beats TensorFlow.js's fixed cost. */
  private plainHead(head: string, inputs: { nRows: number }, options: PredictRecordsOptions): PlainMlp | undefined {
    if (!options.plainSmallBatches || inputs.nRows > PLAIN_MAX_ROWS) return undefined;
    if (!this.plainHeads.has(head)) this.plainHeads.set(head, PlainMlp.of(this.model, head));
    return this.plainHeads.get(head);
  }

  /**
   * Per row: the reasons its cells give (under the policy) and whether they refuse it; per column: the counts. See
   * RowPolicy for what is refused, flagged and imputed.
   */
  private checkCells(table: Table, policy: RowPolicy) {
    const { nRows } = table;
    const reasons: string[][] = Array.from({ length: nRows }, () => []);
    const refused: boolean[] = new Array(nRows).fill(false);
    const missingCells = new Int32Array(nRows);
    const imputed: Record<string, number> = {};
    const unseenCategory: Record<string, number> = {};
    const outOfRange: Record<string, number> = {};
    const bump = (counts: Record<string, number>, name: string) => (counts[name] = (counts[name] ?? 0) + 1);
    // A cell the policy decides on: refused, flagged (a reason) or imputed silently.
    const byPolicy = (row: number, reason: string) => {
      if (policy === 'impute') return;
      reasons[row].push(reason);
      if (policy === 'refuse') refused[row] = true;
    };
    const { numeric, categorical } = this.folder.encoder;
    for (const { name, mean, std } of numeric) {
      const column = table.columns.get(name)!;
      if (column.kind !== 'numeric') continue; // the encoder names the mismatch
      for (let row = 0; row < nRows; row++) {
        const value = column.values[row];
        if (Number.isNaN(value)) {
          missingCells[row]++;
          bump(imputed, name);
          byPolicy(row, `${name} missing (imputed with the training mean)`);
          continue;
        }
        const z = (value - mean) / std;
        if (!Number.isFinite(z) || Math.abs(z) > MAX_ABS_Z) {
          bump(outOfRange, name);
          reasons[row].push(`${name} = ${value} is out of range (more than ${MAX_ABS_Z} standard deviations from the training mean)`);
          refused[row] = true;
        }
      }
    }
    for (const { name, categories } of categorical) {
      const column = table.columns.get(name)!;
      if (column.kind !== 'categorical') continue;
      const known = new Set(categories);
      for (let row = 0; row < nRows; row++) {
        const value = column.values[row];
        if (value === null) {
          missingCells[row]++;
          if (known.has(MISSING_CATEGORY)) continue; // seen in training: a category like any other
          bump(imputed, name);
          byPolicy(row, `${name} missing (encoded as no category)`);
        } else if (!known.has(value)) {
          bump(unseenCategory, name);
          byPolicy(row, `${name} ${JSON.stringify(value)} not seen in training (encoded as no category)`);
        }
      }
    }
    const width = numeric.length + categorical.length;
    let emptyRows = 0;
    for (let row = 0; row < nRows; row++) {
      if (width > 0 && missingCells[row] === width) {
        emptyRows++;
        reasons[row] = ['every feature is empty'];
        refused[row] = true;
      }
    }
    return { reasons, refused, imputed, unseenCategory, outOfRange, emptyRows };
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

/** Stderr lines for the cell counts: refusals always, imputations and unseen categories under every policy. */
function cellNotes(counts: RecordsPrediction['counts'], policy: RowPolicy): string[] {
  const list = (byColumn: Record<string, number>) => Object.entries(byColumn).map(([name, n]) => `${name} ${n}`).join(', ');
  const total = (byColumn: Record<string, number>) => Object.values(byColumn).reduce((a, b) => a + b, 0);
  const notes: string[] = [];
  const imputed = total(counts.imputed);
  const unseen = total(counts.unseenCategory);
  const action = policy === 'refuse' ? 'their rows refused' : policy === 'flag' ? 'their rows scored and flagged' : 'their rows scored';
  if (imputed > 0) notes.push(`${imputed} missing cells (${list(counts.imputed)}) filled in (numeric: the training mean; categorical: no category), ${action}`);
  if (unseen > 0) notes.push(`${unseen} categories not seen in training (${list(counts.unseenCategory)}) encoded as no category, ${action}`);
  const outOfRange = total(counts.outOfRange);
  if (outOfRange > 0) notes.push(`${outOfRange} values out of range (${list(counts.outOfRange)}; more than ${MAX_ABS_Z} standard deviations from the training mean), their rows refused`);
  if (counts.emptyRows > 0) notes.push(`${counts.emptyRows} rows with every feature empty refused`);
  if (counts.nonFiniteScores > 0) notes.push(`${counts.nonFiniteScores} rows with a non-finite score refused`);
  return notes;
}

/** Per row, its slice of the kept rows' hidden values; null for a row refused (before or after the model ran). */
function embeddingRows(hidden: { width: number; values: Float32Array }, kept: number[], rows: RowPrediction[]): { width: number; rows: (Float32Array | null)[] } {
  const { width, values } = hidden;
  const out: (Float32Array | null)[] = new Array(rows.length).fill(null);
  kept.forEach((row, i) => (out[row] = rows[row].status === 'refused' ? null : values.subarray(i * width, (i + 1) * width)));
  return { width, rows: out };
}

export interface SaveFittedModelInput {
  model: Model;
  /** The method as registered (its name and needs are recorded) and its parsed parameters. */
  method: { name: string; needs?: Needs };
  params: Record<string, unknown>;
  prepared: PreparedSplits;
  /** The data set's name as `openDataset` takes it (a standard name, 'synthetic' or a CSV path). */
  dataset: string;
  seeds: { split: number; training: number; data?: number };
  /** Train/validation/test fractions of the split. */
  fractions: number[];
  /** The run's id, shared with the run's other files (default: a new one). */
  runId?: string;
  /** A fitted post-processor's state (src/postprocess/), applied by predict. */
  postprocessor?: ThresholdsState;
}

/** Saves a model trained on prepared data, with everything prediction and `fairkit debias` read back. */
export async function saveFittedModel(dir: string, input: SaveFittedModelInput, options: WriteModelFolderOptions = {}): Promise<ModelFolder> {
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
    ...(input.postprocessor ? { postprocessor: input.postprocessor as unknown as z.core.util.JSONType } : {}),
    provenance: {
      dataset: input.dataset,
      spec: prepared.spec,
      positive: prepared.positive,
      split: { fractions: input.fractions, seed: input.seeds.split },
      trainingSeed: input.seeds.training,
      ...(input.seeds.data !== undefined ? { dataSeed: input.seeds.data } : {}),
      ...(input.runId !== undefined ? { runId: input.runId } : {}),
    },
  }, options);
}

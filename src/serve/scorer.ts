/**
 * From a request's records to predictions: the columns checked, the rows scored by the FittedModel, then adjusted by
 * the model's post-processor (the online stream for F-Layer and projection models, group thresholds for a model saved
 * with `--postprocess thresholds:…`; none for the others) and recorded in the serve state. `apply` must run in the serial queue: the stream's guarantee depends on one order of updates.
 */
import { FairkitError } from '../errors.js';
import type { FittedModel, RowPolicy } from '../model-folder/fitted-model.js';
import type { InputRecord } from '../model-folder/records.js';
import { savedPostprocessor } from '../postprocess/saved-state.js';
import { positiveProbability, type ThresholdsState } from '../postprocess/thresholds.js';
import { isFairProjection, logistic } from '../flayer/fair-predict.js';
import { FairStream } from '../stream/index.js';
import { ServeState, type RowEffect, type StateChange } from './serve-state.js';

export interface Prediction {
  id: number;
  /** The model's score: a probability (regression: a value), before any adjustment; null for a refused row. */
  score: number | null;
  /** The score after the post-processor (equal to score without one; with thresholds: the probability of a positive). */
  adjusted: number | null;
  /** adjusted ≥ threshold (classification; with thresholds: a seeded draw below adjusted); null for regression and refused rows. */
  decision: 0 | 1 | null;
  group?: string;
  note?: string;
}

export interface ScorerOptions {
  threshold: number;
  policy: RowPolicy;
  /** Base dual step of the stream (F-Layer and projection models). */
  eta0: number;
  maxPending: number;
}

/** A client error: its status and a message that names what and where. */
export class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The uniform draw of a thresholds model's row, from the state's seed and the row's id (a 32-bit integer hash,
 * murmur3's finaliser): the same id gets the same decision after a restart, whatever the requests' sizes were.
 */
export function rowUniform(seed: number, id: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ id) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

export class Scorer {
  readonly state: ServeState;
  /** The columns a record must have, and those it may have. */
  readonly required: string[];
  readonly allowed: Set<string>;
  readonly regression: boolean;
  readonly groupKeys: string[];
  /** Each training group's index, by key (the stream's and the tallies' group ids). */
  private readonly groupIndex: Map<string, number>;
  /** The saved group thresholds, when the model has them (classification only). */
  readonly thresholds: ThresholdsState | null;

  constructor(
    private readonly fitted: FittedModel,
    private readonly options: ScorerOptions,
  ) {
    const { folder } = fitted;
    this.regression = folder.targetScale !== undefined;
    this.groupKeys = folder.groups?.keys ?? [];
    this.groupIndex = new Map(this.groupKeys.map((key, index) => [key, index]));
    const cluster = folder.clusters?.column;
    this.required = [...new Set([...fitted.featureColumns.map(({ name }) => name), ...(folder.groups?.attributes ?? []), ...(cluster && fitted.needs.clusters ? [cluster] : [])])];
    this.allowed = new Set([...this.required, ...(cluster ? [cluster] : [])]);
    const config = fitted.model.config;
    // An EER model has no label-free stream (its predictions are only boxed, in predictRecords).
    const stream = isFairProjection(config) && !config.eer ? new FairStream({ epsilon: config.epsilon, eta0: options.eta0, groups: config.nGroups, ...(config.box ? { box: [config.box.lower, config.box.upper] as const } : {}) }) : null;
    this.thresholds = savedPostprocessor(folder.postprocessor, 'model.json');
    this.state = new ServeState(folder.weights.sha256, this.groupKeys.length, stream, options.maxPending);
  }

  get stream(): FairStream | null {
    return this.state.stream;
  }

  /** Checks the records' columns (before the queue: a bad request never waits for, nor touches, the state). */
  check(records: readonly InputRecord[]): void {
    if (records.length === 0) throw new RequestError(400, 'no rows: give at least one');
    records.forEach((record, index) => {
      const unknown = Object.keys(record).filter((name) => !this.allowed.has(name));
      if (unknown.length > 0) throw new RequestError(400, `row ${index + 1}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => JSON.stringify(name)).join(', ')} (the model reads ${[...this.allowed].join(', ')})`);
      const missing = this.required.filter((name) => !Object.hasOwn(record, name));
      if (missing.length > 0) throw new RequestError(400, `row ${index + 1}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (give null for a missing value)`);
    });
  }

  /**
   * Scores, adjusts and records the rows; returns the predictions and the change of state (for the log). Throws a
   * RequestError, leaving the state unchanged, for bad values.
   */
  apply(records: readonly InputRecord[]): { predictions: Prediction[]; change: StateChange } {
    let predicted;
    try {
      // A stream adjusts the raw outputs (logits) itself; other models give their score directly.
      predicted = this.fitted.predictRecords(records, { batchSize: Math.max(1, records.length), policy: this.options.policy, rawOutput: this.stream !== null, plainSmallBatches: true });
    } catch (error) {
      if (error instanceof FairkitError) throw new RequestError(400, error.message);
      throw error;
    }
    const rows = predicted.rows;
    const groupIds = rows.map((row) => (row.groupKey === undefined ? -1 : (this.groupIndex.get(row.groupKey) ?? -1)));
    const kept = rows.flatMap((row, index) => (row.score === null ? [] : [index]));
    const thresholds = this.thresholds;
    if (thresholds) {
      // Thresholds are per group: a scored row of a group they do not know is refused with the whole
      // request, before the stream moves.
      const unknown = kept.filter((index) => rows[index].groupKey === undefined || !Object.hasOwn(thresholds.groups, rows[index].groupKey!));
      if (unknown.length > 0) throw new RequestError(400, `row${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).map((index) => index + 1).join(', ')}${unknown.length > 5 ? ', …' : ''}: this model's thresholds need a group they were fitted on (${Object.keys(thresholds.groups).join(', ')})`);
    }
    let adjustedRaw = new Map<number, number>();
    if (this.stream && kept.length > 0) {
      // The guarantee is over groups: a row without one cannot enter the stream, so the request is refused whole.
      const lost = kept.filter((index) => groupIds[index] < 0);
      if (lost.length > 0) throw new RequestError(400, `row${lost.length > 1 ? 's' : ''} ${lost.slice(0, 5).map((index) => index + 1).join(', ')}${lost.length > 5 ? ', …' : ''}: ${rows[lost[0]].note ?? 'no group'}; this model's stream needs a group seen in training (${this.groupKeys.join(', ')})`);
      const adjusted = this.stream.update(Float64Array.from(kept, (index) => rows[index].score!), Int32Array.from(kept, (index) => groupIds[index]));
      adjustedRaw = new Map(kept.map((index, i) => [index, adjusted[i]]));
    }
    // Every row takes the next id in order, refused ones too (a thresholds draw is keyed on it).
    const firstId = this.state.nextId;
    const effects = rows.map((row, index): RowEffect => {
      if (row.score === null) return null;
      const streamed = this.stream ? this.output(adjustedRaw.get(index)!) : row.score;
      if (thresholds) {
        // The thresholds were fitted on the model's final scores (a stream model's adjusted ones).
        const probability = positiveProbability(thresholds, row.groupKey!, streamed);
        return [groupIds[index], rowUniform(thresholds.seed, firstId + index) < probability ? 1 : 0, probability];
      }
      return [groupIds[index], this.regression ? null : streamed >= this.options.threshold ? 1 : 0, streamed];
    });
    const ids = this.state.recordPredict(effects);
    const predictions = rows.map((row, index): Prediction => {
      const extra = { ...(row.groupKey !== undefined ? { group: row.groupKey } : {}), ...(row.note ? { note: row.note } : {}) };
      const effect = effects[index];
      if (effect === null) return { id: ids[index], score: null, adjusted: null, decision: null, ...extra };
      return { id: ids[index], score: this.stream ? this.output(row.score!) : row.score!, adjusted: effect[2], decision: effect[1], ...extra };
    });
    return { predictions, change: { rows: effects, stream: this.stream ? this.stream.snapshot() : null } };
  }

  /** A raw output of a stream model (logit; regression: standardised value) on the scale a client reads. */
  private output(raw: number): number {
    const scale = this.fitted.folder.targetScale;
    return scale ? raw * scale.std + scale.mean : logistic(raw);
  }
}

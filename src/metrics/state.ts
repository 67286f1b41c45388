import { FairkitError } from '../errors.js';
import { GrowableFloat64, GrowableInt32 } from './growable.js';
import { encodeFloats } from './json-codec.js';
import { rowLogLoss } from './log-loss.js';
import { decodeMetricState, type MetricStateJson } from './state-json.js';

/** One batch of rows. `yPred` defaults to `scores >= threshold` (threshold 0.5). */
export interface MetricBatch {
  yTrue: ArrayLike<number>;
  yPred?: ArrayLike<number>;
  /** Predicted probabilities of the positive class (any real score works for AP/ROC-AUC). */
  scores?: ArrayLike<number>;
  /** The model's outputs before the sigmoid (for meanLogitGap); finite. */
  logits?: ArrayLike<number>;
  /** Group id of each row, in [0, nGroups). */
  groups: ArrayLike<number>;
  /** Non-negative sample weights (default 1). */
  weights?: ArrayLike<number>;
  threshold?: number;
}

export interface MetricStateOptions {
  /**
   * Keep every row's score, label, prediction, group and weight (12–20 bytes a row; default true). They make
   * AP, ROC-AUC and abcc exact and let the bootstrap resample. With false, memory is O(groups) and those three
   * are null.
   */
  keepRows?: boolean;
}

/** Rows as kept by a state. `codes[i]` packs group·4 + 2·label + prediction. */
export interface KeptRows {
  codes: Int32Array;
  /** NaN for rows that came without a score. */
  scores: Float64Array;
  weights: Float64Array | null;
}

/**
 * Mergeable sufficient statistics of a binary classifier's predictions per group: weighted confusion counts
 * (always), weighted log-loss sums, and optionally the rows themselves for the ranking metrics.
 */
export class MetricState {
  readonly nGroups: number;
  readonly keepRows: boolean;
  /** Rows per group (unweighted). */
  readonly rows: Float64Array;
  /** Weighted confusion counts, index group·4 + 2·label + prediction: tn, fp, fn, tp. */
  readonly confusion: Float64Array;
  /** Weighted sum of per-row log loss per group, over rows whose score lies in [0, 1]. */
  readonly logLossSum: Float64Array;
  /** Rows that came without a score (then no score-based metric is defined). */
  rowsWithoutScores = 0;
  /** Rows whose score lies outside [0, 1] (then the probability metrics logLoss and abcc are undefined). */
  scoresOutsideUnitInterval = 0;
  /** Weighted sum of the logits per group, over rows that came with one. */
  readonly logitSum: Float64Array;
  /** Rows that came without a logit (then meanLogitGap is undefined). */
  rowsWithoutLogits = 0;
  private readonly keptCodes = new GrowableInt32();
  private readonly keptScores = new GrowableFloat64();
  private keptWeights: GrowableFloat64 | null = null;

  constructor(nGroups: number, options: MetricStateOptions = {}) {
    if (!Number.isInteger(nGroups) || nGroups < 1 || nGroups > 2 ** 28) {
      throw new FairkitError(`the number of groups must be an integer from 1 to 2^28, got ${nGroups}`, {
        where: 'MetricState',
      });
    }
    this.nGroups = nGroups;
    this.keepRows = options.keepRows ?? true;
    this.rows = new Float64Array(nGroups);
    this.confusion = new Float64Array(4 * nGroups);
    this.logLossSum = new Float64Array(nGroups);
    this.logitSum = new Float64Array(nGroups);
  }

  get totalRows(): number {
    return this.rows.reduce((sum, r) => sum + r, 0);
  }

  /** Whether every row so far has a score. */
  get hasScores(): boolean {
    return this.rowsWithoutScores === 0 && this.totalRows > 0;
  }

  /** Whether every row so far has a logit. */
  get hasLogits(): boolean {
    return this.rowsWithoutLogits === 0 && this.totalRows > 0;
  }

  /** The kept rows (views, valid until the next update), or null when rows are not kept. */
  keptRows(): KeptRows | null {
    if (!this.keepRows) return null;
    return {
      codes: this.keptCodes.view(),
      scores: this.keptScores.view(),
      weights: this.keptWeights?.view() ?? null,
    };
  }

  /** Adds a batch. A bad batch raises a FairkitError and leaves the state unchanged. */
  update(batch: MetricBatch): void {
    const n = validateBatch(batch, this.nGroups);
    const { yTrue, yPred, scores, logits, groups, weights } = batch;
    const threshold = batch.threshold ?? 0.5;
    const { rows, confusion, logLossSum, logitSum } = this;
    const keep = this.keepRows;
    const offset = this.keptCodes.length;
    const codesOut = keep ? this.keptCodes.reserve(n) : null;
    const scoresOut = keep ? this.keptScores.reserve(n) : null;
    const weightsOut = keep && weights !== undefined ? this.weightsStore().reserve(n) : null;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const y = yTrue[i];
      const g = groups[i];
      const w = weights === undefined ? 1 : weights[i];
      let prediction: number;
      let s = NaN;
      if (scores === undefined) prediction = yPred![i];
      else {
        s = scores[i];
        prediction = yPred === undefined ? (s >= threshold ? 1 : 0) : yPred[i];
        if (s >= 0 && s <= 1) logLossSum[g] += w * rowLogLoss(y, s);
        else outside++;
      }
      if (logits !== undefined) logitSum[g] += w * logits[i];
      const code = 4 * g + 2 * y + prediction;
      rows[g]++;
      confusion[code] += w;
      if (codesOut !== null) {
        codesOut[offset + i] = code;
        scoresOut![offset + i] = s;
        if (weightsOut !== null) weightsOut[offset + i] = w;
      }
    }
    if (scores === undefined) this.rowsWithoutScores += n;
    if (logits === undefined) this.rowsWithoutLogits += n;
    this.scoresOutsideUnitInterval += outside;
    if (keep) {
      this.keptCodes.length += n;
      this.keptScores.length += n;
      if (this.keptWeights !== null) {
        if (weightsOut === null) this.keptWeights.reserve(n).fill(1, offset, offset + n);
        this.keptWeights.length += n;
      }
    }
  }

  /** Adds `other`'s rows to this state (this state changes; `other` does not) and returns this state. */
  merge(other: MetricState): MetricState {
    if (other.nGroups !== this.nGroups) {
      throw new FairkitError(`cannot merge a state of ${other.nGroups} groups into one of ${this.nGroups}`, {
        where: 'MetricState.merge',
      });
    }
    if (other.keepRows !== this.keepRows) {
      throw new FairkitError('cannot merge a state that keeps rows with one that does not', {
        where: 'MetricState.merge',
        fix: 'create both states with the same keepRows option',
      });
    }
    if (this.keepRows) {
      const rows = other.keptCodes.length;
      const offset = this.keptCodes.length;
      this.keptCodes.append(other.keptCodes.view());
      this.keptScores.append(other.keptScores.view());
      if (other.keptWeights !== null) this.weightsStore().append(other.keptWeights.view());
      else if (this.keptWeights !== null) {
        this.keptWeights.reserve(rows).fill(1, offset, offset + rows);
        this.keptWeights.length += rows;
      }
    }
    addInto(this.rows, other.rows);
    addInto(this.confusion, other.confusion);
    addInto(this.logLossSum, other.logLossSum);
    addInto(this.logitSum, other.logitSum);
    this.rowsWithoutLogits += other.rowsWithoutLogits;
    this.rowsWithoutScores += other.rowsWithoutScores;
    this.scoresOutsideUnitInterval += other.scoresOutsideUnitInterval;
    return this;
  }

  /**
   * The state as plain JSON (format 'fairkit-metric-state', version 1): sums and kept rows written exactly, so
   * that MetricState.fromJSON gives a state that merges and computes as this one (rows without a score: null).
   */
  toJSON(): MetricStateJson {
    const kept = this.keptRows();
    return {
      format: 'fairkit-metric-state',
      version: 1,
      nGroups: this.nGroups,
      keepRows: this.keepRows,
      rows: Array.from(this.rows),
      confusion: encodeFloats(this.confusion),
      logLossSum: encodeFloats(this.logLossSum),
      rowsWithoutScores: this.rowsWithoutScores,
      scoresOutsideUnitInterval: this.scoresOutsideUnitInterval,
      logitSum: encodeFloats(this.logitSum),
      rowsWithoutLogits: this.rowsWithoutLogits,
      kept:
        kept === null
          ? null
          : {
              codes: Array.from(kept.codes),
              scores: encodeFloats(kept.scores),
              weights: kept.weights === null ? null : encodeFloats(kept.weights),
            },
    };
  }

  /** A state from toJSON's output (the object or its JSON text), validated; a FairkitError names what is wrong. */
  static fromJSON(json: unknown): MetricState {
    const parts = decodeMetricState(json);
    const state = new MetricState(parts.nGroups, { keepRows: parts.keepRows });
    state.rows.set(parts.rows);
    state.confusion.set(parts.confusion);
    state.logLossSum.set(parts.logLossSum);
    state.rowsWithoutScores = parts.rowsWithoutScores;
    state.scoresOutsideUnitInterval = parts.scoresOutsideUnitInterval;
    state.logitSum.set(parts.logitSum);
    state.rowsWithoutLogits = parts.rowsWithoutLogits;
    if (parts.kept !== null) {
      state.keptCodes.append(parts.kept.codes);
      state.keptScores.append(parts.kept.scores);
      if (parts.kept.weights !== null) {
        state.keptWeights = new GrowableFloat64();
        state.keptWeights.append(parts.kept.weights);
      }
    }
    return state;
  }

  /** The weights store, created on first use with weight 1 for the rows kept so far. */
  private weightsStore(): GrowableFloat64 {
    if (this.keptWeights === null) {
      this.keptWeights = new GrowableFloat64();
      this.keptWeights.reserve(this.keptCodes.length).fill(1, 0, this.keptCodes.length);
      this.keptWeights.length = this.keptCodes.length;
    }
    return this.keptWeights;
  }
}

/** Checks every entry of a batch before anything is added; returns the row count. */
function validateBatch(batch: MetricBatch, nGroups: number): number {
  const { yTrue, yPred, scores, groups, weights } = batch;
  const n = yTrue.length;
  if (yPred === undefined && scores === undefined) {
    throw batchError('neither yPred nor scores given', 'pass hard predictions (yPred), scores, or both');
  }
  for (const name of ['yPred', 'scores', 'logits', 'groups', 'weights'] as const) {
    const values = batch[name];
    if (values !== undefined && values.length !== n) {
      throw batchError(`${name} has ${values.length} entries but yTrue has ${n}`);
    }
  }
  const threshold = batch.threshold ?? 0.5;
  if (!Number.isFinite(threshold)) throw batchError(`threshold is ${threshold}; it must be a finite number`);
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    if (y !== 0 && y !== 1) throw batchError(`yTrue[${i}] is ${y}; labels must be 0 or 1`);
    const g = groups[i];
    if ((g | 0) !== g || g < 0 || g >= nGroups) {
      throw batchError(`groups[${i}] is ${g}; group ids must be integers in [0, ${nGroups})`);
    }
  }
  if (yPred !== undefined) {
    for (let i = 0; i < n; i++) {
      const p = yPred[i];
      if (p !== 0 && p !== 1) throw batchError(`yPred[${i}] is ${p}; predictions must be 0 or 1`);
    }
  }
  if (scores !== undefined) {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(scores[i])) throw batchError(`scores[${i}] is ${scores[i]}; scores must be finite numbers`);
    }
  }
  if (batch.logits !== undefined) {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(batch.logits[i])) throw batchError(`logits[${i}] is ${batch.logits[i]}; logits must be finite numbers`);
    }
  }
  if (weights !== undefined) {
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!(w >= 0 && w < Infinity)) throw batchError(`weights[${i}] is ${w}; weights must be finite and >= 0`);
    }
  }
  return n;
}

function batchError(what: string, fix?: string): FairkitError {
  return new FairkitError(what, { where: 'metrics batch', fix });
}

function addInto(target: Float64Array, source: Float64Array): void {
  for (let i = 0; i < target.length; i++) target[i] += source[i];
}

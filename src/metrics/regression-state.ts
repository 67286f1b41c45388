import { FairkitError } from '../errors.js';
import { GrowableFloat64, GrowableInt32 } from './growable.js';
import { encodeFloats } from './json-codec.js';
import { decodeRegressionState, type RegressionStateJson } from './regression-state-json.js';
import { combineSlices, emptySlice, slicesOfRows, type RegressionSlice } from './regression-sums.js';

/** One batch of a regressor's rows. */
export interface RegressionBatch {
  /** True values (finite numbers). */
  yTrue: ArrayLike<number>;
  /** Predictions (finite numbers). */
  yPred: ArrayLike<number>;
  /** Group id of each row, in [0, nGroups). */
  groups: ArrayLike<number>;
  /** Non-negative sample weights (default 1). */
  weights?: ArrayLike<number>;
}

export interface RegressionStateOptions {
  /**
   * Keep every row's group, label, prediction and weight (20–28 bytes a row; default true): ksDistance is
   * computed exactly from them and the bootstrap resamples them. With false, memory is O(groups) and ksDistance
   * is null.
   */
  keepRows?: boolean;
}

/** Rows as kept by a state (views, valid until the next update). */
export interface KeptRegressionRows {
  groups: Int32Array;
  labels: Float64Array;
  predictions: Float64Array;
  weights: Float64Array | null;
}

/**
 * Mergeable sufficient statistics of a regressor's predictions per group (see RegressionSlice), and optionally
 * the rows themselves: the regression counterpart of MetricState. States built from any split of the rows merge
 * into the state of all rows (sums exactly, the label moments to rounding).
 */
export class RegressionState {
  readonly nGroups: number;
  readonly keepRows: boolean;
  private readonly slices: RegressionSlice[];
  private readonly keptGroups = new GrowableInt32();
  private readonly keptLabels = new GrowableFloat64();
  private readonly keptPredictions = new GrowableFloat64();
  private keptWeights: GrowableFloat64 | null = null;

  constructor(nGroups: number, options: RegressionStateOptions = {}) {
    if (!Number.isInteger(nGroups) || nGroups < 1 || nGroups > 2 ** 28) {
      throw new FairkitError(`the number of groups must be an integer from 1 to 2^28, got ${nGroups}`, {
        where: 'RegressionState',
      });
    }
    this.nGroups = nGroups;
    this.keepRows = options.keepRows ?? true;
    this.slices = Array.from({ length: nGroups }, emptySlice);
  }

  /** The statistics of group g (a copy). */
  slice(g: number): RegressionSlice {
    return { ...this.slices[g] };
  }

  /** The statistics of every group (copies), in id order. */
  groupSlices(): RegressionSlice[] {
    return this.slices.map((slice) => ({ ...slice }));
  }

  get totalRows(): number {
    return this.slices.reduce((sum, slice) => sum + slice.count, 0);
  }

  /** The kept rows, or null when rows are not kept. */
  keptRows(): KeptRegressionRows | null {
    if (!this.keepRows) return null;
    return {
      groups: this.keptGroups.view(),
      labels: this.keptLabels.view(),
      predictions: this.keptPredictions.view(),
      weights: this.keptWeights?.view() ?? null,
    };
  }

  /** Adds a batch. A bad batch raises a FairkitError and leaves the state unchanged. */
  update(batch: RegressionBatch): void {
    const n = validateBatch(batch, this.nGroups);
    const { yTrue, yPred, groups, weights } = batch;
    const batchSlices = slicesOfRows({ groups, labels: yTrue, predictions: yPred, weights: weights ?? null }, this.nGroups);
    batchSlices.forEach((slice, g) => (this.slices[g] = combineSlices(this.slices[g], slice)));
    if (!this.keepRows) return;
    const offset = this.keptGroups.length;
    this.keptGroups.reserve(n).set(Int32Array.from(groups), offset);
    this.keptLabels.reserve(n).set(Float64Array.from(yTrue), offset);
    this.keptPredictions.reserve(n).set(Float64Array.from(yPred), offset);
    this.keptGroups.length += n;
    this.keptLabels.length += n;
    this.keptPredictions.length += n;
    if (weights !== undefined) this.weightsStore(offset).append(Float64Array.from(weights));
    else if (this.keptWeights !== null) this.appendOnes(this.keptWeights, n);
  }

  /** Adds `other`'s rows to this state (this state changes; `other` does not) and returns this state. */
  merge(other: RegressionState): RegressionState {
    if (other.nGroups !== this.nGroups) {
      throw new FairkitError(`cannot merge a state of ${other.nGroups} groups into one of ${this.nGroups}`, {
        where: 'RegressionState.merge',
      });
    }
    if (other.keepRows !== this.keepRows) {
      throw new FairkitError('cannot merge a state that keeps rows with one that does not', {
        where: 'RegressionState.merge',
        fix: 'create both states with the same keepRows option',
      });
    }
    if (this.keepRows) {
      const offset = this.keptGroups.length;
      const rows = other.keptGroups.length;
      this.keptGroups.append(other.keptGroups.view());
      this.keptLabels.append(other.keptLabels.view());
      this.keptPredictions.append(other.keptPredictions.view());
      if (other.keptWeights !== null) this.weightsStore(offset).append(other.keptWeights.view());
      else if (this.keptWeights !== null) this.appendOnes(this.keptWeights, rows);
    }
    other.slices.forEach((slice, g) => (this.slices[g] = combineSlices(this.slices[g], slice)));
    return this;
  }

  /**
   * The state as plain JSON (format 'fairkit-regression-state', version 1), doubles written exactly, so that
   * RegressionState.fromJSON gives a state that merges and computes as this one.
   */
  toJSON(): RegressionStateJson {
    const field = (key: keyof RegressionSlice) => encodeFloats(this.slices.map((slice) => slice[key]));
    const kept = this.keptRows();
    return {
      format: 'fairkit-regression-state',
      version: 1,
      nGroups: this.nGroups,
      keepRows: this.keepRows,
      rows: this.slices.map((slice) => slice.count),
      weight: field('weight'),
      labelMean: field('labelMean'),
      labelM2: field('labelM2'),
      predictionSum: field('predictionSum'),
      residualSum: field('residualSum'),
      squaredErrorSum: field('squaredErrorSum'),
      absoluteErrorSum: field('absoluteErrorSum'),
      kept:
        kept === null
          ? null
          : {
              groups: Array.from(kept.groups),
              labels: encodeFloats(kept.labels),
              predictions: encodeFloats(kept.predictions),
              weights: kept.weights === null ? null : encodeFloats(kept.weights),
            },
    };
  }

  /** A state from toJSON's output (the object or its JSON text), validated; a FairkitError names what is wrong. */
  static fromJSON(json: unknown): RegressionState {
    const parts = decodeRegressionState(json);
    const state = new RegressionState(parts.slices.length, { keepRows: parts.kept !== null });
    parts.slices.forEach((slice, g) => (state.slices[g] = slice));
    if (parts.kept !== null) {
      state.keptGroups.append(parts.kept.groups);
      state.keptLabels.append(parts.kept.labels);
      state.keptPredictions.append(parts.kept.predictions);
      if (parts.kept.weights !== null) state.weightsStore(0).append(parts.kept.weights);
    }
    return state;
  }

  /** The weights store, created on first use with weight 1 for the `rowsBefore` rows kept before. */
  private weightsStore(rowsBefore: number): GrowableFloat64 {
    if (this.keptWeights === null) {
      this.keptWeights = new GrowableFloat64();
      this.appendOnes(this.keptWeights, rowsBefore);
    }
    return this.keptWeights;
  }

  private appendOnes(store: GrowableFloat64, n: number): void {
    store.reserve(n).fill(1, store.length, store.length + n);
    store.length += n;
  }
}

/** Checks every entry of a batch before anything is added; returns the row count. */
function validateBatch(batch: RegressionBatch, nGroups: number): number {
  const { yTrue, yPred, groups, weights } = batch;
  const n = yTrue.length;
  if (yPred === undefined) throw batchError('yPred (the predictions) is missing');
  for (const name of ['yPred', 'groups', 'weights'] as const) {
    const values = batch[name];
    if (values !== undefined && values.length !== n) {
      throw batchError(`${name} has ${values.length} entries but yTrue has ${n}`);
    }
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(yTrue[i])) throw batchError(`yTrue[${i}] is ${yTrue[i]}; labels must be finite numbers`);
    if (!Number.isFinite(yPred[i])) throw batchError(`yPred[${i}] is ${yPred[i]}; predictions must be finite numbers`);
    const g = groups[i];
    if ((g | 0) !== g || g < 0 || g >= nGroups) {
      throw batchError(`groups[${i}] is ${g}; group ids must be integers in [0, ${nGroups})`);
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

function batchError(what: string): FairkitError {
  return new FairkitError(what, { where: 'regression batch' });
}

import { FairkitError } from '../errors.js';
import { encodeFloats } from './json-codec.js';
import { decodeMoments, type MomentsJson } from './moments-json.js';

export interface MomentsShape {
  nGroups: number;
  /** Label values 0 … nLabels − 1 (default 2: a binary label). */
  nLabels?: number;
  /** Features per row. */
  dim: number;
}

export type CovarianceKind = 'population' | 'sample';

/**
 * Mergeable first and second moments of feature vectors per (group, label) cell: weight, mean vector and the
 * scatter matrix Σ w (x − mean)(x − mean)ᵀ. Batches and other accumulators are combined with the parallel update of
 * Chan, Golub and LeVeque (1979), never through Σx² − (Σx)²/n, which cancels catastrophically when the mean is
 * large against the spread. For GroupMixNorm statistics and steering directions alike.
 *
 * Weights are frequency weights: a weight of 2 counts a row twice, so the sample covariance divides by W − 1
 * (numpy's `cov(..., fweights=)`).
 */
export class GroupLabelMoments {
  readonly nGroups: number;
  readonly nLabels: number;
  readonly dim: number;
  /** Rows per cell (unweighted), cell = group · nLabels + label. */
  private readonly rows: Float64Array;
  private readonly weights: Float64Array;
  private readonly means: Float64Array;
  private readonly scatter: Float64Array;

  constructor(shape: MomentsShape) {
    const { nGroups, dim } = shape;
    const nLabels = shape.nLabels ?? 2;
    for (const [name, value, max] of [['nGroups', nGroups, 2 ** 20], ['nLabels', nLabels, 2 ** 20], ['dim', dim, 2 ** 12]] as const) {
      if (!Number.isInteger(value) || value < 1 || value > max) {
        throw new FairkitError(`${name} must be an integer from 1 to ${max}, got ${value}`, { where: 'GroupLabelMoments' });
      }
    }
    this.nGroups = nGroups;
    this.nLabels = nLabels;
    this.dim = dim;
    const cells = nGroups * nLabels;
    this.rows = new Float64Array(cells);
    this.weights = new Float64Array(cells);
    this.means = new Float64Array(cells * dim);
    this.scatter = new Float64Array(cells * dim * dim);
  }

  /**
   * Adds n rows: `rows` holds n·dim features row-major, `groups` and `labels` one id per row. A bad batch raises a
   * FairkitError and leaves the accumulator unchanged.
   */
  add(rows: ArrayLike<number>, dim: number, groups: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): void {
    const n = this.validate(rows, dim, groups, labels, weights);
    const cells = this.nGroups * this.nLabels;
    const cellOf = (i: number) => groups[i] * this.nLabels + labels[i];
    // Rows bucketed by cell (a counting sort), so each cell's batch moments take two passes over its own rows.
    const start = new Int32Array(cells + 1);
    for (let i = 0; i < n; i++) start[cellOf(i) + 1]++;
    for (let c = 0; c < cells; c++) start[c + 1] += start[c];
    const order = new Int32Array(n);
    const next = start.slice(0, cells);
    for (let i = 0; i < n; i++) order[next[cellOf(i)]++] = i;
    const mean = new Float64Array(dim);
    const scatter = new Float64Array(dim * dim);
    const centred = new Float64Array(dim);
    for (let c = 0; c < cells; c++) {
      if (start[c] === start[c + 1]) continue;
      this.rows[c] += start[c + 1] - start[c];
      let weight = 0;
      mean.fill(0);
      for (let k = start[c]; k < start[c + 1]; k++) {
        const i = order[k];
        const w = weights === undefined ? 1 : weights[i];
        weight += w;
        for (let j = 0; j < dim; j++) mean[j] += w * rows[i * dim + j];
      }
      if (weight === 0) continue;
      for (let j = 0; j < dim; j++) mean[j] /= weight;
      scatter.fill(0);
      for (let k = start[c]; k < start[c + 1]; k++) {
        const i = order[k];
        const w = weights === undefined ? 1 : weights[i];
        for (let j = 0; j < dim; j++) centred[j] = rows[i * dim + j] - mean[j];
        for (let a = 0; a < dim; a++) {
          const wa = w * centred[a];
          for (let b = 0; b < dim; b++) scatter[a * dim + b] += wa * centred[b];
        }
      }
      this.combine(c, weight, mean, scatter);
    }
  }

  /** Adds `other`'s moments to this accumulator (this changes; `other` does not) and returns this. */
  merge(other: GroupLabelMoments): this {
    if (other.nGroups !== this.nGroups || other.nLabels !== this.nLabels || other.dim !== this.dim) {
      throw new FairkitError(
        `cannot merge moments of ${other.nGroups} groups × ${other.nLabels} labels × ${other.dim} features into ${this.nGroups} × ${this.nLabels} × ${this.dim}`,
        { where: 'GroupLabelMoments.merge' },
      );
    }
    const d = this.dim;
    for (let c = 0; c < this.rows.length; c++) {
      this.rows[c] += other.rows[c];
      this.combine(c, other.weights[c], other.means.subarray(c * d, (c + 1) * d), other.scatter.subarray(c * d * d, (c + 1) * d * d));
    }
    return this;
  }

  /** Rows added to the cell (unweighted). */
  rowCount(group: number, label: number): number {
    return this.rows[this.cell(group, label)];
  }

  /** Total weight of the cell (its row count when unweighted). */
  weight(group: number, label: number): number {
    return this.weights[this.cell(group, label)];
  }

  /** The cell's mean vector (a copy), or null when the cell has no weight. */
  mean(group: number, label: number): Float64Array | null {
    const c = this.cell(group, label);
    if (this.weights[c] === 0) return null;
    return this.means.slice(c * this.dim, (c + 1) * this.dim);
  }

  /**
   * The cell's dim × dim covariance, row-major (a copy): 'population' divides the scatter by W, 'sample' by W − 1.
   * Null when undefined (W = 0; for 'sample' W ≤ 1).
   */
  covariance(group: number, label: number, kind: CovarianceKind = 'population'): Float64Array | null {
    const c = this.cell(group, label);
    const w = this.weights[c];
    const divisor = kind === 'population' ? w : w - 1;
    if (w === 0 || divisor <= 0) return null;
    const d2 = this.dim * this.dim;
    return this.scatter.slice(c * d2, (c + 1) * d2).map((s) => s / divisor);
  }

  /** Plain JSON (format 'fairkit-group-label-moments', version 1), exact: fromJSON gives identical moments. */
  toJSON(): MomentsJson {
    return {
      format: 'fairkit-group-label-moments',
      version: 1,
      nGroups: this.nGroups,
      nLabels: this.nLabels,
      dim: this.dim,
      rows: Array.from(this.rows),
      weights: encodeFloats(this.weights),
      means: encodeFloats(this.means),
      scatter: encodeFloats(this.scatter),
    };
  }

  /** Moments from toJSON's output (the object or its JSON text), validated. */
  static fromJSON(json: unknown): GroupLabelMoments {
    const parts = decodeMoments(json);
    const moments = new GroupLabelMoments(parts);
    moments.rows.set(parts.rows);
    moments.weights.set(parts.weights);
    moments.means.set(parts.means);
    moments.scatter.set(parts.scatter);
    return moments;
  }

  /** Chan et al.: folds a part (weight, mean, scatter) into cell c. */
  private combine(c: number, weight: number, mean: ArrayLike<number>, scatter: ArrayLike<number>): void {
    if (weight === 0) return;
    const d = this.dim;
    const before = this.weights[c];
    const total = before + weight;
    const m = c * d;
    const s = c * d * d;
    if (before === 0) {
      for (let j = 0; j < d; j++) this.means[m + j] = mean[j];
      for (let k = 0; k < d * d; k++) this.scatter[s + k] = scatter[k];
    } else {
      const delta = new Float64Array(d);
      for (let j = 0; j < d; j++) delta[j] = mean[j] - this.means[m + j];
      const cross = (before * weight) / total;
      for (let a = 0; a < d; a++) {
        const ca = cross * delta[a];
        for (let b = 0; b < d; b++) this.scatter[s + a * d + b] += scatter[a * d + b] + ca * delta[b];
      }
      const share = weight / total;
      for (let j = 0; j < d; j++) this.means[m + j] += delta[j] * share;
    }
    this.weights[c] = total;
  }

  private cell(group: number, label: number): number {
    if (!Number.isInteger(group) || group < 0 || group >= this.nGroups || !Number.isInteger(label) || label < 0 || label >= this.nLabels) {
      throw new FairkitError(`no cell (group ${group}, label ${label}) in ${this.nGroups} groups × ${this.nLabels} labels`, { where: 'GroupLabelMoments' });
    }
    return group * this.nLabels + label;
  }

  private validate(rows: ArrayLike<number>, dim: number, groups: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): number {
    const fail = (what: string) => new FairkitError(what, { where: 'GroupLabelMoments.add' });
    if (dim !== this.dim) throw fail(`dim is ${dim} but the accumulator was made for ${this.dim} features`);
    const n = groups.length;
    if (rows.length !== n * dim) throw fail(`rows has ${rows.length} values; ${n} rows of ${dim} features need ${n * dim}`);
    if (labels.length !== n) throw fail(`labels has ${labels.length} entries but groups has ${n}`);
    if (weights !== undefined && weights.length !== n) throw fail(`weights has ${weights.length} entries but groups has ${n}`);
    for (let i = 0; i < n; i++) {
      const g = groups[i];
      const y = labels[i];
      if ((g | 0) !== g || g < 0 || g >= this.nGroups) throw fail(`groups[${i}] is ${g}; group ids must be integers in [0, ${this.nGroups})`);
      if ((y | 0) !== y || y < 0 || y >= this.nLabels) throw fail(`labels[${i}] is ${y}; labels must be integers in [0, ${this.nLabels})`);
      if (weights !== undefined && !(weights[i] >= 0 && weights[i] < Infinity)) throw fail(`weights[${i}] is ${weights[i]}; weights must be finite and >= 0`);
    }
    for (let k = 0; k < rows.length; k++) {
      if (!Number.isFinite(rows[k])) throw fail(`rows[${k}] (row ${Math.floor(k / dim)}) is ${rows[k]}; features must be finite`);
    }
    return n;
  }
}

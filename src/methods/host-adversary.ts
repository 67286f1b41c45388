/**
 * The adversarial method's adversary (Zhang et al. 2018) computed on the host: its forward pass, gradients and Adam
 * steps in plain JavaScript. The adversary is tiny (its input is one number per row, s = σ((1+|c|)·z), with the label
 * in the eo form; 16 hidden units by default), so in TensorFlow.js its 10 Adam steps per batch were ~1,850 kernel
 * calls of a few microseconds of arithmetic each, dominated by each call's fixed cost. Here a step is one pass over
 * the rows.
 *
 * Exactness: the forward pass and the gradients are computed in float64 and rounded to float32 once, so they differ
 * from TensorFlow.js's float32 autodiff by its round-off only (checked to 1e-6 in adversarial-step.test.ts). The
 * weights and Adam's moments are float32, and Adam's update repeats tf.train.adam's float32 operations one by one
 * (each rounded with Math.fround), so from the same gradient it gives the same bits.
 *
 * The input's structure is used: the eo input [s, s·y, s·(1−y), y] is s·P_y + Q_y with P_y = [1, y, 1−y, 0] and
 * Q_y = [0, 0, 0, y], so the first layer's pre-activation is s·(P_y·W) + (Q_y·W + b): two vectors per label value,
 * formed once per step. Its weight gradient Σ_rows xᵀ·δ is then Σ_y P_yᵀ·(Σ s·δ) + Q_yᵀ·(Σ δ) over each label's rows.
 */
import { Float32Adam } from '../nn/float32-adam.js';
import { buildMlp } from '../nn/mlp.js';

export interface HostAdversaryConfig {
  form: 'eo' | 'dp';
  /** Hidden units (0: a linear model on the input). */
  hidden: number;
  nGroups: number;
  learningRate: number;
  /** Seed of the initial weights, drawn as buildMlp draws them. */
  seed: number;
  /** Adam's ε: TensorFlow.js's default is the backend's epsilon (1e-7 for float32). */
  epsilon: number;
}

/** The loss on a batch and its gradient with respect to each row's logit z (the predictor's output). */
export interface AdversaryLossGradient {
  loss: number;
  logitGradient: Float32Array;
}

/** TensorFlow.js's `tf.train.adam(rate)` defaults. */
const BETA1 = 0.9;
const BETA2 = 0.999;

export class HostAdversary {
  /**
   * W₁ [in × first], b₁ [first], then (with a hidden layer) W₂ [hidden × out], b₂ [out], and last Zhang's c
   * (one value), in the order the TensorFlow.js adversary listed its variables. Row-major as TensorFlow.js stores them.
   */
  readonly weights: Float32Array[];
  private readonly adam: Float32Adam;
  private readonly gradients: Float64Array[];
  private readonly inputDim: number;
  private readonly outputDim: number;
  /** Units of the first layer: the hidden units, or the outputs without a hidden layer. */
  private readonly firstDim: number;
  /** Per label value (eo: 0 and 1; dp: one), P_y and Q_y of the input s·P_y + Q_y. */
  private readonly scales: number[][];
  private readonly offsets: number[][];
  private sorted: { z: Float32Array; rows: SortedRows } | undefined;
  private readonly scratch = new RowScratch();

  constructor(private readonly config: HostAdversaryConfig) {
    this.inputDim = config.form === 'eo' ? 4 : 1;
    this.outputDim = config.nGroups === 2 ? 1 : config.nGroups;
    this.firstDim = config.hidden > 0 ? config.hidden : this.outputDim;
    const net = buildMlp({ inputDim: this.inputDim, hidden: config.hidden > 0 ? [config.hidden] : [], activation: 'relu', outputDim: this.outputDim, seed: config.seed });
    this.weights = [...net.variables.map((v) => v.dataSync().slice() as Float32Array), new Float32Array(1)];
    net.dispose();
    this.adam = new Float32Adam(this.weights.map((w) => w.length), BETA1, BETA2, config.epsilon);
    this.gradients = this.weights.map((w) => new Float64Array(w.length));
    this.scales = config.form === 'eo' ? [[1, 0, 1, 0], [1, 1, 0, 0]] : [[1]];
    this.offsets = config.form === 'eo' ? [[0, 0, 0, 0], [0, 0, 0, 1]] : [[0]];
  }

  /** `steps` Adam steps on the adversary's loss, the predictor's logits z held constant. */
  train(z: Float32Array, labels: Uint8Array, groups: Int32Array, steps: number): void {
    for (let step = 0; step < steps; step++) {
      this.lossAndGradients(z, labels, groups, null);
      this.adam.step(this.weights, this.gradients, this.config.learningRate);
    }
  }

  /** The loss at the current weights and its gradient with respect to z (what the predictor receives). */
  lossAndLogitGradient(z: Float32Array, labels: Uint8Array, groups: Int32Array): AdversaryLossGradient {
    const logitGradient = new Float32Array(z.length);
    const loss = this.lossAndGradients(z, labels, groups, logitGradient);
    return { loss, logitGradient };
  }

  /**
   * The mean loss (binary cross-entropy on the logit with two groups, softmax cross-entropy with more) with its
   * gradients: of the weights into `this.gradients`, of z into `logitGradient` when given.
   */
  private lossAndGradients(z: Float32Array, labels: Uint8Array, groups: Int32Array, logitGradient: Float32Array | null): number {
    const { inputDim, outputDim, firstDim } = this;
    const hidden = this.config.hidden;
    const [w1, b1] = this.weights;
    const w2 = hidden > 0 ? this.weights[2] : null;
    const b2 = hidden > 0 ? this.weights[3] : null;
    const c = this.weights[this.weights.length - 1][0];
    const sharpness = 1 + Math.abs(c);
    const classes = this.scales.length;
    // s·A_y + B_y is the first layer's pre-activation for a row with label value y.
    const slope = this.scales.map((p) => firstLayerProducts(p, w1, firstDim, null));
    const intercept = this.offsets.map((q) => firstLayerProducts(q, w1, firstDim, b1));
    const sumSDelta = Array.from({ length: classes }, () => new Float64Array(firstDim));
    const sumDelta = Array.from({ length: classes }, () => new Float64Array(firstDim));
    for (const g of this.gradients) g.fill(0);
    const gradW2 = hidden > 0 ? this.gradients[2] : null;
    const gradB2 = hidden > 0 ? this.gradients[3] : null;
    const n = z.length;
    const rows: Rows = { z, labels, groups, sharpness, slope, intercept, sumSDelta, sumDelta, logitGradient, withLoss: logitGradient !== null };
    const { loss, gradT } = w2 !== null && outputDim === 1
      ? singleLogitRows(rows, this.sortedRows(z, labels, groups), this.scratch, w2, b2![0], gradW2!, gradB2!)
      : generalRows(rows, { w2, b2, gradW2, gradB2, firstDim, outputDim, hidden });
    const [gradW1, gradB1] = this.gradients;
    for (let y = 0; y < classes; y++) {
      for (let j = 0; j < firstDim; j++) {
        gradB1[j] += sumDelta[y][j];
        for (let k = 0; k < inputDim; k++) gradW1[k * firstDim + j] += this.scales[y][k] * sumSDelta[y][j] + this.offsets[y][k] * sumDelta[y][j];
      }
    }
    // d|c|/dc as TensorFlow.js takes it: 1 for c > 0, −1 otherwise (at c = 0 too, where the adversary starts).
    this.gradients[this.gradients.length - 1][0] = gradT * (c > 0 ? 1 : -1);
    return loss / n;
  }

  /** The rows of each label value sorted by z, computed once for the steps on one batch's logits. */
  private sortedRows(z: Float32Array, labels: Uint8Array, groups: Int32Array): SortedRows {
    if (this.sorted?.z !== z) this.sorted = { z, rows: rowsSortedByLogit(z, labels, groups, this.scales.length) };
    return this.sorted.rows;
  }
}

/** v·W₁ (+ b₁ when given) for an input vector v: each unit's sum over the inputs in order, from b₁ or 0. */
function firstLayerProducts(v: number[], w1: Float32Array, firstDim: number, b1: Float32Array | null): Float64Array {
  const out = new Float64Array(firstDim);
  for (let j = 0; j < firstDim; j++) {
    let sum = b1 === null ? 0 : b1[j];
    for (let k = 0; k < v.length; k++) sum += v[k] * w1[k * firstDim + j];
    out[j] = sum;
  }
  return out;
}

/** One row's loss; writes the gradient of the batch mean with respect to the row's logits into `grad`. */
function rowLoss(logits: Float64Array, group: number, grad: Float64Array, n: number): number {
  if (logits.length === 1) {
    const o = logits[0];
    const target = group; // 0 or 1
    grad[0] = (1 / (1 + Math.exp(-o)) - target) / n;
    return Math.max(o, 0) + Math.log1p(Math.exp(-Math.abs(o))) - target * o;
  }
  let max = -Infinity;
  for (const o of logits) max = Math.max(max, o);
  let sum = 0;
  for (const o of logits) sum += Math.exp(o - max);
  const logSumExp = max + Math.log(sum);
  for (let k = 0; k < logits.length; k++) grad[k] = (Math.exp(logits[k] - logSumExp) - (k === group ? 1 : 0)) / n;
  return logSumExp - logits[group];
}

interface Rows {
  z: Float32Array;
  labels: Uint8Array;
  groups: Int32Array;
  sharpness: number;
  slope: Float64Array[];
  intercept: Float64Array[];
  sumSDelta: Float64Array[];
  sumDelta: Float64Array[];
  logitGradient: Float32Array | null;
  /** Whether to sum the loss (the adversary's own steps need only the gradients). */
  withLoss: boolean;
}

/**
 * The rows' pass for a hidden layer and one logit (two groups; the default adversary), most of the method's host
 * time. The input is one number s per row (with the label), so unit j's pre-activation s·a_j + b_j is monotone in s,
 * and s = σ((1+|c|)·z) is increasing in z: with a label's rows sorted by z, each unit is active on a prefix or a
 * suffix of them, found by bisection with the row's own test s·a_j + b_j > 0. Every per-row sum over the active units
 * (the logit, ∂L/∂s) and every per-unit sum over the active rows (the weight gradients) is then a difference of
 * running sums: O(rows + units) per step instead of O(rows · units). Returns the summed loss and Σ ∂L/∂t · z (for c).
 *
 * It runs 11 times per batch with the default 10 adversary steps, so it reads the batch in sorted order
 * (`SortedRows`: z and the group beside each row) and works in buffers kept across steps (`RowScratch`).
 */
function singleLogitRows(rows: Rows, sorted: SortedRows, scratch: RowScratch, w2: Float32Array, b2: number, gradW2: Float64Array, gradB2: Float64Array): { loss: number; gradT: number } {
  const { sharpness, slope, intercept, sumSDelta, sumDelta, logitGradient, withLoss } = rows;
  const hidden = w2.length;
  const n = sorted.n;
  const { s, slopeSum, interceptSum, gSum, sgSum, from, to } = scratch.forRows(sorted.maxLabelRows, hidden);
  let loss = 0;
  let gradT = 0;
  for (let y = 0; y < sorted.byLabel.length; y++) {
    const { rows: order, z, targets } = sorted.byLabel[y];
    const m = order.length;
    if (m === 0) continue;
    const a = slope[y];
    const bias = intercept[y];
    for (let k = 0; k < m; k++) s[k] = 1 / (1 + Math.exp(-sharpness * z[k]));
    // Unit j is active on rows [from[j], to[j]) of the sorted order.
    // Running sums, by difference arrays, of Σ_active a_j·w_j and Σ_active b_j·w_j at each row.
    slopeSum.fill(0, 0, m + 1);
    interceptSum.fill(0, 0, m + 1);
    for (let j = 0; j < hidden; j++) {
      const aj = a[j];
      const bj = bias[j];
      if (aj > 0) {
        from[j] = firstActive(s, m, aj, bj);
        to[j] = m;
      } else if (aj < 0) {
        from[j] = 0;
        to[j] = firstInactive(s, m, aj, bj);
      } else {
        from[j] = 0;
        to[j] = bj > 0 ? m : 0;
      }
      slopeSum[from[j]] += aj * w2[j];
      slopeSum[to[j]] -= aj * w2[j];
      interceptSum[from[j]] += bj * w2[j];
      interceptSum[to[j]] -= bj * w2[j];
    }
    // Prefix sums of g and s·g over the sorted rows, for the per-unit sums.
    gSum[0] = 0;
    sgSum[0] = 0;
    let slopeAt = 0;
    let interceptAt = 0;
    for (let k = 0; k < m; k++) {
      slopeAt += slopeSum[k];
      interceptAt += interceptSum[k];
      const sk = s[k];
      const o = b2 + sk * slopeAt + interceptAt;
      const target = targets[k];
      if (withLoss) loss += Math.max(o, 0) + Math.log1p(Math.exp(-Math.abs(o))) - target * o;
      const g = (1 / (1 + Math.exp(-o)) - target) / n;
      gSum[k + 1] = gSum[k] + g;
      sgSum[k + 1] = sgSum[k] + sk * g;
      const dt = g * slopeAt * sk * (1 - sk); // ∂L/∂s = g·Σ_active w_j·a_j, times ds/dt
      gradT += dt * z[k];
      if (logitGradient !== null) logitGradient[order[k]] = dt * sharpness;
    }
    gradB2[0] += gSum[m];
    const sd = sumSDelta[y];
    const td = sumDelta[y];
    for (let j = 0; j < hidden; j++) {
      const sg = sgSum[to[j]] - sgSum[from[j]];
      const g = gSum[to[j]] - gSum[from[j]];
      gradW2[j] += a[j] * sg + bias[j] * g;
      sd[j] += w2[j] * sg;
      td[j] += w2[j] * g;
    }
  }
  return { loss, gradT };
}

/** The first k in [0, m) with s[k]·a + b > 0 (false then true along k when a > 0); m when there is none. */
function firstActive(s: Float64Array, m: number, a: number, b: number): number {
  let lo = 0;
  let hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid] * a + b > 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first k in [0, m) where s[k]·a + b > 0 fails (true then false along k when a < 0); m when there is none. */
function firstInactive(s: Float64Array, m: number, a: number, b: number): number {
  let lo = 0;
  let hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (!(s[mid] * a + b > 0)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** One batch's rows per label value (eo; one list of all rows for dp), each sorted by z, with their z and group. */
export interface SortedRows {
  /** Rows in the batch. */
  n: number;
  maxLabelRows: number;
  byLabel: { rows: Int32Array; z: Float64Array; targets: Float64Array }[];
}

/**
 * Each label value's rows sorted by z, ties in row order (as a stable sort by z does), with the rows' z and groups in
 * that order: one stable radix sort of all rows by z, then a stable split by label.
 */
export function rowsSortedByLogit(z: Float32Array, labels: Uint8Array, groups: Int32Array, classes: number): SortedRows {
  const n = z.length;
  const order = radixOrder(z);
  const byLabel = Array.from({ length: classes }, (_, y) => {
    let m = 0;
    for (let i = 0; i < n; i++) if (classes === 1 || labels[i] === y) m++;
    const rows = new Int32Array(m);
    const zs = new Float64Array(m);
    const targets = new Float64Array(m);
    let k = 0;
    for (let r = 0; r < n; r++) {
      const i = order[r];
      if (classes !== 1 && labels[i] !== y) continue;
      rows[k] = i;
      zs[k] = z[i];
      targets[k] = groups[i];
      k++;
    }
    return { rows, z: zs, targets };
  });
  return { n, maxLabelRows: Math.max(0, ...byLabel.map((l) => l.rows.length)), byLabel };
}

const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;

/**
 * The row indices ordered by z ascending, ties (−0 and +0 among them) in index order: a least-significant-digit
 * radix sort, stable by construction, on z's float32 bits mapped to unsigned integers in the order of the values.
 * NaN rows go to the ends.
 */
function radixOrder(z: Float32Array): Int32Array {
  const n = z.length;
  const keys = new Uint32Array(n);
  const bits = new Uint32Array(z.buffer, z.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const u = z[i] === 0 ? 0 : bits[i]; // −0 sorts as +0
    keys[i] = u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
  }
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Int32Array(n);
  const counts = new Int32Array(RADIX + 1);
  for (let shift = 0; shift < 32; shift += RADIX_BITS) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((keys[i] >>> shift) & (RADIX - 1)) + 1]++;
    for (let d = 0; d < RADIX; d++) counts[d + 1] += counts[d];
    for (let r = 0; r < n; r++) {
      const i = order[r];
      next[counts[(keys[i] >>> shift) & (RADIX - 1)]++] = i;
    }
    [order, next] = [next, order];
  }
  return order;
}

interface RowBuffers {
  s: Float64Array;
  slopeSum: Float64Array;
  interceptSum: Float64Array;
  gSum: Float64Array;
  sgSum: Float64Array;
  from: Int32Array;
  to: Int32Array;
}

/** The rows' pass's per-step buffers, grown to the largest label's rows and the hidden units seen. */
class RowScratch {
  private rows = -1;
  private units = -1;
  private buffers: RowBuffers | undefined;

  forRows(rows: number, units: number): RowBuffers {
    if (this.buffers === undefined || rows > this.rows || units > this.units) {
      this.rows = Math.max(rows, this.rows);
      this.units = Math.max(units, this.units);
      const m = this.rows;
      this.buffers = {
        s: new Float64Array(m),
        slopeSum: new Float64Array(m + 1),
        interceptSum: new Float64Array(m + 1),
        gSum: new Float64Array(m + 1),
        sgSum: new Float64Array(m + 1),
        from: new Int32Array(this.units),
        to: new Int32Array(this.units),
      };
    }
    return this.buffers;
  }
}

/** The rows' pass for any adversary shape: a linear one, or several logits (softmax over more than two groups). */
function generalRows(
  rows: Rows,
  net: { w2: Float32Array | null; b2: Float32Array | null; gradW2: Float64Array | null; gradB2: Float64Array | null; firstDim: number; outputDim: number; hidden: number },
): { loss: number; gradT: number } {
  const { z, labels, groups, sharpness, slope, intercept, sumSDelta, sumDelta, logitGradient } = rows;
  const { w2, b2, gradW2, gradB2, firstDim, outputDim, hidden } = net;
  const pre = new Float64Array(firstDim);
  const delta = new Float64Array(firstDim);
  const logits = new Float64Array(outputDim);
  const outGrad = new Float64Array(outputDim);
  const n = z.length;
  let loss = 0;
  let gradT = 0;
  for (let i = 0; i < n; i++) {
    const y = slope.length === 1 ? 0 : labels[i];
    const zi = z[i];
    const s = 1 / (1 + Math.exp(-sharpness * zi));
    const a = slope[y];
    const bias = intercept[y];
    for (let j = 0; j < firstDim; j++) pre[j] = s * a[j] + bias[j];
    if (w2 !== null) {
      for (let k = 0; k < outputDim; k++) {
        let o = b2![k];
        for (let j = 0; j < hidden; j++) if (pre[j] > 0) o += pre[j] * w2[j * outputDim + k];
        logits[k] = o;
      }
    } else logits.set(pre);
    loss += rowLoss(logits, groups[i], outGrad, n);
    if (w2 !== null) {
      for (let k = 0; k < outputDim; k++) gradB2![k] += outGrad[k];
      for (let j = 0; j < hidden; j++) {
        if (!(pre[j] > 0)) {
          delta[j] = 0;
          continue;
        }
        let d = 0;
        for (let k = 0; k < outputDim; k++) {
          gradW2![j * outputDim + k] += pre[j] * outGrad[k];
          d += outGrad[k] * w2[j * outputDim + k];
        }
        delta[j] = d;
      }
    } else delta.set(outGrad);
    let ds = 0;
    const sd = sumSDelta[y];
    const td = sumDelta[y];
    for (let j = 0; j < firstDim; j++) {
      ds += delta[j] * a[j];
      sd[j] += s * delta[j];
      td[j] += delta[j];
    }
    const dt = ds * s * (1 - s); // the gradient at t = (1+|c|)·z
    gradT += dt * zi;
    if (logitGradient !== null) logitGradient[i] = dt * sharpness;
  }
  return { loss, gradT };
}

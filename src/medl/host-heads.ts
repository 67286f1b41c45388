/**
 * The fairness heads' own Adam steps computed on the host (as methods/host-adversary.ts does for the adversarial
 * method): a head is tiny, (ŷ, y) → 10 ReLU units → one logit per attribute value, yet its step on TensorFlow.js ran
 * about 40 kernels per head (forward pass, logSumExp and its gradient, the bookkeeping Reshapes and Casts), each with
 * the engine's fixed cost per call. Here a step is one pass over the rows per head.
 *
 * Exactness: the forward pass and the gradients are computed in float64 and handed to Adam (rounded to float32 once),
 * so they differ from TensorFlow.js's float32 autodiff by its round-off only; Adam's update is tf.train.adam's
 * float32 arithmetic (nn/float32-adam.ts). host-heads.test.ts checks one step's updates against autodiff to 1e-6 and
 * a 5-step loss curve to 1e-5. The heads' tf.Variables are written after each step: L_main reads them frozen.
 *
 * Per batch the rows are passed over once per head for its own step and once more for the frozen term, so the pass is
 * kept lean without changing a bit of its arithmetic: the heads' input column is computed once per output (headInput),
 * the own step skips the loss nobody reads (its logarithm per row), and the largest logit's exponential, exp(0), is
 * the exact 1 it would return.
 */
import * as tf from '@tensorflow/tfjs';
import { Float32Adam } from '../nn/float32-adam.js';
import type { Mlp } from '../nn/mlp.js';

/** What a step reads of each head's input, (p, label), and of its target: the value index of every row. */
export interface HeadRows {
  /** The first input column, p per row: headInput of the output the head reads. */
  input: Float32Array;
  /** The second input column: the 0/1 label (regression: the standardised target). */
  labels: Float32Array;
  /** Per row, the index of its value of the head's attribute. */
  classes: Int32Array;
}

/**
 * The heads' first input column from the output they read, a logit per row: its sigmoid as tf.sigmoid gives it in
 * float32 (the input p·[1, 0] + [0, y] holds that same value); for regression (`regression`) the prediction itself.
 */
export function headInput(output: Float32Array, regression: boolean): Float32Array {
  if (regression) return output;
  const input = new Float32Array(output.length);
  for (let i = 0; i < output.length; i++) input[i] = 1 / (1 + Math.exp(-output[i]));
  return input;
}

export class HostFairnessHeads {
  /** Each head's weights, W₁ [2 × H], b₁, W₂ [H × K], b₂ (without a hidden layer W [2 × K], b), row-major. */
  private readonly values: Float32Array[];
  private readonly gradients: Float64Array[];
  private readonly adam: Float32Adam;
  private readonly variables: tf.Variable[];

  /** `heads` in the order their variables were given to the adversaries' Adam (fairFE, then fairME). */
  constructor(
    private readonly heads: Mlp[],
    private readonly learningRate: number,
  ) {
    this.variables = heads.flatMap((head) => head.variables);
    this.values = this.variables.map((v) => (v.dataSync() as Float32Array).slice());
    this.gradients = this.values.map((w) => new Float64Array(w.length));
    // tf.train.adam(rate)'s defaults: β₁ 0.9, β₂ 0.999, ε the backend's.
    this.adam = new Float32Adam(this.values.map((w) => w.length), 0.9, 0.999, tf.backend().epsilon());
  }

  /**
   * `steps` Adam steps of every head on its own cross-entropy; `rows[h]` is head h's input (`regression`: the heads
   * read the prediction itself, not its sigmoid).
   */
  train(rows: HeadRows[], steps: number, regression: boolean): void {
    for (let step = 0; step < steps; step++) {
      let offset = 0;
      this.heads.forEach((head, h) => {
        const count = head.variables.length;
        headLossAndGradients(this.values.slice(offset, offset + count), this.gradients.slice(offset, offset + count), head.config.hidden[0] ?? 0, head.config.outputDim, rows[h], regression, null, false);
        offset += count;
      });
      this.adam.step(this.values, this.gradients, this.learningRate);
    }
    this.variables.forEach((variable, i) => {
      const updated = tf.tensor(this.values[i], variable.shape);
      variable.assign(updated);
      updated.dispose();
    });
  }

  /** The heads' cross-entropies at their current weights, summed (what `train` lowers); `rows[h]` as for `train`. */
  loss(rows: HeadRows[], regression: boolean): number {
    let loss = 0;
    let offset = 0;
    this.heads.forEach((head, h) => {
      const count = head.variables.length;
      loss += headLossAndGradients(this.values.slice(offset, offset + count), null, head.config.hidden[0] ?? 0, head.config.outputDim, rows[h], regression, null, true);
      offset += count;
    });
    return loss;
  }

  /** The weight gradients of the last step `train` took, in the variables' order (for tests). */
  get lastGradients(): readonly Float64Array[] {
    return this.gradients;
  }

  /**
   * The summed cross-entropy of the heads `first`, …, `first + rows.length − 1` (all reading the same output) at their
   * current weights, and its gradient with respect to each row's output: what L_main needs of the frozen heads.
   */
  lossAndOutputGradient(first: number, rows: HeadRows[], regression: boolean): { loss: number; gradient: Float64Array } {
    const gradient = new Float64Array(rows[0].input.length);
    let loss = 0;
    let offset = this.heads.slice(0, first).reduce((sum, head) => sum + head.variables.length, 0);
    rows.forEach((headRows, i) => {
      const head = this.heads[first + i];
      const count = head.variables.length;
      loss += headLossAndGradients(this.values.slice(offset, offset + count), null, head.config.hidden[0] ?? 0, head.config.outputDim, headRows, regression, gradient, true);
      offset += count;
    });
    return { loss, gradient };
  }
}

/**
 * One head's mean softmax cross-entropy over the rows (`withLoss`; else 0), with its weight gradients written into
 * `gradients` (null: not needed, as for the frozen term) and, when given, its gradient with respect to each row's
 * output added to `outputGradient`. ReLU's gradient is TensorFlow.js's: 1 above 0, else 0.
 */
function headLossAndGradients(weights: Float32Array[], gradients: Float64Array[] | null, hidden: number, k: number, rows: HeadRows, regression: boolean, outputGradient: Float64Array | null, withLoss: boolean): number {
  if (hidden > 0 && k === 2) return twoValueHeadPass(weights, gradients, hidden, rows, regression, outputGradient, withLoss);
  if (gradients) for (const g of gradients) g.fill(0);
  const n = rows.input.length;
  const first = hidden > 0 ? hidden : k;
  // Named once, outside the row loop (an array destructuring per row costs more than the row's arithmetic).
  const [w1, b1, w2, b2] = weights;
  const [gw1, gb1, gw2, gb2] = gradients ?? [];
  const { input, labels, classes } = rows;
  const pre = new Float64Array(first);
  const logits = new Float64Array(k);
  const delta = new Float64Array(k);
  const back = new Float64Array(first);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const p = input[i];
    const y = labels[i];
    for (let j = 0; j < first; j++) pre[j] = p * w1[j] + y * w1[first + j] + b1[j];
    if (hidden > 0) {
      // Logits from the active units only (ReLU leaves the others at 0).
      for (let c = 0; c < k; c++) logits[c] = b2[c];
      for (let j = 0; j < hidden; j++) {
        const a = pre[j];
        if (!(a > 0)) continue;
        for (let c = 0; c < k; c++) logits[c] += a * w2[j * k + c];
      }
    } else {
      for (let c = 0; c < k; c++) logits[c] = pre[c];
    }
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, logits[c]);
    // softmax = exp(logit − max) / Σ: one exponential per logit serves the loss and the gradient.
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const shifted = logits[c] - max;
      // Math.exp(0) is exactly 1: the largest logit needs no call.
      delta[c] = shifted === 0 ? 1 : Math.exp(shifted);
      sum += delta[c];
    }
    const target = classes[i];
    if (withLoss) loss += max + Math.log(sum) - logits[target];
    for (let c = 0; c < k; c++) delta[c] = (delta[c] / sum - (c === target ? 1 : 0)) / n;
    if (hidden > 0) {
      if (gradients) for (let c = 0; c < k; c++) gb2[c] += delta[c];
      for (let j = 0; j < hidden; j++) {
        const a = pre[j];
        if (!(a > 0)) {
          back[j] = 0;
          continue;
        }
        let d = 0;
        for (let c = 0; c < k; c++) d += delta[c] * w2[j * k + c];
        back[j] = d;
        if (gradients) for (let c = 0; c < k; c++) gw2[j * k + c] += a * delta[c];
      }
    } else {
      for (let c = 0; c < k; c++) back[c] = delta[c];
    }
    if (gradients) {
      for (let j = 0; j < first; j++) {
        gw1[j] += p * back[j];
        gw1[first + j] += y * back[j];
        gb1[j] += back[j];
      }
    }
    if (outputGradient) {
      let dp = 0;
      for (let j = 0; j < first; j++) dp += back[j] * w1[j];
      outputGradient[i] += regression ? dp : dp * p * (1 - p);
    }
  }
  return loss / n;
}

/**
 * headLossAndGradients for a head with a hidden layer and two values (a binary attribute, the usual case), the same
 * operations in the same order with the two logits and their deltas in local variables and each unit's work in one
 * loop per direction: about a third less time than the general loops (host-heads.test.ts checks it against them
 * bit for bit).
 */
function twoValueHeadPass(weights: Float32Array[], gradients: Float64Array[] | null, hidden: number, rows: HeadRows, regression: boolean, outputGradient: Float64Array | null, withLoss: boolean): number {
  if (gradients) for (const g of gradients) g.fill(0);
  const n = rows.input.length;
  const [w1, b1, w2, b2] = weights;
  const [gw1, gb1, gw2, gb2] = gradients ?? [];
  const { input, labels, classes } = rows;
  const pre = new Float64Array(hidden);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const p = input[i];
    const y = labels[i];
    let logit0 = b2[0];
    let logit1 = b2[1];
    for (let j = 0; j < hidden; j++) {
      const a = p * w1[j] + y * w1[hidden + j] + b1[j];
      pre[j] = a;
      if (!(a > 0)) continue;
      logit0 += a * w2[2 * j];
      logit1 += a * w2[2 * j + 1];
    }
    const max = Math.max(Math.max(-Infinity, logit0), logit1);
    const shifted0 = logit0 - max;
    const shifted1 = logit1 - max;
    const e0 = shifted0 === 0 ? 1 : Math.exp(shifted0);
    const e1 = shifted1 === 0 ? 1 : Math.exp(shifted1);
    let sum = 0;
    sum += e0;
    sum += e1;
    const target = classes[i];
    if (withLoss) loss += max + Math.log(sum) - (target === 0 ? logit0 : logit1);
    const delta0 = (e0 / sum - (target === 0 ? 1 : 0)) / n;
    const delta1 = (e1 / sum - (target === 1 ? 1 : 0)) / n;
    if (gradients) {
      gb2[0] += delta0;
      gb2[1] += delta1;
    }
    let dp = 0;
    for (let j = 0; j < hidden; j++) {
      const a = pre[j];
      let back = 0;
      if (a > 0) {
        back += delta0 * w2[2 * j];
        back += delta1 * w2[2 * j + 1];
        if (gradients) {
          gw2[2 * j] += a * delta0;
          gw2[2 * j + 1] += a * delta1;
        }
      }
      if (gradients) {
        gw1[j] += p * back;
        gw1[hidden + j] += y * back;
        gb1[j] += back;
      }
      dp += back * w1[j];
    }
    if (outputGradient) outputGradient[i] += regression ? dp : dp * p * (1 - p);
  }
  return loss / n;
}

/**
 * The frozen heads' term of L_main as a TensorFlow.js op on `output`: its value and its gradient with respect to the
 * output come from the host (lossAndOutputGradient of the heads from `first` on, whose inputs are `rows`), so the
 * main step's tape holds one op and its gradient one Multiply instead of the heads' forward and backward passes.
 */
export function frozenHeadsLoss(host: HostFairnessHeads, first: number, rows: HeadRows[], regression: boolean, output: tf.Tensor2D): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    const { loss, gradient } = host.lossAndOutputGradient(first, rows, regression);
    return { value: tf.scalar(loss), gradFunc: (dy: tf.Tensor) => [tf.mul(dy, tf.tensor(Float32Array.from(gradient), x.shape))] };
  });
  return op(output) as tf.Scalar;
}

/**
 * The gradient-penalty step (subgroup-gradients.ts) written out by hand for a plain ReLU MLP with one output and no
 * dropout, the base model of every tabular run. TensorFlow.js's double backprop (a recorded backward pass per cell,
 * then the backward pass of that) runs ~840 kernels per Adult batch; this runs the same mathematics in ~200:
 *
 * - per cell, one forward pass and its backward errors δ, its gradient from them (weight sums hᵀ·δ, bias sums);
 * - the penalty's gradient with respect to the cell gradients, G = ∂(λ·penalty)/∂g, written by hand by the method
 *   when it offers one (penaltyWithGradient: gcm, grad-align, iga), else by TensorFlow.js (the methods'
 *   own penalty functions, unchanged, on a tape of their own);
 * - the adjoint of the cell gradients, Σ_c ∂⟨g_c, G_c⟩/∂θ (a Hessian–vector product per cell), and the task loss's
 *   gradient, assembled from the same backward errors and finished by one ordinary backward pass per cell.
 *
 * Each cell keeps its own tensors throughout: on wasm, tf.slice and tf.split copy their whole input first (readSync),
 * so splitting batch-wide tensors into cells cost more than the kernels it saved. Transposed products go to the fast
 * matMul kernel as such (no copies); with TensorFlow.js's kernel, which is slow on them, the transposes are explicit.
 *
 * ReLU's second derivative is 0, so its 0/1 masks are constants and the result equals exact double backprop; the
 * sigmoid in the loss's gradient is differentiated (σ' = σ(1 − σ)). Any other model keeps the autodiff path.
 *
 * Notation, layers l = 1..L: h_0 = x, z_l = h_{l−1}·W_l + b_l, h_l = relu(z_l) = z_l ⊙ m_l, the logit z_L.
 * Backward errors: δ_L = σ(z_L) − y (computed as s·σ(s·z_L), s = 1 − 2y), δ_{l−1} = (δ_l·W_lᵀ) ⊙ m_{l−1}; a cell's gradient g_{W_l} = h_{l−1}ᵀ·δ_l and
 * g_{b_l} = Σ_rows δ_l over its rows (the gradient of the cell's summed BCE).
 */
import * as tf from '@tensorflow/tfjs';
import { fastMatMulVariant } from '../nn/fast-matmul.js';
import { sparseInputProducts, type InputProducts } from '../nn/sparse-input-product.js';
import type { Model } from '../nn/model.js';
import type { BatchCell, CellGradient } from './subgroup-gradients.js';

/** aᵀ·b and a·bᵀ, transposed by the fast kernel itself when it is on (gradient-fixes.ts does the same). */
export function productTA(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return fastMatMulVariant() !== null ? tf.matMul(a, b, true, false) : tf.matMul(tf.transpose(a), b);
}
export function productTB(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  // An outer product (one column each, as through a one-output layer): each element is one product, a[i]·b[j], so a
  // broadcast multiply gives the same numbers for about half the kernel time of a one-deep matMul (a zero product may
  // carry the other sign, which no later sum tells apart).
  if (a.shape[1] === 1 && b.shape[1] === 1) return tf.mul(a, tf.reshape(b, [1, b.shape[0]!]));
  return fastMatMulVariant() !== null ? tf.matMul(a, b, false, true) : tf.matMul(a, tf.transpose(b));
}

/**
 * Σ over rows of t [rows, cols], as a product with a row of ones: wasm's Sum over the row axis transposes its input
 * first, and took a fifth of the kernel time of these steps (0.4 ms each on Adult's [~500, 200] cells, under load).
 */
function columnSums(ones: tf.Tensor, t: tf.Tensor): tf.Tensor {
  return tf.reshape(tf.matMul(ones, t), [t.shape[1]!]);
}

/** One cell's forward pass and backward errors; tensors in the caller's tidy scope. */
interface CellPass {
  cell: BatchCell;
  /** W_l for l = 1..L (index l − 1). */
  kernels: tf.Tensor[];
  /** h_0 (the cell's x) .. h_{L−1}. */
  inputs: tf.Tensor[];
  /** x·w and xᵀ·g for the cell's x: skipping its zeros when x is mostly zeros (one-hot tables), else dense. */
  x: InputProducts;
  /** m_1..m_{L−1} (index l − 1). */
  masks: tf.Tensor[];
  /** σ(s·z_L) with s = 1 − 2y: the predicted probability of the label the rows do not have, [size, 1]. */
  otherLabel: tf.Tensor;
  /** δ_1..δ_L. */
  deltas: tf.Tensor[];
  /** Σ over the cell's rows of the BCE. */
  lossSum: tf.Scalar;
  /** [1, size] of ones, for column sums. */
  ones: tf.Tensor;
}

function cellPass(model: Model, cell: BatchCell): CellPass {
  const nLayers = model.variables.length / 2;
  const kernels = Array.from({ length: nLayers }, (_, l) => model.variables[2 * l] as tf.Tensor);
  const biases = Array.from({ length: nLayers }, (_, l) => model.variables[2 * l + 1] as tf.Tensor);
  const inputs: tf.Tensor[] = [cell.x];
  const masks: tf.Tensor[] = [];
  const x = sparseInputProducts(cell.x) ?? { times: (w: tf.Tensor) => tf.matMul(cell.x, w), transposeTimes: (g: tf.Tensor) => productTA(cell.x, g) };
  let z = tf.add(x.times(kernels[0]), biases[0]);
  for (let l = 1; l < nLayers; l++) {
    masks.push(tf.step(z));
    inputs.push(tf.relu(z));
    z = tf.add(tf.matMul(inputs[l], kernels[l]), biases[l]);
  }
  // The cell's rows share a label y, and its BCE is softplus(s·z), s = 1 − 2y, with the gradient δ_L = s·σ(s·z): σ(z)
  // for label 0, −σ(−z) for label 1, as TensorFlow.js differentiates the autodiff path's loss (σ(z) − 1 would lose
  // precision where σ(z) is near 1).
  const signed = cell.label === 1 ? tf.neg(z) : z;
  const otherLabel = tf.sigmoid(signed);
  const deltas: tf.Tensor[] = new Array(nLayers);
  deltas[nLayers - 1] = cell.label === 1 ? tf.neg(otherLabel) : otherLabel;
  for (let l = nLayers - 1; l > 0; l--) deltas[l - 1] = tf.mul(productTB(deltas[l], kernels[l]), masks[l - 1]);
  return { cell, kernels, inputs, x, masks, otherLabel, deltas, lossSum: tf.sum(tf.softplus(signed)), ones: tf.ones([1, cell.size]) };
}

/** h_{l−1}ᵀ·t (l 1-based; `layer` = l − 1), through the cell's input products for the first layer. */
function inputTransposeTimes(pass: CellPass, layer: number, t: tf.Tensor): tf.Tensor {
  return layer === 0 ? pass.x.transposeTimes(t) : productTA(pass.inputs[layer], t);
}

/** The cell's g_{W_l} and g_{b_l} for the model variables at `variableIndices` (kernel of layer l at 2l, bias at 2l + 1). */
function cellGradient(pass: CellPass, variableIndices: readonly number[]): tf.Tensor[] {
  return variableIndices.map((index) => {
    const l = index >> 1;
    return index % 2 === 0 ? inputTransposeTimes(pass, l, pass.deltas[l]) : columnSums(pass.ones, pass.deltas[l]);
  });
}

/** Mean σ(z) over the cell's rows (GCM's confidence reads it): a host number, as on the autodiff path. */
function meanProbability(pass: CellPass): number {
  const values = pass.otherLabel.dataSync();
  let sum = 0;
  for (const value of values) sum += pass.cell.label === 1 ? 1 - value : value;
  return sum / values.length;
}

/**
 * Each cell's summed BCE and its gradient with respect to the model's variables at `variableIndices`, as
 * cellGradients (subgroup-gradients.ts) returns them, computed by hand. First order only: nothing is recorded for a
 * second derivative. Tensors in the caller's tidy scope.
 */
export function mlpCellGradients(model: Model, cells: readonly BatchCell[], variableIndices: readonly number[]): CellGradient[] {
  return cells.map((cell) => {
    const pass = cellPass(model, cell);
    return { group: cell.group, label: cell.label, size: cell.size, meanProbability: meanProbability(pass), lossSum: pass.lossSum, grads: cellGradient(pass, variableIndices) };
  });
}

export interface PenaltyGradientOptions {
  lambda: number;
  /** Indices into model.variables of the weights the penalty covers (selectWeights' choice, in variable order). */
  selected: readonly number[];
  /** The penalty from the cells' gradients, or null when the batch offers nothing to compare. */
  penalty(cells: CellGradient[]): tf.Scalar | null;
  /** Optionally the same penalty with its gradient written by hand, used instead of TensorFlow.js's autodiff of `penalty`. */
  penaltyWithGradient?: PenaltyWithGradient;
}

/**
 * λ·penalty(cells) and G = ∂(λ·penalty)/∂g: grads[k][j] for cell k's j-th gradient tensor (undefined where the
 * penalty does not read it); null when nothing is compared. Tensors in the caller's tidy scope.
 */
export type PenaltyWithGradient = (cells: CellGradient[], lambda: number) => { value: tf.Scalar; grads: (tf.Tensor | undefined)[][] } | null;

/**
 * The loss mean BCE + λ·penalty(cell gradients) over the cells' rows and its gradient with respect to every model
 * variable (in model.variables order): what tf.variableGrads gives over the autodiff path. Tensors in the caller's
 * tidy scope.
 */
export function mlpPenaltyGradients(model: Model, cells: readonly BatchCell[], options: PenaltyGradientOptions): { value: tf.Scalar; grads: tf.Tensor[] } {
  const passes = cells.map((cell) => cellPass(model, cell));
  const rows = cells.reduce((n, cell) => n + cell.size, 0);
  const task = tf.div(tf.addN(passes.map((pass) => pass.lossSum)), rows) as tf.Scalar;
  const adjoint = options.lambda === 0 ? null : penaltyAdjoint(passes, options);
  const perCell = passes.map((pass, k) => cellBackward(pass, rows, adjoint === null ? null : (index) => adjoint.of(k, index)));
  const grads = model.variables.map((_, i) => (perCell.length === 1 ? perCell[0][i] : tf.addN(perCell.map((g) => g[i]))));
  return { value: adjoint === null ? task : tf.add(task, adjoint.value), grads };
}

/** λ·penalty, and G = ∂(λ·penalty)/∂g of cell k for model variable `index` (undefined where the penalty does not read it). */
interface PenaltyAdjoint {
  value: tf.Scalar;
  of(k: number, index: number): tf.Tensor | undefined;
}

function penaltyAdjoint(passes: CellPass[], options: PenaltyGradientOptions): PenaltyAdjoint | null {
  const nSelected = options.selected.length;
  const flat = passes.flatMap((pass) => cellGradient(pass, options.selected));
  const means = passes.map(meanProbability);
  const cellsOf = (): CellGradient[] =>
    passes.map(({ cell, lossSum }, k) => ({ group: cell.group, label: cell.label, size: cell.size, meanProbability: means[k], lossSum, grads: flat.slice(k * nSelected, (k + 1) * nSelected) }));
  const positionOf = (index: number) => options.selected.indexOf(index);
  if (options.penaltyWithGradient !== undefined) {
    // The method's own gradient of its penalty, written by hand (gcm.ts, iga.ts, grad-align.ts): no tape.
    const written = options.penaltyWithGradient(cellsOf(), options.lambda);
    if (written === null) return null;
    return { value: written.value, of: (k, index) => (positionOf(index) < 0 ? undefined : written.grads[k][positionOf(index)]) };
  }
  let empty = false;
  // Otherwise the penalty on a tape of its own, with the methods' functions unchanged.
  const { value, grads } = tf.engine().gradients(
    () => {
      const penalty = options.penalty(cellsOf());
      if (penalty === null) {
        empty = true;
        return tf.scalar(0);
      }
      return tf.mul(options.lambda, penalty);
    },
    flat,
    undefined,
    true,
  );
  if (empty) return null;
  return {
    value: value as tf.Scalar,
    of: (k, index) => (positionOf(index) < 0 ? undefined : grads[k * nSelected + positionOf(index)]),
  };
}

const plus = (a: tf.Tensor | null, b: tf.Tensor | null): tf.Tensor | null => (a === null ? b : b === null ? a : tf.add(a, b));

/**
 * One cell's share of the gradient of mean BCE (+ ⟨g, G⟩ when the penalty has an adjoint G for the cell), for every
 * model variable. Reversing the cell's backward pass (l = 1..L) gives the adjoints δ̄_l of its backward errors and
 * contributions to h̄_l and W̄_l; δ̄_L through δ_L and the task's δ_L / rows then start an ordinary backward pass.
 */
function cellBackward(pass: CellPass, rows: number, adjointOf: ((index: number) => tf.Tensor | undefined) | null): tf.Tensor[] {
  const nLayers = pass.kernels.length;
  const kernelGrads: (tf.Tensor | null)[] = new Array(nLayers).fill(null);
  /** Extra adjoint of h_l (index l, l ≥ 1) from the cell's weight sum h_lᵀ·δ_{l+1}. */
  const hiddenAdjoints: (tf.Tensor | null)[] = new Array(nLayers).fill(null);
  let zAdjoint: tf.Tensor = tf.div(pass.deltas[nLayers - 1], rows);

  if (adjointOf !== null) {
    let deltaAdjoint: tf.Tensor | null = null;
    for (let l = 0; l < nLayers; l++) {
      if (l > 0 && deltaAdjoint !== null) {
        // δ_{l} = (δ_{l+1}·W_{l+1}ᵀ) ⊙ m_l (1-based): its adjoint u = δ̄ ⊙ m gives δ̄_{l+1} += u·W_{l+1}, W̄_{l+1} += uᵀ·δ_{l+1}.
        const carried: tf.Tensor = tf.mul(deltaAdjoint, pass.masks[l - 1]);
        deltaAdjoint = tf.matMul(carried, pass.kernels[l]);
        kernelGrads[l] = productTA(carried, pass.deltas[l]);
      }
      // g_W = h_{l−1}ᵀ·δ_l and g_b = Σ δ_l (1-based): δ̄_l += h_{l−1}·G_W + G_b, h̄_{l−1} += δ_l·G_Wᵀ.
      const kernelAdjoint = adjointOf(2 * l);
      const biasAdjoint = adjointOf(2 * l + 1);
      if (kernelAdjoint !== undefined) {
        deltaAdjoint = plus(deltaAdjoint, l === 0 ? pass.x.times(kernelAdjoint) : tf.matMul(pass.inputs[l], kernelAdjoint));
        if (l > 0) hiddenAdjoints[l] = productTB(pass.deltas[l], kernelAdjoint);
      }
      if (biasAdjoint !== undefined) deltaAdjoint = deltaAdjoint === null ? tf.mul(tf.onesLike(pass.deltas[l]), biasAdjoint) : tf.add(deltaAdjoint, biasAdjoint);
    }
    if (deltaAdjoint !== null) {
      // δ_L = s·σ(s·z_L): ∂δ_L/∂z_L = q(1 − q) with q = σ(s·z_L).
      const q = pass.otherLabel;
      zAdjoint = tf.add(zAdjoint, tf.mul(deltaAdjoint, tf.mul(q, tf.sub(1, q))));
    }
  }

  // The ordinary backward pass from the logits' adjoint, with the hidden layers' extra adjoints.
  const biasGrads: tf.Tensor[] = new Array(nLayers);
  for (let l = nLayers - 1; l >= 0; l--) {
    const kernelGrad = inputTransposeTimes(pass, l, zAdjoint);
    kernelGrads[l] = kernelGrads[l] === null ? kernelGrad : tf.add(kernelGrads[l]!, kernelGrad);
    biasGrads[l] = columnSums(pass.ones, zAdjoint);
    if (l > 0) zAdjoint = tf.mul(plus(productTB(zAdjoint, pass.kernels[l]), hiddenAdjoints[l])!, pass.masks[l - 1]);
  }
  return kernelGrads.flatMap((kernel, l) => [kernel!, biasGrads[l]]);
}

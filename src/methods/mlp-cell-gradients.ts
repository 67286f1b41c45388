/**
 * The gradient-penalty step (subgroup-gradients.ts) written out by hand for a plain ReLU MLP with one output and no
 * dropout, the base model of every tabular run. TensorFlow.js's double backprop (a recorded backward pass per cell,
 * then the backward pass of that) runs ~840 kernels per Adult batch; this runs the same mathematics in ~200:
 *
 * - one forward pass over the whole batch, its rows ordered cell after cell (rows are independent in an MLP);
 * - each cell's gradient from that pass: the backward errors δ are computed batch-wide, only the weight sums
 *   hᵀ·δ and the bias sums are taken per cell;
 * - the penalty's gradient with respect to the cell gradients, G = ∂(λ·penalty)/∂g, by TensorFlow.js (the methods'
 *   own penalty functions, unchanged, on a tape of their own);
 * - the adjoint of the cell gradients, Σ_c ∂⟨g_c, G_c⟩/∂θ (a Hessian–vector product per cell), and the task loss's
 *   gradient, assembled from the same backward errors and finished by a single backward pass over the batch.
 *
 * ReLU's second derivative is 0, so its 0/1 masks are constants and the result equals exact double backprop; the
 * sigmoid in the loss's gradient is differentiated (σ' = σ(1 − σ)). Any other model keeps the autodiff path.
 *
 * Notation, layers l = 1..L: h_0 = x, z_l = h_{l−1}·W_l + b_l, h_l = relu(z_l) = z_l ⊙ m_l, the logit z_L.
 * Backward errors: δ_L = σ(z_L) − y (computed as s·σ(s·z_L), s = 1 − 2y), δ_{l−1} = (δ_l·W_lᵀ) ⊙ m_{l−1}; a cell's gradient g_{W_l} = h_{l−1}ᵀ·δ_l and
 * g_{b_l} = Σ_rows δ_l over its rows (the gradient of the cell's summed BCE).
 */
import * as tf from '@tensorflow/tfjs';
import type { MlpArchitecture } from '../nn/mlp.js';
import type { Model } from '../nn/model.js';
import type { BatchCell, CellGradient } from './subgroup-gradients.js';

/** Whether the model is a network this path computes exactly: kind mlp, relu, no dropout, one output. */
export function isPlainReluMlp(model: Model): boolean {
  const config = model.config as Partial<MlpArchitecture>;
  return config.kind === 'mlp' && config.activation === 'relu' && config.dropout === 0 && config.outputDim === 1;
}

/** The forward pass over all cells' rows and the batch-wide backward errors; tensors in the caller's tidy scope. */
interface CellPasses {
  cells: readonly BatchCell[];
  sizes: number[];
  rows: number;
  /** W_l and b_l for l = 1..L (index l − 1). */
  kernels: tf.Tensor2D[];
  biases: tf.Tensor1D[];
  /** h_0..h_{L−1} over all rows, and each split into the cells' rows (h_0's pieces are the cells' own x). */
  inputs: tf.Tensor2D[];
  inputsOfCells: tf.Tensor2D[][];
  /** m_1..m_{L−1}. */
  masks: tf.Tensor2D[];
  /** z_L and σ(s·z_L) (s = 1 − 2y), the predicted probability of the label the row does not have, [rows, 1]. */
  logits: tf.Tensor2D;
  otherLabel: tf.Tensor2D;
  /** δ_1..δ_L, and each split into the cells' rows. */
  deltas: tf.Tensor2D[];
  deltasOfCells: tf.Tensor2D[][];
  /** Σ over the batch of the BCE. */
  lossSum: tf.Scalar;
}

function runPasses(model: Model, cells: readonly BatchCell[]): CellPasses {
  const nLayers = model.variables.length / 2;
  const kernels = Array.from({ length: nLayers }, (_, l) => model.variables[2 * l] as tf.Variable as unknown as tf.Tensor2D);
  const biases = Array.from({ length: nLayers }, (_, l) => model.variables[2 * l + 1] as tf.Variable as unknown as tf.Tensor1D);
  const sizes = cells.map((cell) => cell.size);
  const rows = sizes.reduce((a, b) => a + b, 0);
  // Per row the sign s = 1 − 2y of its label y: the row's BCE is softplus(s·z).
  const signs = new Float32Array(rows);
  let at = 0;
  for (const cell of cells) {
    signs.fill(1 - 2 * cell.label, at, at + cell.size);
    at += cell.size;
  }
  const sign = tf.tensor2d(signs, [rows, 1]);

  const inputs: tf.Tensor2D[] = [cells.length === 1 ? cells[0].x : tf.concat(cells.map((cell) => cell.x))];
  const masks: tf.Tensor2D[] = [];
  let z = tf.add(tf.matMul(inputs[0], kernels[0]), biases[0]) as tf.Tensor2D;
  for (let l = 1; l < nLayers; l++) {
    masks.push(tf.step(z));
    inputs.push(tf.relu(z));
    z = tf.add(tf.matMul(inputs[l], kernels[l]), biases[l]);
  }
  // The loss softplus(s·z) has the gradient δ_L = s·σ(s·z): σ(z) for label 0 and −σ(−z) for label 1, as TensorFlow.js
  // differentiates the autodiff path's loss (σ(z) − 1 would lose precision where σ(z) is near 1).
  const signedLogits: tf.Tensor2D = tf.mul(z, sign);
  const otherLabel: tf.Tensor2D = tf.sigmoid(signedLogits);
  const deltas: tf.Tensor2D[] = new Array(nLayers);
  deltas[nLayers - 1] = tf.mul(otherLabel, sign);
  for (let l = nLayers - 1; l > 0; l--) deltas[l - 1] = tf.mul(tf.matMul(deltas[l], kernels[l], false, true), masks[l - 1]);
  const split = (t: tf.Tensor2D): tf.Tensor2D[] => (cells.length === 1 ? [t] : tf.split(t, sizes));
  return {
    cells,
    sizes,
    rows,
    kernels,
    biases,
    inputs,
    inputsOfCells: inputs.map((h, l) => (l === 0 ? cells.map((cell) => cell.x) : split(h))),
    masks,
    logits: z,
    otherLabel,
    deltas,
    deltasOfCells: deltas.map(split),
    lossSum: tf.sum(tf.softplus(signedLogits)),
  };
}

/** g_{W_l} and g_{b_l} of cell k, in the models' variable order for the variables asked for (indices into it). */
function cellGradient(passes: CellPasses, k: number, variableIndices: readonly number[]): tf.Tensor[] {
  return variableIndices.map((index) => {
    const l = index >> 1;
    const delta = passes.deltasOfCells[l][k];
    return index % 2 === 0 ? tf.matMul(passes.inputsOfCells[l][k], delta, true, false) : tf.sum(delta, 0);
  });
}

/** Mean σ(z) over each cell's rows (GCM's confidence reads it): host numbers, as the autodiff path's. */
function meanProbabilities(passes: CellPasses): number[] {
  const values = passes.otherLabel.dataSync();
  let at = 0;
  return passes.cells.map(({ size, label }) => {
    let sum = 0;
    for (let i = at; i < at + size; i++) sum += label === 1 ? 1 - values[i] : values[i];
    at += size;
    return sum / size;
  });
}

/**
 * Each cell's summed BCE and its gradient with respect to the model's variables at `variableIndices`, as
 * cellGradients (subgroup-gradients.ts) returns them, computed by hand. First order only: nothing is recorded for a
 * second derivative. Tensors in the caller's tidy scope.
 */
export function mlpCellGradients(model: Model, cells: readonly BatchCell[], variableIndices: readonly number[]): CellGradient[] {
  const passes = runPasses(model, cells);
  const means = meanProbabilities(passes);
  const logits: tf.Tensor2D[] = cells.length === 1 ? [passes.logits] : tf.split(passes.logits, passes.sizes);
  return cells.map((cell, k) => {
    const lossSum: tf.Scalar = tf.sum(tf.softplus(cell.label === 1 ? tf.neg(logits[k]) : logits[k]));
    return { group: cell.group, label: cell.label, size: cell.size, meanProbability: means[k], lossSum, grads: cellGradient(passes, k, variableIndices) };
  });
}

export interface PenaltyGradientOptions {
  lambda: number;
  /** Indices into model.variables of the weights the penalty covers (selectWeights' choice, in variable order). */
  selected: readonly number[];
  /** The penalty from the cells' gradients, or null when the batch offers nothing to compare. */
  penalty(cells: CellGradient[]): tf.Scalar | null;
}

/**
 * The loss mean BCE + λ·penalty(cell gradients) over the cells' rows and its gradient with respect to every model
 * variable (in model.variables order): what tf.variableGrads gives over the autodiff path. Tensors in the caller's
 * tidy scope.
 */
export function mlpPenaltyGradients(model: Model, cells: readonly BatchCell[], options: PenaltyGradientOptions): { value: tf.Scalar; grads: tf.Tensor[] } {
  const passes = runPasses(model, cells);
  const task = tf.div(passes.lossSum, passes.rows) as tf.Scalar;
  const adjoint = options.lambda === 0 ? null : penaltyAdjoint(passes, options);
  const grads = backward(passes, adjoint);
  return { value: adjoint === null ? task : tf.add(task, adjoint.value), grads };
}

/** λ·penalty and G = ∂(λ·penalty)/∂g for every cell and selected variable (undefined where it does not depend on g). */
interface PenaltyAdjoint {
  value: tf.Scalar;
  /** [cell][position in options.selected]. */
  ofCells: (tf.Tensor | undefined)[][];
  selected: readonly number[];
}

function penaltyAdjoint(passes: CellPasses, options: PenaltyGradientOptions): PenaltyAdjoint | null {
  const means = meanProbabilities(passes);
  const gradients = passes.cells.map((_, k) => cellGradient(passes, k, options.selected));
  const flat = gradients.flat();
  const nSelected = options.selected.length;
  let empty = false;
  // The penalty's own tape: its functions are the methods' (gcm.ts, iga.ts, grad-align.ts), unchanged.
  const { value, grads } = tf.engine().gradients(
    () => {
      const cells: CellGradient[] = passes.cells.map((cell, k) => ({
        group: cell.group,
        label: cell.label,
        size: cell.size,
        meanProbability: means[k],
        lossSum: undefined as unknown as tf.Scalar, // the penalties read gradients, sizes and confidences only
        grads: flat.slice(k * nSelected, (k + 1) * nSelected),
      }));
      const penalty = options.penalty(cells);
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
  return { value: value as tf.Scalar, ofCells: passes.cells.map((_, k) => grads.slice(k * nSelected, (k + 1) * nSelected)), selected: options.selected };
}

/** Concatenates the cells' pieces (cells without a piece contribute zeros); null when no cell has one. */
function joinCells(passes: CellPasses, pieces: (tf.Tensor | null)[], columns: number): tf.Tensor | null {
  if (pieces.every((piece) => piece === null)) return null;
  const filled = pieces.map((piece, k): tf.Tensor => piece ?? tf.zeros([passes.sizes[k], columns]));
  return filled.length === 1 ? filled[0] : tf.concat(filled);
}

const plus = (a: tf.Tensor | null, b: tf.Tensor | null): tf.Tensor | null => (a === null ? b : b === null ? a : tf.add(a, b));

/**
 * The gradient of mean BCE (+ Σ_c ⟨g_c, G_c⟩ when there is a penalty adjoint) with respect to every variable.
 * Reversing the cells' backward pass (l = 1..L) gives the adjoints δ̄_l of the backward errors and contributions to
 * h̄_l and W̄_l; then δ̄_L through δ_L and the task's δ_L / rows start one ordinary backward pass.
 */
function backward(passes: CellPasses, adjoint: PenaltyAdjoint | null): tf.Tensor[] {
  const nLayers = passes.kernels.length;
  const kernelGrads: (tf.Tensor | null)[] = new Array(nLayers).fill(null);
  const biasGrads: (tf.Tensor | null)[] = new Array(nLayers).fill(null);
  /** Extra adjoint of h_l (l = 1..L−1, index l) from the cells' weight sums h_lᵀ·δ_{l+1}. */
  const hiddenAdjoints: (tf.Tensor | null)[] = new Array(nLayers).fill(null);
  let output: tf.Tensor = tf.div(passes.deltas[nLayers - 1], passes.rows);

  if (adjoint !== null) {
    const adjointOf = (k: number, index: number) => {
      const position = adjoint.selected.indexOf(index);
      return position < 0 ? undefined : adjoint.ofCells[k][position];
    };
    let deltaAdjoint: tf.Tensor | null = null;
    for (let l = 0; l < nLayers; l++) {
      const width = passes.kernels[l].shape[1];
      if (l > 0) {
        // δ_l = (δ_{l+1}·W_{l+1}ᵀ) ⊙ m_l  (0-based: δ_{l−1} from δ_l): carry its adjoint one layer up.
        const carried: tf.Tensor | null = deltaAdjoint === null ? null : tf.mul(deltaAdjoint, passes.masks[l - 1]);
        deltaAdjoint = carried === null ? null : tf.matMul(carried, passes.kernels[l]);
        if (carried !== null) kernelGrads[l] = tf.matMul(carried, passes.deltas[l], true, false);
      }
      // g_{W_l} = h_{l−1}ᵀ·δ_l and g_{b_l} = Σ δ_l per cell: δ̄_l += h_{l−1}·G_W + G_b, h̄_{l−1} += δ_l·G_Wᵀ.
      const direct = passes.cells.map((_, k) => {
        const kernelAdjoint = adjointOf(k, 2 * l) as tf.Tensor | undefined;
        const biasAdjoint = adjointOf(k, 2 * l + 1);
        if (kernelAdjoint === undefined && biasAdjoint === undefined) return null;
        const fromKernel = kernelAdjoint === undefined ? null : tf.matMul(passes.inputsOfCells[l][k], kernelAdjoint);
        if (biasAdjoint === undefined) return fromKernel;
        return fromKernel === null ? tf.mul(tf.onesLike(passes.deltasOfCells[l][k]), biasAdjoint) : tf.add(fromKernel, biasAdjoint);
      });
      deltaAdjoint = plus(deltaAdjoint, joinCells(passes, direct, width));
      if (l > 0) {
        const toInputs = passes.cells.map((_, k) => {
          const kernelAdjoint = adjointOf(k, 2 * l) as tf.Tensor | undefined;
          return kernelAdjoint === undefined ? null : tf.matMul(passes.deltasOfCells[l][k], kernelAdjoint, false, true);
        });
        hiddenAdjoints[l] = joinCells(passes, toInputs, passes.kernels[l].shape[0]);
      }
    }
    if (deltaAdjoint !== null) {
      // δ_L = s·σ(s·z_L): ∂δ_L/∂z_L = q(1 − q) with q = σ(s·z_L).
      const q = passes.otherLabel;
      output = tf.add(output, tf.mul(deltaAdjoint, tf.mul(q, tf.sub(1, q))));
    }
  }

  // The ordinary backward pass from the logits' adjoint, adding the hidden layers' extra adjoints.
  let zAdjoint = output;
  for (let l = nLayers - 1; l >= 0; l--) {
    const kernelGrad = tf.matMul(passes.inputs[l], zAdjoint, true, false);
    kernelGrads[l] = kernelGrads[l] === null ? kernelGrad : tf.add(kernelGrads[l]!, kernelGrad);
    biasGrads[l] = tf.sum(zAdjoint, 0);
    if (l > 0) zAdjoint = tf.mul(plus(tf.matMul(zAdjoint, passes.kernels[l], false, true), hiddenAdjoints[l])!, passes.masks[l - 1]);
  }
  return kernelGrads.flatMap((kernel, l) => [kernel!, biasGrads[l]!]);
}

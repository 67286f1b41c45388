/**
 * Fair Mixup's penalty (fairmixup.ts) written out by hand for a plain ReLU MLP with one output and no dropout, the
 * base model of every tabular run. The autodiff path records the gradient of the mean prediction with respect to the
 * mixed input and differentiates that again (double backprop); this computes the same value and weight gradient with
 * first-order ops only:
 *
 * - the path derivative as a forward-mode product: the tangent ḣ_0 = x⁰ − x¹ goes through the same layers without
 *   biases, ż_l = ḣ_{l−1}·W_l, ḣ_l = ż_l ⊙ m_l (ReLU's second derivative is 0, so its masks m_l are constants and this
 *   equals exact double backprop); J = (1/m) Σ_i σ'(z_L,i)·ż_L,i and the penalty is |J|;
 * - its weight gradient: sign(J) times two ordinary backward passes through the same masks, one from the logits with
 *   adjoint a_L = σ''(z_L)·ż_L / m (the dependence of σ' on the weights), one from the tangent's logits with adjoint
 *   ȧ_L = σ'(z_L) / m (the tangent's dependence on them, no bias terms): W̄_l = h_{l−1}ᵀ·a_l + ḣ_{l−1}ᵀ·ȧ_l, b̄_l = Σ a_l.
 *
 * The first layer is linear in the input, so it never forms x_t = t·x⁰ + (1−t)·x¹ or the direction: with Z⁰ = x⁰·W₁
 * and Z¹ = x¹·W₁, ż_1 = Z⁰ − Z¹ and z_1 = Z¹ + t·ż_1 + b₁, and its weight gradient is x⁰ᵀ·G⁰ + x¹ᵀ·G¹ with
 * G⁰ = t·a_1 + ȧ_1, G¹ = (1−t)·a_1 − ȧ_1 = a_1 − G⁰. When the inputs are mostly zeros (one-hot tables), these
 * products skip the zeros of x⁰ and x¹ (src/nn/sparse-input-product.ts decides per side, as per cell for gcm). The
 * same values as the autodiff path up to float32 rounding (sums in another order).
 *
 * The sum of the paths' penalties is one tf.customGrad over the model's variables, so the training loop's
 * minimize differentiates it as any other penalty. Any other model keeps the autodiff path.
 */
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../nn/model.js';
import { productTA, productTB } from './mlp-cell-gradients.js';
import { sparseInputProducts } from '../nn/sparse-input-product.js';

/** One mixup path: the rows of its two sides, [rows, inputDim] each, row-major, and its mixing weight t. */
export interface MixupPath {
  x0: Float32Array;
  x1: Float32Array;
  rows: number;
  t: number;
}

/**
 * The first layer's products of every path: Z⁰ = x⁰·W₁ and Z¹ = x¹·W₁, and the kernel gradient
 * Σ_paths x⁰ᵀ·G⁰ + x¹ᵀ·G¹. A mostly-zero side's products skip its zeros (sparseInputProducts, in place on the
 * backend's memory, so one product per side costs no copies); a side it declines takes the dense products.
 */
interface FirstLayerProducts {
  preactivations(p: number): { z0: tf.Tensor; z1: tf.Tensor };
  addGradient(p: number, g0: tf.Tensor, g1: tf.Tensor): void;
  kernelGradient(): tf.Tensor;
}

function firstLayerProducts(kernel: tf.Tensor, paths: readonly MixupPath[]): FirstLayerProducts {
  const d = kernel.shape[0]!;
  const sides = paths.map((path) => [path.x0, path.x1].map((rows) => tf.tensor2d(rows, [path.rows, d])));
  const sparse = sides.map((pair) => pair.map((x) => sparseInputProducts(x)));
  const times = (p: number, side: number) => sparse[p][side]?.times(kernel) ?? tf.matMul(sides[p][side], kernel);
  const transposeTimes = (p: number, side: number, g: tf.Tensor) => sparse[p][side]?.transposeTimes(g) ?? productTA(sides[p][side], g);
  const terms: tf.Tensor[] = [];
  return {
    preactivations: (p) => ({ z0: times(p, 0), z1: times(p, 1) }),
    addGradient: (p, g0, g1) => terms.push(transposeTimes(p, 0, g0), transposeTimes(p, 1, g1)),
    kernelGradient: () => tf.addN(terms),
  };
}

/**
 * One path's |J| and its gradients with respect to layers 2..L (model.variables order from index 2) and to the first
 * layer's bias, from its first-layer pre-activations Z⁰, Z¹; hands the first layer's kernel-gradient rows to `first`.
 */
function pathPenaltyAndGradients(kernels: tf.Tensor[], biases: tf.Tensor[], first: FirstLayerProducts, p: number, t: number): { value: tf.Scalar; grads: tf.Tensor[] } {
  const nLayers = kernels.length;
  const { z0, z1 } = first.preactivations(p);
  const rows = z0.shape[0]!;
  // z_1 = t·Z⁰ + (1 − t)·Z¹ + b₁ = Z¹ + t·ż_1 + b₁.
  let zTangent = tf.sub(z0, z1);
  let z = tf.add(tf.add(z1, tf.mul(t, zTangent)), biases[0]);
  const inputs: tf.Tensor[] = [];
  const tangents: tf.Tensor[] = [];
  const masks: tf.Tensor[] = [];
  for (let l = 1; l < nLayers; l++) {
    masks[l - 1] = tf.step(z);
    inputs[l] = tf.relu(z);
    tangents[l] = tf.mul(zTangent, masks[l - 1]);
    z = tf.add(tf.matMul(inputs[l], kernels[l]), biases[l]);
    zTangent = tf.matMul(tangents[l], kernels[l]);
  }
  const probability = tf.sigmoid(z);
  const slope = tf.mul(probability, tf.sub(1, probability));
  const derivative = tf.div(tf.sum(tf.mul(slope, zTangent)), rows) as tf.Scalar;
  // d|J|/dJ as TensorFlow.js's Abs gradient takes it: 1 where J > 0, else −1 (also at J = 0).
  const sign = tf.div(tf.step(derivative, -1), rows);
  // σ'' = σ'(1 − 2σ).
  let adjoint: tf.Tensor = tf.mul(sign, tf.mul(tf.mul(slope, tf.sub(1, tf.mul(2, probability))), zTangent));
  let tangentAdjoint: tf.Tensor = tf.mul(sign, slope);
  const ones = tf.ones([1, rows]);
  const grads: tf.Tensor[] = new Array(2 * nLayers);
  for (let l = nLayers - 1; l >= 0; l--) {
    grads[2 * l + 1] = tf.reshape(tf.matMul(ones, adjoint), [adjoint.shape[1]!]);
    if (l === 0) break;
    grads[2 * l] = tf.add(productTA(inputs[l], adjoint), productTA(tangents[l], tangentAdjoint));
    // Through the one-output layer, a·W_Lᵀ is an outer product: a broadcast product with the mask folded in once.
    if (l === nLayers - 1) {
      const carry = tf.mul(tf.reshape(kernels[l], [1, kernels[l].shape[0]]), masks[l - 1]);
      adjoint = tf.mul(adjoint, carry);
      tangentAdjoint = tf.mul(tangentAdjoint, carry);
    } else {
      adjoint = tf.mul(productTB(adjoint, kernels[l]), masks[l - 1]);
      tangentAdjoint = tf.mul(productTB(tangentAdjoint, kernels[l]), masks[l - 1]);
    }
  }
  // x_tᵀ·a + (x⁰ − x¹)ᵀ·ȧ = x⁰ᵀ·G⁰ + x¹ᵀ·G¹ with G⁰ = t·a + ȧ and G¹ = (1 − t)·a − ȧ = a − G⁰.
  const g0 = tf.add(tf.mul(t, adjoint), tangentAdjoint);
  first.addGradient(p, g0, tf.sub(adjoint, g0));
  return { value: tf.abs(derivative), grads };
}

/**
 * Σ over the paths of |d/dt mean σ(f(x_t))| for a plain ReLU MLP (isPlainReluMlp), differentiable with respect to
 * model.variables by a gradient computed here by hand. At least one path.
 */
export function mlpMixupPenalty(model: Model, paths: readonly MixupPath[]): tf.Scalar {
  const nLayers = model.variables.length / 2;
  const penalty = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const variables = args.slice(0, -1) as tf.Tensor[];
    const kernels = Array.from({ length: nLayers }, (_, l) => variables[2 * l]);
    const biases = Array.from({ length: nLayers }, (_, l) => variables[2 * l + 1]);
    const first = firstLayerProducts(kernels[0], paths);
    const perPath = paths.map((path, p) => pathPenaltyAndGradients(kernels, biases, first, p, path.t));
    const sum = (tensors: tf.Tensor[]) => (tensors.length === 1 ? tensors[0] : tf.addN(tensors));
    const grads = variables.map((_, i) => (i === 0 ? first.kernelGradient() : sum(perPath.map((r) => r.grads[i]))));
    save(grads);
    return { value: sum(perPath.map((r) => r.value)) as tf.Scalar, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => saved.map((g) => tf.mul(dy, g)) };
  });
  return tf.tidy(() => penalty(...model.variables) as tf.Scalar);
}

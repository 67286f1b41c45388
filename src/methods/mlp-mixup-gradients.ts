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
 * The sum of the paths' penalties is one tf.customGrad over the model's variables, so the training loop's
 * minimize differentiates it as any other penalty. Any other model keeps the autodiff path.
 */
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../nn/model.js';
import { productTA, productTB } from './mlp-cell-gradients.js';

/** One mixup path: its mixed rows x_t = t·x⁰ + (1−t)·x¹ and direction x⁰ − x¹, [m, inputDim] each, row-major. */
export interface MixupPath {
  mixed: Float32Array;
  direction: Float32Array;
  rows: number;
}

/**
 * x_t and x⁰ − x¹ on the host, rounded as tf.add(tf.mul(t, x⁰), tf.mul(1 − t, x¹)) and tf.sub(x⁰, x¹) round them in
 * float32 (each product and sum of two float32 is rounded once), so the values are those of the autodiff path.
 */
export function mixupPath(x0: Float32Array, x1: Float32Array, rows: number, t: number): MixupPath {
  const a = Math.fround(t);
  const b = Math.fround(1 - t);
  const mixed = new Float32Array(x0.length);
  const direction = new Float32Array(x0.length);
  for (let i = 0; i < x0.length; i++) {
    mixed[i] = Math.fround(a * x0[i]) + Math.fround(b * x1[i]);
    direction[i] = x0[i] - x1[i];
  }
  return { mixed, direction, rows };
}

/** One path's |J| and its gradient with respect to every model variable (model.variables order). */
function pathPenaltyAndGradients(kernels: tf.Tensor[], biases: tf.Tensor[], path: MixupPath): { value: tf.Scalar; grads: tf.Tensor[] } {
  const nLayers = kernels.length;
  const inputDim = path.mixed.length / path.rows;
  const inputs: tf.Tensor[] = [tf.tensor2d(path.mixed, [path.rows, inputDim])];
  const tangents: tf.Tensor[] = [tf.tensor2d(path.direction, [path.rows, inputDim])];
  const masks: tf.Tensor[] = [];
  let z = tf.add(tf.matMul(inputs[0], kernels[0]), biases[0]);
  let zTangent = tf.matMul(tangents[0], kernels[0]);
  for (let l = 1; l < nLayers; l++) {
    masks.push(tf.step(z));
    inputs.push(tf.relu(z));
    tangents.push(tf.mul(zTangent, masks[l - 1]));
    z = tf.add(tf.matMul(inputs[l], kernels[l]), biases[l]);
    zTangent = tf.matMul(tangents[l], kernels[l]);
  }
  const probability = tf.sigmoid(z);
  const slope = tf.mul(probability, tf.sub(1, probability));
  const derivative = tf.div(tf.sum(tf.mul(slope, zTangent)), path.rows) as tf.Scalar;
  // d|J|/dJ as TensorFlow.js's Abs gradient takes it: 1 where J > 0, else −1 (also at J = 0).
  const sign = tf.div(tf.step(derivative, -1), path.rows);
  // σ'' = σ'(1 − 2σ).
  let adjoint: tf.Tensor = tf.mul(sign, tf.mul(tf.mul(slope, tf.sub(1, tf.mul(2, probability))), zTangent));
  let tangentAdjoint: tf.Tensor = tf.mul(sign, slope);
  const ones = tf.ones([1, path.rows]);
  const grads: tf.Tensor[] = new Array(2 * nLayers);
  for (let l = nLayers - 1; l >= 0; l--) {
    grads[2 * l] = tf.add(productTA(inputs[l], adjoint), productTA(tangents[l], tangentAdjoint));
    grads[2 * l + 1] = tf.reshape(tf.matMul(ones, adjoint), [adjoint.shape[1]!]);
    if (l > 0) {
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
  }
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
    const perPath = paths.map((path) => pathPenaltyAndGradients(kernels, biases, path));
    const grads = variables.map((_, i) => (perPath.length === 1 ? perPath[0].grads[i] : tf.addN(perPath.map((p) => p.grads[i]))));
    save(grads);
    const value = perPath.length === 1 ? perPath[0].value : (tf.addN(perPath.map((p) => p.value)) as tf.Scalar);
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => saved.map((g) => tf.mul(dy, g)) };
  });
  return tf.tidy(() => penalty(...model.variables) as tf.Scalar);
}

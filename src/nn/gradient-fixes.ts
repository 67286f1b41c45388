import * as tf from '@tensorflow/tfjs';
import { fastMatMulVariant } from './fast-matmul.js';

/**
 * Replacement gradients for TensorFlow.js kernels (see shared/specs/tfjs.md).
 *
 * - BatchMatMul: the stock gradient uses matMul with transposeA/transposeB, which is ≈12× slower on
 *   wasm than an explicit transpose followed by a plain matMul. The replacement transposes explicitly;
 *   both ops are differentiable, so second-order gradients stay exact. With fairkit's fast matMul kernel on
 *   (fast-matmul.ts), which reads transposed operands at full speed, it uses the transposed forms directly.
 * - Sigmoid, Tanh, Exp: the stock gradients reuse the op's saved output, which the second derivative
 *   then treats as a constant (tfjs issue 3252), silently wrong. The replacements recompute the output
 *   from the saved input, so differentiating the gradient again is exact.
 * - Sum, Relu: the stock gradients' arithmetic with two needless costs removed, bit for bit the same values. Sum's
 *   spreads dy over x's shape by a Multiply with `tf.ones`, filled by a JavaScript loop and copied into the backend
 *   (3 % of a medl epoch's CPU time for the random effect's [rows, features] sum); `tf.fill` fills the backend's
 *   memory directly. Relu's multiplies dy by `cast(step(x), 'float32')`, and casting a float32 step to float32 is a
 *   copy kernel; it is left out for float32 x.
 */

/** Swaps the last two axes (the matrix axes of a possibly batched matMul operand). */
function swapLastTwo(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(x, perm);
}

/** Sums a gradient over the batch axes along which the operand was broadcast. */
function reduceToShape(grad: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, grad.shape);
  return axes.length === 0 ? grad : tf.reshape(tf.sum(grad, axes), shape);
}

const batchMatMulGrad: tf.GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved;
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const dyT = dy as tf.Tensor;
    // fairkit's fast kernel reads transposed operands at full speed: the stock transposed form then saves the copies.
    if (fastMatMulVariant() !== null) {
      return {
        a: () => reduceToShape(transposeA ? tf.matMul(b, dyT, transposeB, true) : tf.matMul(dyT, b, false, !transposeB), a.shape),
        b: () => reduceToShape(transposeB ? tf.matMul(dyT, a, true, transposeA) : tf.matMul(a, dyT, !transposeA, false), b.shape),
      };
    }
    // With A' = op(A), B' = op(B) and C = A'·B': dA' = dC·B'ᵀ and dB' = A'ᵀ·dC.
    const bPrimeT = transposeB ? b : swapLastTwo(b);
    const aPrimeT = transposeA ? a : swapLastTwo(a);
    return {
      a: () => {
        const dAPrime = tf.matMul(dyT, bPrimeT);
        return reduceToShape(transposeA ? swapLastTwo(dAPrime) : dAPrime, a.shape);
      },
      b: () => {
        const dBPrime = tf.matMul(aPrimeT, dyT);
        return reduceToShape(transposeB ? swapLastTwo(dBPrime) : dBPrime, b.shape);
      },
    };
  },
};

function fromSavedInput(kernelName: string, derivative: (x: tf.Tensor) => tf.Tensor): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      return { x: () => tf.mul(dy as tf.Tensor, derivative(x)) };
    },
  };
}

/**
 * Max's gradient exactly as TensorFlow.js's (dy where x equals its maximum), but with the maximum spread to x's shape
 * (times ones: exact) before the comparison: on wasm a broadcast Equal, and Tile (tf.broadcastTo), each take about
 * 4 ms for [2000,14] against [2000,1], the multiply and the plain Equal 0.7 ms together; logSumExp's backward pass
 * (the softmax adversaries of medl, fair-medl, fair-da) runs it every step.
 */
const maxGrad: tf.GradConfig = {
  kernelName: tf.Max,
  inputsToSave: ['x'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, y] = saved;
    const axes = tf.util.parseAxisParam(attrs.reductionIndices as number | number[], x.shape);
    const keptShape = x.shape.map((size, axis) => (axes.includes(axis) ? 1 : size));
    return {
      x: () => tf.mul(tf.reshape(dy as tf.Tensor, keptShape), tf.cast(tf.equal(x, tf.mul(tf.reshape(y, keptShape), tf.onesLike(x))), (dy as tf.Tensor).dtype)),
    };
  },
};

const sumGrad: tf.GradConfig = {
  kernelName: tf.Sum,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
    const keptShape = x.shape.map((size, axis) => (axes.includes(axis) ? 1 : size));
    return { x: () => tf.mul(tf.reshape(dy as tf.Tensor, keptShape), tf.fill(x.shape, 1, 'float32')) };
  },
};

const reluGrad: tf.GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    const step = tf.step(x);
    return { x: () => tf.mul(dy as tf.Tensor, x.dtype === 'float32' ? step : tf.cast(step, 'float32')) };
  },
};

const FIXES: tf.GradConfig[] = [
  batchMatMulGrad,
  maxGrad,
  sumGrad,
  reluGrad,
  fromSavedInput(tf.Sigmoid, (x) => {
    const s = tf.sigmoid(x);
    return tf.mul(s, tf.sub(1, s));
  }),
  fromSavedInput(tf.Tanh, (x) => tf.sub(1, tf.square(tf.tanh(x)))),
  fromSavedInput(tf.Exp, (x) => tf.exp(x)),
];

let stock: tf.GradConfig[] | null = null;

/** Registers the replacement gradients (idempotent). */
export function registerGradientFixes(): void {
  if (stock !== null) return;
  stock = FIXES.map((fix) => {
    const original = tf.getGradient(fix.kernelName);
    if (original === undefined) throw new Error(`TensorFlow.js has no gradient for ${fix.kernelName} to replace`);
    return original;
  });
  for (const fix of FIXES) tf.registerGradient(fix);
}

/** Puts the stock TensorFlow.js gradients back (benchmarks compare against them). */
export function restoreStockGradients(): void {
  if (stock === null) return;
  for (const original of stock) tf.registerGradient(original);
  stock = null;
}

/** Whether the replacement gradients are currently registered. */
export function gradientFixesActive(): boolean {
  return stock !== null;
}

import * as tf from '@tensorflow/tfjs';
import { memoryOffset, type GemmExports, type WasmBackendInternals } from './fast-matmul.js';

/**
 * A faster Sum for the wasm backend (issue 17), installed with the fast matMul (installFastMatMul) and switched off
 * with it (FAIRKIT_FAST_MATMUL=0, setFastMatMulEnabled(false)). Bias gradients sum a batch × units tensor over its
 * batch axis; TensorFlow.js's wasm Sum reduces only innermost axes, so it first transposes the tensor (a Transpose
 * kernel and a copy) and then sums each row. A float32 reduction over leading axes of any tensor of rank ≥ 2 (axes
 * listed in increasing order) is done here instead, by wasm/gemm/reduce.ts's columnSums, in place on the backend's
 * memory and without the transpose. Its result is bit-identical to the original kernel's: both sum each output element in float32 from +0 over the reduced
 * entries in row-major order (TensorFlow.js's C++ Sum is a plain sequential loop; src/nn/fast-sum.test.ts checks
 * adversarial orders). Everything else (other dtypes, other axes, a reduction over all axes, empty tensors) goes to
 * the original kernel.
 */

interface SumArgs {
  inputs: { x: tf.TensorInfo };
  backend: WasmBackendInternals;
  attrs: { axis: number | number[]; keepDims: boolean };
}

let originalSum: ((args: SumArgs) => tf.TensorInfo) | null = null;
let kernelWhileOn: () => GemmExports | null = () => null;
let sumsComputed = 0;

/** Registers the fast Sum once; `kernel` returns the gemm module while the fast kernels are on, else null. */
export function installFastSum(kernel: () => GemmExports | null): void {
  kernelWhileOn = kernel;
  if (originalSum !== null) return;
  const original = tf.getKernel(tf.Sum, 'wasm');
  if (original === undefined) throw new Error('installFastSum: the wasm backend has no Sum kernel');
  originalSum = original.kernelFunc as unknown as (args: SumArgs) => tf.TensorInfo;
  tf.unregisterKernel(tf.Sum, 'wasm');
  tf.registerKernel({ ...original, kernelFunc: fastSum as unknown as tf.KernelFunc });
}

/** How many sums the fast kernel has computed in this process (tests check with it that the kernel ran). */
export function fastSumCount(): number {
  return sumsComputed;
}

/**
 * How many leading axes `axis` names as 0, 1, …, r − 1 in that order (negative numbers allowed), else 0. The order
 * matters: TensorFlow.js moves the reduced axes last in the order given, and sums in that transposed order, so [1, 0]
 * adds the entries in another order than a row-major walk (measured: different bits).
 */
export function leadingAxes(axis: number | number[], shape: number[]): number {
  const axes = tf.util.parseAxisParam(axis, shape);
  return axes.every((a, i) => a === i) ? axes.length : 0;
}

function fastSum(args: SumArgs): tf.TensorInfo {
  const { inputs: { x }, backend, attrs: { axis, keepDims } } = args;
  const kernel = kernelWhileOn();
  const original = originalSum as (args: SumArgs) => tf.TensorInfo;
  if (kernel === null || x.dtype !== 'float32') return original(args);
  const reduced = leadingAxes(axis, x.shape);
  // Reducing all axes (or none) needs no transpose: the original kernel is as fast there.
  if (reduced === 0 || reduced === x.shape.length) return original(args);
  const rows = x.shape.slice(0, reduced).reduce((a, b) => a * b, 1);
  const kept = x.shape.slice(reduced);
  const cols = kept.reduce((a, b) => a * b, 1);
  if (rows === 0 || cols === 0) return original(args);
  sumsComputed++;
  const out = backend.makeOutput(keepDims ? [...x.shape.slice(0, reduced).map(() => 1), ...kept] : kept, 'float32');
  kernel.columnSums(memoryOffset(backend, x), memoryOffset(backend, out), rows, cols);
  return out;
}

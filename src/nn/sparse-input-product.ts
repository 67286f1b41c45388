/**
 * Products with a mostly-zero input matrix x (Adult's one-hot columns leave 12.6% of its entries nonzero) that skip
 * its zeros: x·w and xᵀ·g with wasm/gemm/sparse.ts's kernels (through fast-matmul.ts's sparseProduct, as the fast
 * kernel's own dispatch), run on the TensorFlow.js wasm backend's memory by the
 * fast matMul kernel's module (fast-matmul.ts), so operands are read and results written in place. Registered as
 * TensorFlow.js kernels of their own (they appear in tf.profile; they have no gradient: for hand-written steps that
 * are not recorded, such as src/methods/mlp-cell-gradients.ts).
 *
 * Each output element is summed over x's nonzero entries in index order: bit for bit the fast kernel's GEMM result
 * where fast-matmul.ts's sparseFits holds (n ≠ 1 for x·w; n a multiple of 4 for xᵀ·g), else equal up to float32
 * rounding. The fast kernel itself skips the zeros of a large mostly-zero left operand (every tf.matMul, autodiff
 * included); calling these explicitly still decides for operands below its MIN_SPARSE_CHECK (gcm's small cells).
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { fastKernelExports, memoryOffset, sparseProduct, type GemmExports, type WasmBackendInternals } from './fast-matmul.js';
import { SPARSE_INPUT_BELOW } from './fused-step.js';

const ROWS_TIMES = 'FairkitSparseRowsTimes';
const TRANSPOSE_TIMES = 'FairkitSparseTransposeTimes';

interface SparseKernelArgs {
  inputs: { x: tf.TensorInfo; right: tf.TensorInfo };
  backend: WasmBackendInternals;
  /** How many of x's entries are not zero (decides whether the product is split between threads). */
  attrs: { nonzeros: number };
}

function kernelOrThrow(where: string): GemmExports {
  const kernel = fastKernelExports();
  if (kernel === null) throw new FairkitError('the fast matMul kernel is off; sparse input products need it', { where });
  return kernel;
}

/**
 * The kernel x [rows, d] · w [d, n] → [rows, n] (transposed false), or xᵀ · g for g [rows, n] → [d, n] (true), in
 * place on the backend's memory.
 */
function sparseKernel(name: string, transposed: boolean) {
  return ({ inputs: { x, right }, backend, attrs: { nonzeros } }: SparseKernelArgs): tf.TensorInfo => {
    const [rows, d] = x.shape;
    const n = right.shape[1];
    const out = backend.makeOutput(transposed ? [d, n] : [rows, n], 'float32');
    productsComputed++;
    sparseProduct(kernelOrThrow(name), backend, transposed, memoryOffset(backend, x), memoryOffset(backend, right), memoryOffset(backend, out), rows, d, n, nonzeros);
    return out;
  };
}

let productsComputed = 0;

/** How many sparse input products have run in this process (tests check with it that the sparse path ran). */
export function sparseInputProductCount(): number {
  return productsComputed;
}

let registered = false;
function registerOnce(): void {
  if (registered) return;
  tf.registerKernel({ kernelName: ROWS_TIMES, backendName: 'wasm', kernelFunc: sparseKernel(ROWS_TIMES, false) as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: TRANSPOSE_TIMES, backendName: 'wasm', kernelFunc: sparseKernel(TRANSPOSE_TIMES, true) as unknown as tf.KernelFunc });
  registered = true;
}

/** The two products with one input matrix x. */
export interface InputProducts {
  /** x · w. */
  times(w: tf.Tensor): tf.Tensor;
  /** xᵀ · g. */
  transposeTimes(g: tf.Tensor): tf.Tensor;
}

function checkShapes(x: tf.Tensor, right: tf.Tensor, rowsOfRight: number, what: string): void {
  if (right.rank !== 2 || right.shape[0] !== rowsOfRight || right.dtype !== 'float32') {
    throw new FairkitError(`${what}: expected a float32 matrix with ${rowsOfRight} rows for x of shape [${x.shape}], got ${right.dtype} [${right.shape}]`, { where: 'sparseInputProducts' });
  }
}

/**
 * x's products with its zeros skipped, when the fast matMul kernel is on (wasm backend) and fewer than `below` of x's
 * entries are nonzero (default SPARSE_INPUT_BELOW, the fused step's threshold); else null (use dense products).
 * x: a float32 matrix [rows, d]. The returned functions must be called while x is alive.
 */
export function sparseInputProducts(x: tf.Tensor, below = SPARSE_INPUT_BELOW): InputProducts | null {
  const kernel = fastKernelExports();
  if (kernel === null || tf.getBackend() !== 'wasm' || x.rank !== 2 || x.dtype !== 'float32' || x.size === 0) return null;
  const backend = tf.backend() as unknown as WasmBackendInternals;
  const nonzeros = kernel.countNonzero(memoryOffset(backend, x), x.size);
  if (nonzeros >= below * x.size) return null;
  registerOnce();
  const [rows, d] = x.shape;
  return {
    times: (w) => {
      checkShapes(x, w, d, 'x·w');
      return tf.engine().runKernel(ROWS_TIMES, { x, right: w }, { nonzeros }) as tf.Tensor;
    },
    transposeTimes: (g) => {
      checkShapes(x, g, rows, 'xᵀ·g');
      return tf.engine().runKernel(TRANSPOSE_TIMES, { x, right: g }, { nonzeros }) as tf.Tensor;
    },
  };
}

import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { installFastSum } from './fast-sum.js';
import { chunkHeight, GemmThreads, listedScratchBytes, splitHeight, worthSplitting, type GemmArgs } from './gemm-threads.js';
import { SPARSE_INPUT_BELOW } from './fused-step.js';
import { threadedWasmMemory, wasmThreads } from './wasm-threads.js';
import { WebAssemblyGlobal } from './webassembly.js';

/**
 * A faster BatchMatMul for the wasm backend (issue 17): a register-tiled WebAssembly SIMD GEMM (wasm/gemm/gemm.ts,
 * AssemblyScript) registered as the backend's BatchMatMul kernel, so every method's forward and backward passes use
 * it, double backprop included. The GEMM module imports the backend's own memory: operands are read and the result
 * written where TensorFlow.js keeps them, with no copy. Relaxed-SIMD fused multiply-add is used where V8 accepts it,
 * else plain SIMD. Cases it does not cover (non-float32, empty operands, batch broadcasting of both operands at
 * once) go to the original kernel. On the threaded backend (--threads N) large products are split by rows between
 * the calling thread and N − 1 helper threads (src/nn/gemm-threads.ts), with results bit-identical to one thread.
 *
 * Products whose left operand is mostly zeros (one-hot encoded inputs: x·W and xᵀ·dZ of a first layer) skip the zeros
 * (wasm/gemm/sparse.ts; x·W with 16 output columns in registers over a list of each row's nonzeros, see
 * sparseProduct) wherever the result is bit-identical to the GEMM's — see sparseFits — so every
 * method recorded by TensorFlow.js's autodiff gets the saving, with unchanged weights. On the threaded backend these
 * are split too: x·W by rows, xᵀ·G by output rows, bit-identical to one thread.
 *
 * Installing it also installs the fast Sum (src/nn/fast-sum.ts: leading-axis sums such as bias gradients, on the same
 * module), which follows the same on/off switch.
 */

export type GemmVariant = 'relaxed-simd' | 'simd';

export interface GemmExports {
  gemm(a: number, rowStep: number, colStep: number, b: number, c: number, m: number, k: number, n: number): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  sparseRowsTimes(x: number, w: number, out: number, rows: number, d: number, n: number): void;
  sparseTransposeTimes(x: number, g: number, out: number, rows: number, d: number, n: number): void;
  sparseTransposeTimesRows(x: number, g: number, out: number, rows: number, d: number, n: number, p0: number, p1: number): void;
  sparseRowsTimesListed(x: number, w: number, out: number, rows: number, d: number, n: number, scratch: number): void;
  countNonzero(x: number, n: number): number;
  columnSums(x: number, out: number, rows: number, cols: number): void;
}


export interface WasmBackendInternals {
  wasm: { asm?: { memory?: object }; _malloc(bytes: number): number; _free(ptr: number): void };
  /** One record per tensor data; TensorFlow.js makes a new one whenever data is written to a data id (dataId reuse). */
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/** Where a tensor's values start in the wasm backend's memory (a byte offset, what the gemm module's exports take). */
export const memoryOffset = (backend: WasmBackendInternals, t: tf.TensorInfo): number => backend.dataIdMap.get(t.dataId).memoryOffset;

interface MatMulArgs {
  inputs: { a: tf.TensorInfo; b: tf.TensorInfo };
  backend: WasmBackendInternals;
  attrs: { transposeA: boolean; transposeB: boolean };
}

const WASM_DIR = new URL('../../wasm/build/', import.meta.url);

let gemm: GemmExports | null = null;
let variant: GemmVariant | null = null;
let enabled = false;
let originalKernel: ((args: MatMulArgs) => tf.TensorInfo) | null = null;
let productsComputed = 0;
let helpers: GemmThreads | null = null;
/** How many threads the kernel splits a large product between (1 up to the backend's thread count). */
let threadsInUse = 1;

/**
 * Products of fewer multiply-adds (m·k·n) than this run on the calling thread alone: waking a helper and waiting for
 * it costs tens of microseconds, which only pays on larger products (measured with bench/perf/fast-matmul.ts).
 */
export const MIN_SPLIT_WORK = 1 << 20;
let minSplitWork = MIN_SPLIT_WORK;

/**
 * Compiles the relaxed-SIMD build if V8 validates it (on Node 20 after setting its flag), else the plain one. The
 * threaded wasm backend's memory is shared, and a module can only import a shared memory if it declares one: the
 * `-shared` builds do (wasm/build, built by `npm run build:wasm`).
 */
function compileGemm(shared: boolean): { module: object; variant: GemmVariant } {
  // Node 20 ships relaxed SIMD behind a flag; it must be set before the module compiles. Newer Node has it on.
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  const file = (name: GemmVariant) => readFileSync(new URL(`gemm-${name}${shared ? '-shared' : ''}.wasm`, WASM_DIR));
  const relaxed = file('relaxed-simd');
  if (WebAssemblyGlobal.validate(relaxed)) return { module: new WebAssemblyGlobal.Module(relaxed), variant: 'relaxed-simd' };
  return { module: new WebAssemblyGlobal.Module(file('simd')), variant: 'simd' };
}

/**
 * Registers the fast kernel in place of the wasm backend's BatchMatMul (once; the wasm backend must be active) and
 * switches it on. Returns the SIMD variant in use.
 */
export function installFastMatMul(): GemmVariant {
  if (tf.getBackend() !== 'wasm') throw new Error('installFastMatMul: the wasm backend is not active');
  if (gemm === null) {
    // The threaded build imports its memory rather than exporting it.
    const memory = (tf.backend() as unknown as WasmBackendInternals).wasm.asm?.memory ?? threadedWasmMemory();
    if (!(memory instanceof WebAssemblyGlobal.Memory)) throw new Error('installFastMatMul: the wasm backend exposes no WebAssembly.Memory');
    const shared = (memory as { buffer: unknown }).buffer instanceof SharedArrayBuffer;
    const compiled = compileGemm(shared);
    // Helpers first: if they fail to start, the kernel is not installed and the error (a FairkitError) propagates.
    const threads = shared ? wasmThreads() : 1;
    if (threads > 1) helpers = new GemmThreads(compiled.module, memory, threads - 1);
    threadsInUse = threads;
    gemm = new WebAssemblyGlobal.Instance(compiled.module, { env: { memory } }).exports as unknown as GemmExports;
    variant = compiled.variant;
    const original = tf.getKernel(tf.BatchMatMul, 'wasm');
    if (original === undefined) throw new Error('installFastMatMul: the wasm backend has no BatchMatMul kernel');
    originalKernel = original.kernelFunc as unknown as (args: MatMulArgs) => tf.TensorInfo;
    tf.unregisterKernel(tf.BatchMatMul, 'wasm');
    tf.registerKernel({ ...original, kernelFunc: fastBatchMatMul as unknown as tf.KernelFunc });
    installFastSum(fastKernelExports);
  }
  enabled = true;
  return variant as GemmVariant;
}

/** Switches the installed kernel off (calls go to TensorFlow.js's own) or back on; for comparisons in tests and benchmarks. */
export function setFastMatMulEnabled(on: boolean): void {
  if (on && gemm === null) throw new Error('setFastMatMulEnabled: call installFastMatMul first');
  enabled = on;
}

/**
 * How many threads the kernel splits large products between (from 1 up to the wasm backend's thread count), and
 * from how many multiply-adds on (default MIN_SPLIT_WORK); for benchmarks and tests that compare thread counts in
 * one process.
 */
export function setFastMatMulThreads(threads: number, options: { minSplitWork?: number } = {}): void {
  const available = helpers === null ? 1 : helpers.count + 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > available) {
    throw new FairkitError(`threads must be a whole number from 1 to ${available}, got ${threads}`, { where: 'setFastMatMulThreads' });
  }
  threadsInUse = threads;
  minSplitWork = options.minSplitWork ?? MIN_SPLIT_WORK;
}

/** How many threads the kernel splits large products between (1 before install and on the one-thread backend). */
export function fastMatMulThreads(): number {
  return gemm === null ? 1 : threadsInUse;
}

/**
 * How many row chunks of split products helper threads have computed in this process, of how many there were (tests
 * check that helpers took part; benchmarks show their share).
 */
export function fastMatMulChunks(): { byHelpers: number; total: number } {
  return helpers === null ? { byHelpers: 0, total: 0 } : helpers.chunks();
}

/** The variant in use, or null while the fast kernel is off. */
export function fastMatMulVariant(): GemmVariant | null {
  return enabled ? variant : null;
}

/** The kernel's module on the wasm backend's memory while the fast kernel is on, else null (sparse-input-product.ts uses its sparse products). */
export function fastKernelExports(): GemmExports | null {
  return enabled ? gemm : null;
}

/** How many matMuls the fast kernel has computed in this process (tests check with it that the kernel ran). */
export function fastMatMulCount(): number {
  return productsComputed;
}

/** How many of the fast kernel's products skipped the zeros of a mostly-zero left operand (tests check the dispatch). */
export function fastMatMulSparseCount(): number {
  return sparseProductsComputed;
}

let sparseProductsComputed = 0;
let sparseDispatch = true;

/** Lets mostly-zero left operands skip their zeros (the default) or sends every product to the GEMM; for comparisons. */
export function setSparseDispatch(on: boolean): void {
  sparseDispatch = on;
}

/**
 * Left operands with fewer entries than this are not checked for zeros: their products are too small for skipping
 * zeros to matter. Counting costs ~0.2 ns an entry (0.09 ms for a 2000 × 200 hidden layer, once per batch; a one-hot
 * batch has 2000 × ~100 entries).
 */
export const MIN_SPARSE_CHECK = 1 << 14;

/**
 * How many of a left operand's entries are nonzero, counted once per tensor data: the forward x·W and backward xᵀ·dZ
 * of a batch share the count. Keyed by the backend's record of the data, which TensorFlow.js replaces whenever it
 * writes data (a disposed tensor's data id reused, moved data), so a count cannot outlive the values it was made
 * from. The count only picks the faster path (mostly zeros: fewer than SPARSE_INPUT_BELOW nonzero) and whether to
 * split it: every path gives the same result.
 */
const nonzerosByData = new WeakMap<object, number>();

function nonzeros(kernel: GemmExports, record: { memoryOffset: number }, size: number): number {
  const known = nonzerosByData.get(record);
  if (known !== undefined) return known;
  const count = kernel.countNonzero(record.memoryOffset, size);
  nonzerosByData.set(record, count);
  return count;
}

/**
 * Whether sparse.ts's kernels give the GEMM's result bit for bit: each output element summed over the depth in index
 * order from +0, with the same multiply-add per column (relaxed-SIMD fused in vector columns, multiply then add in the
 * scalar ones). A zero entry adds an exact ±0 to the GEMM's sum, so skipping it changes nothing (for finite B: 0·∞
 * would be NaN). Not for n = 1 (the GEMM's matrix-vector path sums in two interleaved lanes) nor, with A transposed,
 * for n not a multiple of 4 (the GEMM's leftover columns fuse there); not with B transposed or a batch of products.
 */
export function sparseFits(batch: number, transposeA: boolean, transposeB: boolean, m: number, k: number, n: number): boolean {
  if (!sparseDispatch || batch !== 1 || transposeB || m * k < MIN_SPARSE_CHECK) return false;
  return transposeA ? n % 4 === 0 : n !== 1;
}

/**
 * x·right (transposed false) by sparse.ts's listed kernel, which keeps 16 output columns in registers over a list of
 * each row's nonzero terms (1.9× less CPU than the per-nonzero kernel on an Adult batch); the list lives in a scratch
 * area taken from the backend's heap for the call (the gemm module owns no memory; pointers are byte offsets, valid
 * however the memory grows). xᵀ·right (true) stays with the per-nonzero kernel: the listed form measured slower there
 * (building the per-column lists costs more than the output stores it saves; docs/speed.md).
 * With `nonzeros` (x's nonzero count) · n multiply-adds of at least minSplitWork and more than one thread in use, the
 * product is split between the threads (gemm-threads.ts): x·right by chunks of rows, each chunk with its own scratch
 * list; xᵀ·right by ranges of output rows. Each output element is then computed by one thread, as on one thread.
 */
export function sparseProduct(kernel: GemmExports, backend: WasmBackendInternals, transposed: boolean, x: number, right: number, out: number, rows: number, d: number, n: number, nonzeros: number): void {
  const outputRows = transposed ? d : rows;
  const threads = helpers !== null && worthSplitting(outputRows, nonzeros * n, minSplitWork) ? threadsInUse : 1;
  if (transposed) {
    if (threads === 1) kernel.sparseTransposeTimes(x, right, out, rows, d, n);
    else (helpers as GemmThreads).runSplit(kernel, 'sparseTransposeRows', [x, 0, 0, right, out, d, rows, n], splitHeight('sparseTransposeRows', d, threads));
    return;
  }
  const chunkRows = threads === 1 ? rows : splitHeight('sparseRowsListed', rows, threads);
  const bytes = Math.ceil(rows / chunkRows) * listedScratchBytes(d);
  const scratch = backend.wasm._malloc(bytes);
  if (scratch === 0) throw new FairkitError(`could not allocate ${bytes} bytes of scratch on the wasm heap`, { where: 'sparseProduct' });
  try {
    if (threads === 1) kernel.sparseRowsTimesListed(x, right, out, rows, d, n, scratch);
    else (helpers as GemmThreads).runSplit(kernel, 'sparseRowsListed', [x, d, scratch, right, out, rows, d, n], chunkRows);
  } finally {
    backend.wasm._free(scratch);
  }
}

const product = (dims: number[]) => dims.reduce((x, y) => x * y, 1);

function fastBatchMatMul(args: MatMulArgs): tf.TensorInfo {
  const { inputs: { a, b }, backend, attrs: { transposeA, transposeB } } = args;
  const original = originalKernel as (args: MatMulArgs) => tf.TensorInfo;
  if (!enabled || a.dtype !== 'float32' || b.dtype !== 'float32') return original(args);
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kB = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const outBatchShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = product(outBatchShape);
  const batchA = product(a.shape.slice(0, -2));
  const batchB = product(b.shape.slice(0, -2));
  const simpleBroadcast = (batchA === batch || batchA === 1) && (batchB === batch || batchB === 1);
  // The original kernel reports mismatched inner sizes with TensorFlow.js's own message.
  if (k !== kB || m === 0 || k === 0 || !simpleBroadcast) return original(args);

  productsComputed++;
  const out = backend.makeOutput([...outBatchShape, m, n], 'float32');
  const offset = (t: tf.TensorInfo) => memoryOffset(backend, t);
  const [aBase, bBase, cBase] = [offset(a), offset(b), offset(out)];
  const kernel = gemm as GemmExports;
  const aNonzeros = sparseFits(batch, transposeA, transposeB, m, k, n) ? nonzeros(kernel, backend.dataIdMap.get(a.dataId), m * k) : m * k;
  if (aNonzeros < SPARSE_INPUT_BELOW * m * k) {
    sparseProductsComputed++;
    // A is stored rows × depth (x) or, transposed, depth × m (xᵀ·dZ with x batch rows × m).
    if (transposeA) sparseProduct(kernel, backend, true, aBase, bBase, cBase, k, m, n, aNonzeros);
    else sparseProduct(kernel, backend, false, aBase, bBase, cBase, m, k, n, aNonzeros);
    return out;
  }
  const packed = transposeB ? backend.wasm._malloc(k * n * 4) : 0;
  try {
    for (let i = 0; i < batch; i++) {
      const aAt = aBase + (batchA === 1 ? 0 : i * m * k * 4);
      let bAt = bBase + (batchB === 1 ? 0 : i * k * n * 4);
      if (transposeB && (i === 0 || batchB !== 1)) kernel.transpose(bAt, packed, n, k);
      if (transposeB) bAt = packed;
      runGemm(kernel, [aAt, transposeA ? 1 : k, transposeA ? m : 1, bAt, cBase + i * m * n * 4, m, k, n]);
    }
  } finally {
    if (packed !== 0) backend.wasm._free(packed);
  }
  return out;
}

/** One gemm call, shared by rows between the threads in use when it is large enough (bit-identical to one thread). */
function runGemm(kernel: GemmExports, args: GemmArgs): void {
  const [m, k, n] = [args[5], args[6], args[7]];
  if (threadsInUse === 1 || !worthSplitting(m, m * k * n, minSplitWork)) {
    kernel.gemm(...args);
    return;
  }
  (helpers as GemmThreads).run(kernel.gemm, args, chunkHeight(m, threadsInUse));
}

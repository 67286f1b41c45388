/**
 * Child process of wasm-threads.test.ts: each run starts the wasm backend once, in the way its argument names, prints
 * one JSON line and returns without calling process.exit (the test checks that the process then ends on its own).
 */
import { readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { FairkitError } from '../errors.js';
import { initBackend } from './backend.js';
import {
  fastMatMulChunks, fastMatMulSparseCount, fastMatMulThreads, installFastMatMul, setFastMatMulEnabled, setFastMatMulThreads, setSparseDispatch,
} from './fast-matmul.js';
import { GemmThreads } from './gemm-threads.js';
import { Rng } from '../rng.js';
import { relativeError } from './relative-error.test-helper.js';
import { randomMatrix, sparseMatrix } from './sparse-matrix.test-helper.js';
import { sparseInputProducts } from './sparse-input-product.js';
import { startThreadedWasm, wasmThreads } from './wasm-threads.js';

/** Starts one GEMM helper thread on a fresh shared memory with start-up code that fails or never reports. */
function startHelper(startSourceForTests: string): number {
  const api = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => object; Module: new (b: Uint8Array) => object } }).WebAssembly;
  const module = new api.Module(readFileSync(new URL('../../wasm/build/gemm-simd-shared.wasm', import.meta.url)));
  const memory = new api.Memory({ initial: 1, maximum: 65536, shared: true });
  return new GemmThreads(module, memory, 1, { startSourceForTests, timeoutMs: 3000 }).count;
}

/**
 * Products of random shapes (rows enough for several 16-row chunks, depths across the kernel's 256-deep slices, both
 * transposes, batches), each with the kernel on one thread and split between two threads from the smallest size
 * on, and with TensorFlow.js's kernel. Returns how many differed in any bit between one and two threads, the largest
 * relative error against TensorFlow.js's, and how many chunks the helper thread computed.
 */
function compareSplit(): { runs: number; differing: number; maxError: number; helperChunks: number } {
  let [runs, differing, maxError] = [0, 0, 0];
  const shapes = fc.record({
    m: fc.integer({ min: 1, max: 150 }), k: fc.integer({ min: 1, max: 300 }), n: fc.integer({ min: 1, max: 40 }),
    batchA: fc.constantFrom(0, 1, 2), batchB: fc.constantFrom(0, 1, 2), transposeA: fc.boolean(), transposeB: fc.boolean(), seed: fc.nat(),
  });
  fc.assert(
    fc.property(shapes, ({ m, k, n, batchA, batchB, transposeA, transposeB, seed }) => {
      const aShape = [...(batchA ? [batchA] : []), ...(transposeA ? [k, m] : [m, k])];
      const bShape = [...(batchB ? [batchB] : []), ...(transposeB ? [n, k] : [k, n])];
      const product = () => tf.tidy(() => tf.matMul(tf.randomNormal(aShape, 0, 1, 'float32', seed), tf.randomNormal(bShape, 0, 1, 'float32', seed + 1), transposeA, transposeB).dataSync());
      setFastMatMulThreads(1);
      const one = product();
      setFastMatMulThreads(2, { minSplitWork: 0 });
      const two = product();
      setFastMatMulEnabled(false);
      const reference = product();
      setFastMatMulEnabled(true);
      runs++;
      if (!Buffer.from(one.buffer, one.byteOffset, one.byteLength).equals(Buffer.from(two.buffer, two.byteOffset, two.byteLength))) differing++;
      maxError = Math.max(maxError, relativeError(two, reference));
    }),
    { numRuns: 200, seed: 17 },
  );
  setFastMatMulThreads(2);
  return { runs, differing, maxError, helperChunks: fastMatMulChunks().byHelpers };
}

const sameBits = (x: Float32Array, y: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));

/**
 * Mostly-zero products x·W and xᵀ·G of random shapes (an Adult-sized batch first), through the fast kernel's sparse
 * dispatch and through sparseInputProducts: on one thread, split between two threads from the smallest size on, and
 * by the GEMM (sparse dispatch off, one thread). Returns how many products there were, how many took the sparse path
 * on two threads, how many differed in any bit from one thread or from the GEMM, and how many chunks of the split
 * sparse products the helper computed.
 */
function compareSparseSplit(): { runs: number; sparseOnTwo: number; differing: number; helperChunks: number } {
  let [runs, sparseOnTwo, differing, helperChunks] = [0, 0, 0, 0];
  const cases = fc.record({
    rows: fc.integer({ min: 40, max: 700 }), d: fc.integer({ min: 41, max: 300 }), n: fc.integer({ min: 2, max: 60 }),
    transposeA: fc.boolean(), seed: fc.nat(),
  }).map((c) => ({ ...c, n: c.transposeA ? 4 * Math.ceil(c.n / 4) : c.n }));
  const check = ({ rows, d, n, transposeA, seed }: { rows: number; d: number; n: number; transposeA: boolean; seed: number }) => {
    const rng = new Rng(seed);
    const xValues = sparseMatrix(rng, rows, d, 0.1, [0], [1]);
    const rightValues = randomMatrix(rng, transposeA ? rows : d, n);
    const products = () => tf.tidy(() => {
      const [x, right] = [tf.tensor2d(xValues, [rows, d]), tf.tensor2d(rightValues, [transposeA ? rows : d, n])];
      const explicit = sparseInputProducts(x);
      if (explicit === null) throw new Error('sparseInputProducts did not take a 10%-dense x');
      const viaKernel = tf.matMul(x, right, transposeA, false).dataSync() as Float32Array;
      const viaExplicit = (transposeA ? explicit.transposeTimes(right) : explicit.times(right)).dataSync() as Float32Array;
      return [viaKernel, viaExplicit];
    });
    setFastMatMulThreads(1);
    const one = products();
    setFastMatMulThreads(2, { minSplitWork: 0 });
    const [sparseBefore, chunksBefore] = [fastMatMulSparseCount(), fastMatMulChunks().byHelpers];
    const two = products();
    if (fastMatMulSparseCount() > sparseBefore) sparseOnTwo++;
    helperChunks += fastMatMulChunks().byHelpers - chunksBefore;
    setFastMatMulThreads(1);
    setSparseDispatch(false);
    const [gemm] = products();
    setSparseDispatch(true);
    runs++;
    if (![one[0], one[1], two[0], two[1]].every((values) => sameBits(values, gemm))) differing++;
  };
  for (const transposeA of [false, true]) for (let i = 0; i < 5; i++) check({ rows: 2000, d: 104, n: 200, transposeA, seed: i });
  fc.assert(fc.property(cases, (c) => check(c)), { numRuns: 100, seed: 17 });
  setFastMatMulThreads(2);
  return { runs, sparseOnTwo, differing, helperChunks };
}

const setWasm = async () => ((await tf.setBackend('wasm')) ? null : 'tf.setBackend returned false');

async function run(mode: string): Promise<unknown> {
  switch (mode) {
    case 'two-threads-fast-matmul': {
      await initBackend('wasm', { threads: 2 });
      const variant = installFastMatMul();
      const a = tf.randomNormal([301, 170], 0, 1, 'float32', 1);
      const b = tf.randomNormal([90, 170], 0, 1, 'float32', 2);
      const fast = tf.matMul(a, b, false, true).dataSync();
      setFastMatMulEnabled(false);
      const reference = tf.matMul(a, b, false, true).dataSync();
      let difference = 0;
      let scale = 0;
      reference.forEach((value, i) => {
        difference += (fast[i] - value) ** 2;
        scale += value ** 2;
      });
      return { threads: wasmThreads(), poolThreads: getThreadsCount(), variant, relativeError: Math.sqrt(difference / scale) };
    }
    case 'split-products': {
      await initBackend('wasm', { threads: 2 });
      installFastMatMul();
      return { kernelThreads: fastMatMulThreads(), ...compareSplit() };
    }
    case 'split-sparse-products': {
      await initBackend('wasm', { threads: 2 });
      installFastMatMul();
      return compareSparseSplit();
    }
    case 'failing-helper':
      return { helpers: startHelper('throw new Error("injected helper failure");') };
    case 'silent-helper':
      return { helpers: startHelper('Atomics.wait(ctrl, state, 0);') };
    case 'failing-worker':
      await startThreadedWasm(2, setWasm, { workerSourceForTests: 'throw new Error("injected pool failure")' });
      return { threads: wasmThreads() };
    case 'silent-worker':
      await startThreadedWasm(2, setWasm, { workerSourceForTests: '', timeoutMs: 3000 });
      return { threads: wasmThreads() };
    case 'pool-default':
      await initBackend('wasm', { threads: 2 });
      return { threads: wasmThreads(), poolThreads: getThreadsCount() };
    case 'pool-above-threads':
      await startThreadedWasm(2, setWasm, { poolThreads: 3 });
      return { threads: wasmThreads() };
    case 'missing-binary':
      await initBackend('wasm', { threads: 2, wasmDir: '/nonexistent-wasm-dir' });
      return { threads: wasmThreads() };
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

try {
  process.stdout.write(`${JSON.stringify(await run(process.argv[2]))}\n`);
} catch (error) {
  const fairkit = error instanceof FairkitError;
  process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error), fairkit })}\n`);
}

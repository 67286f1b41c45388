/**
 * The matMul products of an Adult epoch (MLP 200, batch 2000), with TensorFlow.js's wasm kernel and with fairkit's
 * fast kernel (src/nn/fast-matmul.ts), alternating in one process: milliseconds per product (best round), GFLOP/s and
 * the ratio.
 *
 * Part of `npm run bench`. Run: node --import tsx bench/perf/fast-matmul.ts [--repeats 20] [--rounds 5]
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/nn/backend.js';
import { fastMatMulChunks, fastMatMulVariant, installFastMatMul, MIN_SPLIT_WORK, setFastMatMulEnabled, setFastMatMulThreads } from '../../src/nn/fast-matmul.js';

/**
 * [A's shape, B's shape, transposeA, transposeB]: the products of an epoch of the MLP 100→200→1 (forward, and the
 * backward products in the transposed forms the matMul gradient uses with the kernel on), then their explicit-copy
 * forms as the gradient uses them without the kernel.
 */
const PRODUCTS: [number[], number[], boolean, boolean][] = [
  [[2000, 100], [100, 200], false, false],
  [[2000, 200], [200, 1], false, false],
  [[2000, 1], [200, 1], false, true],
  [[2000, 200], [2000, 1], true, false],
  [[2000, 100], [2000, 200], true, false],
  [[2000, 200], [100, 200], false, true],
  [[100, 2000], [2000, 200], false, false],
  [[2000, 200], [200, 100], false, false],
  [[200, 2000], [2000, 1], false, false],
];

/** Milliseconds per product over `repeats` products with the kernel chosen (after `setFastMatMulEnabled`). */
function timeProduct(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean, fast: boolean, repeats: number): number {
  setFastMatMulEnabled(fast);
  return timeProducts(a, b, transposeA, transposeB, repeats);
}

function timeProducts(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean, repeats: number): number {
  tf.matMul(a, b, transposeA, transposeB).dispose();
  const started = performance.now();
  for (let i = 0; i < repeats; i++) tf.matMul(a, b, transposeA, transposeB).dispose();
  return (performance.now() - started) / repeats;
}

export async function benchmarkFastMatMul(argv: string[] = []): Promise<void> {
  const option = (name: string, fallback: number) => {
    const value = argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, got ${value}`);
    return value;
  };
  const repeats = option('--repeats', 20);
  const rounds = option('--rounds', 5);
  const threads = option('--threads', 1);
  if ((await initBackend('wasm', { threads })) !== 'wasm') throw new Error('fast-matmul: needs the wasm backend');
  if (threads > 1) {
    installFastMatMul();
    compareThreads(threads, repeats, rounds);
    return;
  }
  // Both kernels are timed; the one the process chose (FAIRKIT_FAST_MATMUL) is restored at the end.
  const chosenBefore = fastMatMulVariant() !== null;
  installFastMatMul();
  console.log(`fast-matmul: ${fastMatMulVariant()} kernel vs TensorFlow.js's wasm kernel, best of ${rounds} alternating rounds of ${repeats} products; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const [aShape, bShape, transposeA, transposeB] of PRODUCTS) {
    const [m, k] = transposeA ? [aShape[1], aShape[0]] : aShape;
    const n = transposeB ? bShape[0] : bShape[1];
    const [a, b] = [tf.randomNormal(aShape, 0, 1, 'float32', 1), tf.randomNormal(bShape, 0, 1, 'float32', 2)];
    const times = { fast: [] as number[], tfjs: [] as number[] };
    // Alternating within each round, so that a burst of load on the shared machine hits both kernels alike; the best
    // round of each is the one least disturbed by other processes.
    for (let round = 0; round < rounds; round++) {
      times.fast.push(timeProduct(a, b, transposeA, transposeB, true, repeats));
      times.tfjs.push(timeProduct(a, b, transposeA, transposeB, false, repeats));
    }
    tf.dispose([a, b]);
    const [fast, tfjs] = [Math.min(...times.fast), Math.min(...times.tfjs)];
    const gflops = (ms: number) => ((2 * m * k * n) / ms / 1e6).toFixed(1);
    console.log(`  ${label(aShape, bShape, transposeA, transposeB).padEnd(26)} fast ${fast.toFixed(3)} ms (${gflops(fast)} GFLOP/s), TF.js ${tfjs.toFixed(3)} ms (${gflops(tfjs)} GFLOP/s): ${(tfjs / fast).toFixed(2)}× faster`);
  }
  setFastMatMulEnabled(chosenBefore);
}

const label = (aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean) => `${aShape.join('×')}${transposeA ? 'ᵀ' : ''} · ${bShape.join('×')}${transposeB ? 'ᵀ' : ''}`;

/**
 * The fast kernel on one thread against `threads` threads, alternating within each round (best round of each): the
 * epoch's products, then square-ish products of growing size with splitting forced on every size.
 */
function compareThreads(threads: number, repeats: number, rounds: number): void {
  setFastMatMulEnabled(true);
  console.log(`fast-matmul: ${fastMatMulVariant()} kernel, 1 thread vs ${threads} threads, best of ${rounds} alternating rounds of ${repeats} products; split from ${MIN_SPLIT_WORK} multiply-adds; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const sweep: [number[], number[], boolean, boolean][] = [16, 32, 64, 96, 128, 192, 256].map((size) => [[size * 2, size], [size, size], false, false]);
  const cases = [...PRODUCTS.map((p) => ({ product: p, minSplitWork: MIN_SPLIT_WORK })), ...sweep.map((p) => ({ product: p, minSplitWork: 0 }))];
  for (const { product: [aShape, bShape, transposeA, transposeB], minSplitWork } of cases) {
    const [m, k] = transposeA ? [aShape[1], aShape[0]] : aShape;
    const n = transposeB ? bShape[0] : bShape[1];
    const [a, b] = [tf.randomNormal(aShape, 0, 1, 'float32', 1), tf.randomNormal(bShape, 0, 1, 'float32', 2)];
    const times = { one: [] as number[], many: [] as number[] };
    const chunksBefore = fastMatMulChunks();
    for (let round = 0; round < rounds; round++) {
      setFastMatMulThreads(1);
      times.one.push(timeProducts(a, b, transposeA, transposeB, repeats));
      setFastMatMulThreads(threads, { minSplitWork });
      times.many.push(timeProducts(a, b, transposeA, transposeB, repeats));
    }
    tf.dispose([a, b]);
    const [one, many] = [Math.min(...times.one), Math.min(...times.many)];
    const chunks = fastMatMulChunks();
    const [byHelpers, total] = [chunks.byHelpers - chunksBefore.byHelpers, chunks.total - chunksBefore.total];
    // The helpers' share of the chunks: near (N − 1) / N when their cores were free, near 0 when the OS ran them late.
    const split = total === 0 ? 'not split' : `helpers ${((100 * byHelpers) / total).toFixed(0)}%`;
    console.log(`  ${label(aShape, bShape, transposeA, transposeB).padEnd(26)} ${String(m * k * n).padStart(9)} madds (${split.padEnd(12)}) 1 thread ${one.toFixed(3)} ms, ${threads} threads ${many.toFixed(3)} ms: ${(one / many).toFixed(2)}× faster`);
  }
  setFastMatMulThreads(threads);
  console.log(`fast-matmul: load average at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkFastMatMul(process.argv.slice(2));
}

/**
 * The matMul products of an Adult epoch (MLP 200, batch 2000), with TensorFlow.js's wasm kernel and with fairkit's
 * fast kernel (src/nn/fast-matmul.ts), alternating in one process: milliseconds per product, GFLOP/s and the ratio.
 *
 * Part of `npm run bench`. Run: node --import tsx bench/perf/fast-matmul.ts [--repeats 20]
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/nn/backend.js';
import { fastMatMulVariant, installFastMatMul, setFastMatMulEnabled } from '../../src/nn/fast-matmul.js';

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

function timeProduct([aShape, bShape, transposeA, transposeB]: (typeof PRODUCTS)[number], fast: boolean, repeats: number): number {
  setFastMatMulEnabled(fast);
  const [a, b] = [tf.randomNormal(aShape, 0, 1, 'float32', 1), tf.randomNormal(bShape, 0, 1, 'float32', 2)];
  for (let i = 0; i < 3; i++) tf.matMul(a, b, transposeA, transposeB).dispose();
  const started = performance.now();
  for (let i = 0; i < repeats; i++) tf.matMul(a, b, transposeA, transposeB).dispose();
  tf.dispose([a, b]);
  return (performance.now() - started) / repeats;
}

export async function benchmarkFastMatMul(argv: string[] = []): Promise<void> {
  const repeats = argv.includes('--repeats') ? Number(argv[argv.indexOf('--repeats') + 1]) : 20;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats must be a whole number ≥ 1, got ${repeats}`);
  if ((await initBackend('wasm')) !== 'wasm') throw new Error('fast-matmul: needs the wasm backend');
  installFastMatMul();
  console.log(`fast-matmul: ${fastMatMulVariant()} kernel vs TensorFlow.js's wasm kernel, ${repeats} repeats; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const product of PRODUCTS) {
    const [aShape, bShape, transposeA, transposeB] = product;
    const [m, k] = transposeA ? [aShape[1], aShape[0]] : aShape;
    const n = transposeB ? bShape[0] : bShape[1];
    const [fast, tfjs] = [timeProduct(product, true, repeats), timeProduct(product, false, repeats)];
    const gflops = (ms: number) => ((2 * m * k * n) / ms / 1e6).toFixed(1);
    const label = `${aShape.join('×')}${transposeA ? 'ᵀ' : ''} · ${bShape.join('×')}${transposeB ? 'ᵀ' : ''}`;
    console.log(`  ${label.padEnd(26)} fast ${fast.toFixed(2)} ms (${gflops(fast)} GFLOP/s), TF.js ${tfjs.toFixed(2)} ms (${gflops(tfjs)} GFLOP/s): ${(tfjs / fast).toFixed(2)}× faster`);
  }
  setFastMatMulEnabled(false);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkFastMatMul(process.argv.slice(2));
}

/**
 * Micro benchmark of the nn engine: one epoch of an MLP 100→200→1 (ReLU) on 45,000 random rows, batch
 * 2000, Adam, with and without the BatchMatMul gradient fix; then the cost of one plain step against one
 * GCM-style double-backprop step. Run: node --import tsx bench/perf/nn.ts (FAIRKIT_BACKEND picks
 * the backend; default wasm).
 */
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/rng.js';
import { initBackend } from '../../src/nn/backend.js';
import { registerGradientFixes, restoreStockGradients } from '../../src/nn/gradient-fixes.js';
import { bceWithLogits } from '../../src/nn/losses.js';
import { buildMlp, type Mlp } from '../../src/nn/mlp.js';

const N_ROWS = 45_000;
const INPUT_DIM = 100;
const BATCH = 2000;

interface Data {
  X: Float32Array;
  y: Float32Array;
}

function randomData(seed: number): Data {
  const rng = new Rng(seed);
  return {
    X: new Float32Array(N_ROWS * INPUT_DIM).map(() => rng.normal()),
    y: new Float32Array(N_ROWS).map(() => (rng.uniform() < 0.25 ? 1 : 0)),
  };
}

function step(model: Mlp, optimizer: tf.Optimizer, data: Data, start: number, doubleBackprop: boolean): void {
  const rows = Math.min(BATCH, N_ROWS - start);
  tf.tidy(() => {
    const x = tf.tensor2d(data.X.subarray(start * INPUT_DIM, (start + rows) * INPUT_DIM), [rows, INPUT_DIM]);
    const y = tf.tensor1d(data.y.subarray(start, start + rows));
    const lossOf = () => bceWithLogits(model.apply(x), y);
    if (!doubleBackprop) {
      optimizer.minimize(lossOf, false, model.variables);
      return;
    }
    const kernel = model.variables[0];
    // One forward pass serves both the loss and the inner gradient that the penalty differentiates.
    const { grads } = tf.variableGrads((): tf.Scalar => {
      const inner = tf.variableGrads(lossOf, [kernel]);
      return tf.add(inner.value, tf.mul(0.1, tf.sum(tf.square(inner.grads[kernel.name]))));
    }, model.variables);
    optimizer.applyGradients(grads);
  });
}

/** Seconds for one epoch (after two warm-up steps). */
function timeEpoch(data: Data): number {
  const model = buildMlp({ inputDim: INPUT_DIM, hidden: [200], activation: 'relu', seed: 1 });
  const optimizer = tf.train.adam(1e-3);
  for (let s = 0; s < 2; s++) step(model, optimizer, data, s * BATCH, false);
  const started = performance.now();
  for (let start = 0; start < N_ROWS; start += BATCH) step(model, optimizer, data, start, false);
  (model.variables[0].dataSync() as Float32Array)[0]; // wait for queued work, if any
  const seconds = (performance.now() - started) / 1000;
  optimizer.dispose();
  model.dispose();
  return seconds;
}

/** Milliseconds per full-batch step, plain and double-backprop. */
function timeSteps(data: Data, repeats: number): { plain: number; double: number } {
  const model = buildMlp({ inputDim: INPUT_DIM, hidden: [200], activation: 'relu', seed: 1 });
  const optimizer = tf.train.adam(1e-3);
  const result = { plain: 0, double: 0 };
  for (const kind of ['plain', 'double'] as const) {
    step(model, optimizer, data, 0, kind === 'double');
    const started = performance.now();
    for (let r = 0; r < repeats; r++) step(model, optimizer, data, (r % 20) * BATCH, kind === 'double');
    result[kind] = (performance.now() - started) / repeats;
  }
  optimizer.dispose();
  model.dispose();
  return result;
}

export async function benchmarkNn(): Promise<void> {
  const backend = await initBackend();
  const data = randomData(42);
  const best = (f: () => number) => Math.min(f(), f());
  restoreStockGradients();
  const stock = best(() => timeEpoch(data));
  registerGradientFixes();
  const fixed = best(() => timeEpoch(data));
  const steps = timeSteps(data, 20);
  console.log(`backend ${backend}; MLP ${INPUT_DIM}→200→1, ${N_ROWS} rows, batch ${BATCH}, Adam; best of 2 epochs`);
  console.log(`epoch, stock BatchMatMul gradient: ${stock.toFixed(3)} s`);
  console.log(`epoch, fixed BatchMatMul gradient: ${fixed.toFixed(3)} s`);
  console.log(`speed-up (stock / fixed): ${(stock / fixed).toFixed(2)}×`);
  console.log(`step at batch ${BATCH} (fixed): plain ${steps.plain.toFixed(1)} ms, double backprop ${steps.double.toFixed(1)} ms`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkNn();
}

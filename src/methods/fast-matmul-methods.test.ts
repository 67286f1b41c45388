/**
 * Issue 17's proof that fairkit's fast matMul kernel (src/nn/fast-matmul.ts) is a second code path equal to
 * TensorFlow.js's own, for every registered method: one training step's parameter update on the same weights and
 * batch, and a short loss curve, each run once with TensorFlow.js's kernel and once with the fast one (same seeds).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { prepareDataset } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import type { EncodedDataset } from '../data/types.js';
import { initBackend } from '../nn/backend.js';
import { fastMatMulCount, installFastMatMul, setFastMatMulEnabled } from '../nn/fast-matmul.js';
import { relativeError } from '../nn/relative-error.test-helper.js';
import { fit } from '../train/fit.js';
import type { Method } from '../train/method.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { listMethods } from './registry.js';

type AnyMethod = Method<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Runs `f` with TensorFlow.js's own matMul and with the fast kernel (checking that it ran); returns both results. */
function withAndWithout<T>(f: () => T): { reference: T; fast: T } {
  setFastMatMulEnabled(false);
  const atStart = fastMatMulCount();
  const reference = f();
  assert.equal(fastMatMulCount(), atStart, 'the fast kernel ran while switched off');
  setFastMatMulEnabled(true);
  const productsBefore = fastMatMulCount();
  const fast = f();
  assert.ok(fastMatMulCount() > productsBefore, 'the fast kernel computed no product');
  return { reference, fast };
}

// Hidden widths of 16 and 9 reach the kernel's 4×8 tiles, its leftover rows and its scalar leftover column.
const MODEL: TrainingOptionsInput = { hidden: [16, 9], seed: 7, progress: 'silent' };
// A large SGD rate makes the step dominate the old weight, so old − new keeps the gradient's float32 precision.
const RATE = 1000;

/** (old − new) / RATE of every main-network and player weight after one SGD step on the whole split: the gradient. */
function oneStepUpdate(method: AnyMethod, train: EncodedDataset): Float64Array[] {
  let initial: Float32Array[] = [];
  let final: Float32Array[] = [];
  let steps = 0;
  const values = (variables: tf.Variable[]) => variables.map((v) => v.dataSync().slice() as Float32Array);
  const result = fit({
    method, params: {}, train,
    options: { ...MODEL, epochs: 1, batchSize: train.nRows, optimizer: 'sgd', learningRate: RATE },
    callbacks: [{
      onTrainBegin: (run) => (initial = values([...run.model.variables, ...run.playerVariables])),
      onBatchEnd: () => steps++,
      onTrainEnd: (run) => (final = values([...run.model.variables, ...run.playerVariables])),
    }],
  });
  result.model.dispose();
  assert.equal(steps, 1, `${method.name}: one step expected`);
  return initial.map((old, i) => Float64Array.from(old, (value, j) => (value - final[i][j]) / RATE));
}

/** The minimised loss of each of five Adam steps. */
function lossCurve(method: AnyMethod, train: EncodedDataset): number[] {
  const losses: number[] = [];
  const result = fit({
    method, params: {}, train,
    options: { ...MODEL, epochs: 1, batchSize: Math.ceil(train.nRows / 5), learningRate: 0.01 },
    callbacks: [{ onBatchEnd: (record) => losses.push(record.total) }],
  });
  result.model.dispose();
  return losses;
}

const flat = (tensors: Float64Array[]) => Float64Array.from(tensors.flatMap((t) => [...t]));

describe('every method trains the same with the fast matMul kernel as with TensorFlow.js\'s (wasm)', () => {
  let train: EncodedDataset;
  before(async () => {
    await initBackend('wasm');
    installFastMatMul();
    // Two sensitive attributes and four sites as clusters, so that every method, mixed-effects ones included, runs.
    const synthetic = generateSynthetic({ rows: 400, seed: 17 });
    synthetic.table.names.push('site');
    synthetic.table.columns.set('site', { kind: 'categorical', values: Array.from({ length: synthetic.table.nRows }, (_, i) => `site${i % 4}`) });
    train = prepareDataset({ ...synthetic, spec: { ...synthetic.spec, sensitive: ['group', 'region'], cluster: 'site' } }, { seed: 17 }).train;
  });
  after(() => setFastMatMulEnabled(true));

  for (const method of listMethods()) {
    test(`${method.name}: one step's update agrees to 1e-6 over all weights, and a five-step loss curve to 1e-5`, (t) => {
      const before = tf.memory().numTensors;
      const update = withAndWithout(() => oneStepUpdate(method, train));
      const overall = relativeError(flat(update.fast), flat(update.reference));
      const perTensor = update.fast.map((u, i) => relativeError(u, update.reference[i]));
      const curve = withAndWithout(() => lossCurve(method, train));
      assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
      const curveErrors = curve.fast.map((loss, i) => Math.abs(loss - curve.reference[i]) / Math.abs(curve.reference[i]));
      t.diagnostic(`update: ${overall.toExponential(2)} overall, worst tensor ${Math.max(...perTensor).toExponential(2)}; loss curve worst ${Math.max(...curveErrors).toExponential(2)}`);
      assert.ok(overall < 1e-6, `relative error ${overall} over all weights`);
      // Per weight tensor 1e-5: a tensor whose gradient cancels is held to the round-off of the terms it sums, not of
      // its value. The worst measured, adversarial's one-element adversary output bias, has gradient 8.0e-7, a mean of
      // per-row terms of order 0.1–1: the two runs differ by 6.3e-12 (7.9e-6 relative, ~110 float32 ulps of the
      // value, far below an ulp of the terms). Every other tensor of every method agreed within 2.4e-7.
      perTensor.forEach((error, i) => assert.ok(error < 1e-5, `weight tensor ${i}: relative error ${error}`));
      assert.equal(curve.fast.length, 5);
      // Five Adam steps let round-off differences grow; measured at most 5.1e-7 (strict-penalty).
      curveErrors.forEach((error, i) => assert.ok(error < 1e-5, `loss of step ${i + 1}: ${curve.fast[i]} vs ${curve.reference[i]}`));
    });
  }
});

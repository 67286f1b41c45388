import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import { generateRegressionSynthetic } from '../data/synthetic-regression.js';
import { eor } from '../methods/eor.js';
import { erm } from '../methods/erm.js';
import { gcm } from '../methods/gcm.js';
import { oversample } from '../methods/oversample.js';
import { reweigh } from '../methods/reweigh.js';
import { initBackend } from '../nn/backend.js';
import { buildMlp } from '../nn/mlp.js';
import { relativeError } from '../nn/relative-error.test-helper.js';
import { fit, parseTrainingOptions, type FitResult } from './fit.js';
import { fusedStepRefusal } from './fused-update.js';
import type { Method } from './method.js';
import type { TrainingOptionsInput } from './options.js';

// 1,200 training rows in batches of 100: 12 steps an epoch, 24 in two.
const options: TrainingOptionsInput = { epochs: 2, batchSize: 100, learningRate: 0.01, hidden: [24, 12], progress: 'silent', seed: 3 };

const weightsOf = (result: FitResult) => result.model.variables.flatMap((v) => Array.from(v.dataSync()));

/** Fits with and without the fused step; returns both results' epoch losses and weights. */
function both(method: Method<any>, params: Record<string, unknown>, data: PreparedSplits, extra: TrainingOptionsInput = {}) { // eslint-disable-line @typescript-eslint/no-explicit-any
  const run = (fusedStep: boolean) => {
    const result = fit({ method, params, train: data.train, options: { ...options, ...extra, fusedStep } });
    const outcome = { losses: result.history.map((h) => h.loss), weights: weightsOf(result) };
    result.model.dispose();
    return outcome;
  };
  return { tfjs: run(false), fused: run(true) };
}

describe('the fused step in the training loop', () => {
  let data: PreparedSplits;
  let regression: PreparedSplits;
  before(async () => {
    await initBackend('wasm');
    data = prepareDataset(generateSynthetic({ rows: 2000, seed: 5 }), { seed: 5 });
    regression = prepareDataset(generateRegressionSynthetic({ rows: 2000, seed: 5 }), { seed: 5 });
  });

  // Float32 rounding differs (summation order, fused multiply-add) and Adam divides by √v, so differences grow a little
  // each step; over 24 steps the epoch losses agree to 1e-5 and the weights to 1e-4 (relative).
  for (const [name, method, params, dataOf] of [
    ['erm', erm, {}, () => data],
    ['reweigh (row weights)', reweigh, {}, () => data],
    ['oversample (balanced batches)', oversample, {}, () => data],
    ['erm on regression (mse)', erm, {}, () => regression],
  ] as const) {
    test(`${name}: the same loss curve and weights as the TensorFlow.js update`, () => {
      const { tfjs, fused } = both(method, params, dataOf());
      const lossError = relativeError(fused.losses, tfjs.losses);
      const weightError = relativeError(fused.weights, tfjs.weights);
      assert.ok(lossError <= 1e-5, `epoch losses ${fused.losses} vs ${tfjs.losses} (relative error ${lossError})`);
      assert.ok(weightError <= 1e-4, `weights relative error ${weightError}`);
      assert.ok(tfjs.losses[1] < tfjs.losses[0], 'the runs learn');
    });
  }

  test('runs it cannot serve train exactly as without it, and the refusal says why', () => {
    for (const method of [eor, gcm] as Method<any>[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
      const { tfjs, fused } = both(method, {}, data, { epochs: 1 });
      assert.deepEqual(fused, tfjs, method.name);
    }
    const model = buildMlp({ inputDim: data.train.nFeatures, hidden: [4], activation: 'relu', seed: 1 });
    const refusal = (method: Method<any>, extra: TrainingOptionsInput = {}, built = model) => fusedStepRefusal(method, built, data.train, parseTrainingOptions(extra), []); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(refusal(erm), null);
    assert.match(refusal(gcm)!, /method 'gcm' changes the model or the update/);
    assert.match(refusal(erm, { optimizer: 'sgd' })!, /optimizer 'sgd' is not adam/);
    const tanh = buildMlp({ inputDim: data.train.nFeatures, hidden: [4], activation: 'tanh', seed: 1 });
    assert.match(refusal(erm, {}, tanh)!, /activation 'tanh' is not relu/);
    const dropout = buildMlp({ inputDim: data.train.nFeatures, hidden: [4], activation: 'relu', dropout: 0.2, seed: 1 });
    assert.match(refusal(erm, {}, dropout)!, /dropout is on/);
    assert.match(fusedStepRefusal(erm, model, regression.train, parseTrainingOptions({ regressionLoss: 'huber' }), [])!, /regression loss 'huber' is not mse/);
    assert.match(fusedStepRefusal(erm, model, data.train, parseTrainingOptions({}), [{ onBatchBegin: () => {} }])!, /a callback reads every batch/);
    for (const m of [model, tanh, dropout]) m.dispose();
  });

  test('early stopping keeps the best epoch of the fused run (weights reach the model every epoch)', () => {
    const run = (fusedStep: boolean) => {
      const result = fit({ method: erm, params: {}, train: data.train, validation: data.validation, options: { ...options, epochs: 4, fusedStep, earlyStopping: { metric: 'ap', patience: 1 } } });
      const outcome = { best: result.bestEpoch, validation: result.history.map((h) => h.validation!.ap!), weights: weightsOf(result) };
      result.model.dispose();
      return outcome;
    };
    const [tfjs, fused] = [run(false), run(true)];
    assert.equal(fused.best, tfjs.best);
    assert.ok(relativeError(fused.validation, tfjs.validation) <= 1e-4, `${fused.validation} vs ${tfjs.validation}`);
    assert.ok(relativeError(fused.weights, tfjs.weights) <= 1e-4);
  });
});

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import { FairkitError } from '../errors.js';
import { erm } from '../methods/erm.js';
import { evaluate } from '../metrics/compute.js';
import { initBackend } from '../nn/backend.js';
import { fit } from './fit.js';
import type { TrainingOptionsInput } from './options.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../nn/predict.js';

const quick: TrainingOptionsInput = { epochs: 3, batchSize: 200, learningRate: 0.01, hidden: [16], progress: 'silent' };

describe('the training loop', () => {
  let data: PreparedSplits;
  before(async () => {
    await initBackend('wasm');
    data = prepareDataset(generateSynthetic({ rows: 2000, seed: 5 }), { seed: 5 });
  });

  const weightsOf = (result: ReturnType<typeof fit>) => result.model.variables.map((v) => Array.from(v.dataSync()));

  test('learns the synthetic task (test ROC-AUC well above chance)', () => {
    const result = fit({ method: erm, params: {}, train: data.train, options: { ...quick, epochs: 8 } });
    const scores = predictProba(result.model, { X: data.test.X, nRows: data.test.nRows }, { batchSize: DEFAULT_PREDICT_BATCH });
    const report = evaluate({ yTrue: data.test.y, scores, groupIds: data.test.groups.ids, groups: data.test.groups });
    assert.ok(report.overall.rocAuc! > 0.85, `rocAuc ${report.overall.rocAuc}`);
    assert.ok(result.history[7].loss < result.history[0].loss);
    result.model.dispose();
  });

  test('the same seed gives the same weights and losses; another seed does not', () => {
    const a = fit({ method: erm, params: {}, train: data.train, options: { ...quick, seed: 1, dropout: 0.2 } });
    const b = fit({ method: erm, params: {}, train: data.train, options: { ...quick, seed: 1, dropout: 0.2 } });
    const c = fit({ method: erm, params: {}, train: data.train, options: { ...quick, seed: 2, dropout: 0.2 } });
    assert.deepEqual(weightsOf(a), weightsOf(b));
    assert.deepEqual(a.history.map((h) => h.loss), b.history.map((h) => h.loss));
    assert.notDeepEqual(weightsOf(a), weightsOf(c));
    for (const r of [a, b, c]) r.model.dispose();
  });

  test('tensor count stays flat across epochs and returns to its start once the model is disposed', () => {
    const start = tf.memory().numTensors;
    const counts: number[] = [];
    const result = fit({ method: erm, params: {}, train: data.train, validation: data.validation, options: { ...quick, epochs: 4 }, callbacks: [{ onEpochEnd: () => counts.push(tf.memory().numTensors) }] });
    assert.equal(new Set(counts).size, 1, `per-epoch counts ${counts}`);
    result.model.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  for (const optimizer of [{ optimizer: 'adam' }, { optimizer: 'sgd' }, { optimizer: 'sgd', momentum: 0.9 }] as const) {
    test(`the learning-rate schedule is applied (${JSON.stringify(optimizer)}): a rate of zero after the first epoch freezes the weights`, () => {
      const batchesPerEpoch = Math.ceil(data.train.nRows / 200);
      const base = { ...quick, ...optimizer };
      const oneEpoch = fit({ method: erm, params: {}, train: data.train, options: { ...base, epochs: 1 } });
      const frozen = fit({ method: erm, params: {}, train: data.train, options: { ...base, epochs: 3, schedule: { kind: 'step', every: batchesPerEpoch, gamma: 0 } } });
      const running = fit({ method: erm, params: {}, train: data.train, options: { ...base, epochs: 3 } });
      // Momentum's update is rate × velocity, so a zero rate stops it too.
      assert.deepEqual(weightsOf(frozen), weightsOf(oneEpoch));
      assert.notDeepEqual(weightsOf(running), weightsOf(oneEpoch));
      for (const r of [oneEpoch, frozen, running]) r.model.dispose();
    });
  }

  test('early stopping on a gap keeps the epoch with the smallest gap unless told otherwise', () => {
    const result = fit({ method: erm, params: {}, train: data.train, validation: data.validation, options: { ...quick, epochs: 8, learningRate: 0.05, earlyStopping: { metric: 'equalizedOddsSum', patience: 8 } } });
    const gaps = result.history.map((h) => h.validation!.equalizedOddsSum!);
    assert.equal(result.bestEpoch, gaps.indexOf(Math.min(...gaps)) + 1);
    result.model.dispose();
  });

  test('a failing run disposes its model: no tensor is left behind', () => {
    const start = tf.memory().numTensors;
    const diverging: typeof erm = { ...erm, step: () => ({ run: () => ({ total: Number.NaN }), dispose: () => {} }) };
    assert.throws(() => fit({ method: diverging, params: {}, train: data.train, options: quick }), /training diverged/);
    assert.equal(tf.memory().numTensors, start);
  });

  test('early stopping keeps the weights of the best validation epoch', () => {
    const result = fit({ method: erm, params: {}, train: data.train, validation: data.validation, options: { ...quick, epochs: 12, learningRate: 0.05, earlyStopping: { metric: 'accuracy', patience: 2 } } });
    const best = Math.max(...result.history.map((h) => h.validation!.accuracy!));
    const scores = predictProba(result.model, { X: data.validation.X, nRows: data.validation.nRows }, { batchSize: DEFAULT_PREDICT_BATCH });
    const now = evaluate({ yTrue: data.validation.y, scores, groupIds: data.validation.groups.ids, groups: data.validation.groups });
    assert.equal(now.overall.accuracy, best);
    assert.equal(result.history[result.bestEpoch - 1].validation!.accuracy, best);
    result.model.dispose();
  });

  test('bad parameters and data fail before training, naming the problem', () => {
    assert.throws(() => fit({ method: erm, params: { lambda: 1 }, train: data.train, options: quick }), (error: unknown) => error instanceof FairkitError && /erm.*lambda/.test(error.message));
    assert.throws(() => fit({ method: erm, params: {}, train: data.train, options: { ...quick, epochs: 0 } }), /epochs/);
    assert.throws(() => fit({ method: erm, params: {}, train: data.train, options: { ...quick, warmup: 3 } as never }), /training option 'warmup'/);
    const emptyGroup = { ...data.train, groups: { ...data.train.groups, keys: [...data.train.groups.keys, 'nobody'], values: [...data.train.groups.values, {}] } };
    // A method that trains on every group (no trainingGroups) is refused; erm reads no groups (trainingGroups 'none').
    const byGroup = { ...erm, name: 'by-group', trainingGroups: undefined };
    assert.throws(() => fit({ method: byGroup, params: {}, train: emptyGroup, options: quick }), /'nobody' has no rows in the training split/);
  });
});

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { initBackend } from '../nn/backend.js';
import { registerGradientFixes, restoreStockGradients } from '../nn/gradient-fixes.js';
import { erm } from './erm.js';
import { gcm, gcmParams } from './gcm.js';
import { batchFor, modelFor, penaltyAndGrads, penaltyCases, stepUpdate, testAgainstPytorch } from './gradient-penalty.test-helper.js';
import { relativeError } from './test-support.js';
import { oneUpdate } from '../train/update.test-helper.js';

const cases = penaltyCases.filter((c) => c.method === 'gcm');

describe('gcm', () => {
  before(async () => {
    await initBackend();
  });

  testAgainstPytorch(gcm, 'matching loss');

  test('with the stock tanh gradient the second derivative is wrong, so the check above can fail', () => {
    restoreStockGradients();
    try {
      const c = cases.find((candidate) => candidate.activation === 'tanh')!;
      const got = penaltyAndGrads(c);
      const worst = Math.max(...got.grads.map((g, i) => relativeError(g, c.penaltyGrads[i])));
      assert.ok(worst > 1e-3, `stock error ${worst} unexpectedly small`);
    } finally {
      registerGradientFixes();
    }
  });

  test('λ = 0 takes the same step as erm and leaks no tensors', () => {
    const c = cases[0];
    const numTensors = tf.memory().numTensors;
    const gcmStep = stepUpdate(gcm, c, { lambda: 0 });
    const model = modelFor(c);
    const batch = batchFor(c);
    const before = model.variables.map((v) => v.dataSync().slice());
    oneUpdate(erm, { params: {}, model, train: { groups: { keys: ['0', '1'] } } as never, batch });
    const ermUpdate = model.variables.map((v, i) => before[i].map((value, j) => value - v.dataSync()[j]));
    tf.dispose([batch.x, batch.y]);
    model.dispose();
    ermUpdate.forEach((u, i) => assert.ok(relativeError(gcmStep.update[i], u) < 1e-5));
    assert.equal(tf.memory().numTensors, numTensors);
    stepUpdate(gcm, c);
    assert.equal(tf.memory().numTensors, numTensors, 'a step with the penalty leaks');
  });

  test('a batch with one group has nothing to match: the step is the task loss alone', () => {
    const c = cases[0];
    const oneGroup = { ...c, groups: c.groups.map(() => 0) };
    const { loss } = stepUpdate(gcm, oneGroup);
    assert.ok(Math.abs(loss - c.taskLoss) < 1e-5, `loss ${loss} vs task loss ${c.taskLoss}`);
  });

  test('parameters: defaults, unknown weights and conflicting options are rejected clearly', () => {
    const defaults = gcmParams.parse({});
    assert.deepEqual(defaults, { lambda: defaults.lambda, T: 2, mismatch: 'abs', layers: 'all', reduction: 'auto', form: 'eo', oversample: false });
    assert.throws(() => gcmParams.parse({ mismatch: 'l2' }));
    assert.throws(() => gcmParams.parse({ lambda: -1 }));
    const c = cases[0];
    assert.throws(() => stepUpdate(gcm, c, { layers: 'dense7/bias' }), (error: unknown) => error instanceof FairkitError && /dense7\/bias/.test(error.message) && /dense0\/kernel/.test(error.fix ?? ''));
    const train = { groups: { keys: ['a', 'b'], ids: Int32Array.from([0, 1]) } } as never;
    assert.throws(() => gcm.check!(train, gcmParams.parse({ form: 'dp', oversample: true })), FairkitError);
    assert.throws(() => gcm.check!({ groups: { keys: ['a'], ids: Int32Array.from([0]) } } as never, gcmParams.parse({})), FairkitError);
    assert.equal(gcm.sampler!(gcmParams.parse({ oversample: true })), 'balanced');
    assert.equal(gcm.sampler!(gcmParams.parse({})), 'shuffle');
  });

  test('the dp form trains on a resampled batch (its loss differs from the plain batch\'s)', () => {
    const c = cases[0];
    const plain = stepUpdate(gcm, c, { lambda: 0 });
    const resampled = stepUpdate(gcm, c, { lambda: 0, form: 'dp' });
    assert.ok(Number.isFinite(resampled.loss));
    assert.notEqual(resampled.loss, plain.loss);
  });
});

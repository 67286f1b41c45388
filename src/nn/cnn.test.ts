import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { buildPatchCnn } from './cnn.js';
import { bceWithLogits } from './losses.js';
import { DEFAULT_PREDICT_BATCH, predictHead, predictProba } from './predict.js';

const config = { height: 8, width: 8, channels: 2, blocks: [{ patch: 2, filters: 4 }, { patch: 2, filters: 3 }], seed: 5 };
const ROWS = 12;
const rng = new Rng(2);
const X = Float32Array.from({ length: ROWS * 8 * 8 * 2 }, () => rng.normal());
const ids = Int32Array.from({ length: ROWS }, (_, i) => i % 2);

describe('patch CNN', () => {
  before(async () => {
    await initBackend();
  });

  test('each block is tf.conv2d with kernel = stride = patch, then ReLU; the head is dense on the flattened map', () => {
    const model = buildPatchCnn(config);
    const value = (name: string) => model.weights.find((w) => w.name === name)!.variable;
    const expected = tf.tidy(() => {
      let h: tf.Tensor4D = tf.tensor4d(X, [ROWS, 8, 8, 2]);
      config.blocks.forEach(({ patch, filters }, i) => {
        const inChannels = h.shape[3];
        // The kernel is stored [p·p·C_in, F] in (row, column, channel) patch order, as conv2d's [p, p, C_in, F].
        const kernel = tf.reshape(value(`conv${i}/kernel`), [patch, patch, inChannels, filters]) as tf.Tensor4D;
        h = tf.relu(tf.add(tf.conv2d(h, kernel, patch, 'valid'), value(`conv${i}/bias`))) as tf.Tensor4D;
      });
      return tf.add(tf.matMul(tf.reshape(h, [ROWS, -1]), value('head/kernel')), value('head/bias')).dataSync();
    });
    const got = predictHead(model, { X: X, nRows: ROWS }, { batchSize: 5 });
    got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5, `row ${i}: ${v} vs ${expected[i]}`));
    model.dispose();
  });

  test('with GroupMixNorm after each block: trains, updates running statistics, and predicts from group ids', () => {
    const model = buildPatchCnn({ ...config, groupMixNorm: { nGroups: 2, settings: { alpha: 1 } } });
    assert.deepEqual(model.weights.filter((w) => w.name.endsWith('/gamma')).map((w) => w.variable.shape), [[4], [3]]);
    const optimizer = tf.train.adam(0.01);
    const x = tf.tensor2d(X, [ROWS, 128]);
    const y = tf.tensor1d(Array.from(ids, (g) => g));
    const start = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) optimizer.minimize(() => bceWithLogits(model.apply(x, { training: true, stepSeed: step, groups: ids }), y), false, model.variables);
    assert.equal(tf.memory().numTensors, start + 2 * model.variables.length, 'only the Adam moments were added');
    assert.deepEqual(Array.from(model.weights.find((w) => w.name === 'gmn1/groupUpdates')!.variable.dataSync()), [3, 3]);
    const byGroup = predictProba(model, { X: X, nRows: ROWS, groups: ids }, { batchSize: DEFAULT_PREDICT_BATCH });
    assert.ok(byGroup.every((p) => p > 0 && p < 1));
    assert.notDeepEqual(byGroup, predictProba(model, { X: X, nRows: ROWS, groups: Int32Array.from(ids, (g) => 1 - g) }, { batchSize: DEFAULT_PREDICT_BATCH }));
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  });

  test('bad configurations raise a FairkitError', () => {
    assert.throws(() => buildPatchCnn({ ...config, blocks: [{ patch: 3, filters: 4 }] }), (e: unknown) => e instanceof FairkitError && /patch 3 does not divide its 8 × 8 input/.test(e.message));
    assert.throws(() => buildPatchCnn({ ...config, groupMixNorm: { nGroups: 2, blocks: [2] } }), /must be block indices below 2/);
  });
});

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { GroupMixNormLayer } from './group-mix-norm-layer.js';
import { buildGroupMixNormMlp, insertGroupMixNorm } from './group-mix-norm-mlp.js';
import { buildMlp } from './mlp.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from './predict.js';

const config = { inputDim: 3, hidden: [4], activation: 'relu' as const, seed: 5 };
const rng = new Rng(8);
const rows = (n: number) => Float32Array.from({ length: n * 3 }, () => rng.normal());
const weightOf = (model: ReturnType<typeof buildGroupMixNormMlp>, name: string) => Array.from(model.weights.find((w) => w.name === name)!.variable.dataSync());

describe('GroupMixNorm edge cases', () => {
  before(async () => {
    await initBackend();
  });

  test('calibrate leaves a one-row group unseen, so its rows use the overall statistics instead of dividing by √eps', () => {
    const model = buildGroupMixNormMlp(config, { nGroups: 3 });
    const X = rows(41);
    const groups = Int32Array.from({ length: 41 }, (_, i) => (i === 40 ? 2 : i % 2));
    model.calibrate(X, 41, groups);
    assert.deepEqual(weightOf(model, 'gmn0/groupUpdates'), [1, 1, 0]);
    const probe = X.slice(0, 3);
    const asGroup2 = predictProba(model, { X: probe, nRows: 1, groups: Int32Array.of(2) }, { batchSize: DEFAULT_PREDICT_BATCH })[0];
    const asUnknown = predictProba(model, { X: probe, nRows: 1, groups: Int32Array.of(-1) }, { batchSize: DEFAULT_PREDICT_BATCH })[0];
    assert.equal(asGroup2, asUnknown);
    model.dispose();
  });

  test('a one-row training batch moves no running statistics', () => {
    const model = buildGroupMixNormMlp(config, { nGroups: 2 });
    const names = ['runningVar', 'runningMean', 'runningMixStd', 'runningGroupVar', 'groupUpdates'].map((name) => `gmn0/${name}`);
    const before = names.map((name) => weightOf(model, name));
    tf.tidy(() => model.apply(tf.tensor2d(rows(1), [1, 3]), { training: true, stepSeed: 1, groups: Int32Array.of(0) }));
    names.forEach((name, i) => assert.deepEqual(weightOf(model, name), before[i], name));
    tf.tidy(() => model.apply(tf.tensor2d(rows(6), [6, 3]), { training: true, stepSeed: 2, groups: Int32Array.of(0, 0, 0, 1, 1, 1) }));
    assert.notDeepEqual(weightOf(model, 'gmn0/runningVar'), before[0], 'a real batch does move them');
    model.dispose();
  });

  test('options beside the settings are not kept as settings; freezing the base without affine is refused', () => {
    const plain = buildMlp(config);
    const options = { nGroups: 2, settings: { alpha: 0.5, calibrate: true, freezeBase: false } as never };
    const model = insertGroupMixNorm(plain, options);
    assert.equal(model.config.settings.alpha, 0.5);
    assert.ok(!('calibrate' in model.config.settings) && !('freezeBase' in model.config.settings));
    model.dispose();
    assert.throws(() => insertGroupMixNorm(plain, { nGroups: 2, freezeBase: true, settings: { affine: false } }), (error: unknown) => error instanceof FairkitError && /no weight to train/.test(error.message));
    assert.throws(() => tf.tidy(() => buildGroupMixNormMlp(config, { nGroups: 2 }).apply(tf.tensor2d(rows(2), [2, 3]), { groups: Int32Array.of(0) })), /1 group ids for 2 rows/);
    plain.dispose();
  });

  test('layers without a seed draw different mixes; a NaN group id is an unknown group', () => {
    const layers = [new GroupMixNormLayer({ nGroups: 2 }), new GroupMixNormLayer({ nGroups: 2 })];
    assert.notEqual(layers[0].seed, layers[1].seed);
    const layer = layers[0];
    const x = tf.tensor2d(rows(4), [4, 3]);
    const warm = tf.tensor1d([0, 0, 1, 1]);
    layer.apply([x, warm], { training: true });
    const nan = tf.tidy(() => Array.from((layer.apply([x, tf.tensor1d([NaN, 0, 1, 1])]) as tf.Tensor).dataSync()));
    const unknown = tf.tidy(() => Array.from((layer.apply([x, tf.tensor1d([-1, 0, 1, 1])]) as tf.Tensor).dataSync()));
    assert.deepEqual(nan, unknown);
    tf.dispose([x, warm]);
    layer.dispose();
  });
});

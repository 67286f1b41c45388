import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import type { EncodedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { initBackend } from '../nn/backend.js';
import { isGroupMixNormMlp, type GroupMixNormMlp } from '../nn/group-mix-norm-mlp.js';
import type { Model } from '../nn/model.js';
import { loadModelFolder, writeModelFolder } from '../model-folder/folder.js';
import { fit, parseMethodParams } from '../train/fit.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { fineTuningSubset, groupMixNormDebias, startingFrom } from './debias.js';
import { erm } from './erm.js';
import { groupMixNorm } from './groupmixnorm.js';
import { DEFAULT_PREDICT_BATCH, predictHead, predictProba } from '../nn/predict.js';

const options: TrainingOptionsInput = { epochs: 6, batchSize: 250, learningRate: 0.01, hidden: [16], progress: 'silent', seed: 4 };

/** Mean logit of each group (inference mode, group ids given). */
function groupLogitMeans(model: Model, data: EncodedDataset): number[] {
  const logits = predictHead(model, { X: data.X, nRows: data.nRows, groups: data.groups.ids }, { batchSize: DEFAULT_PREDICT_BATCH });
  const sums = new Float64Array(data.groups.keys.length);
  const counts = new Float64Array(data.groups.keys.length);
  data.groups.ids.forEach((g, i) => {
    sums[g] += logits[i];
    counts[g]++;
  });
  return Array.from(sums, (s, g) => s / counts[g]);
}

const spread = (values: number[]) => Math.max(...values) - Math.min(...values);

describe('groupmixnorm method', () => {
  let data: PreparedSplits;
  before(async () => {
    await initBackend();
    data = prepareDataset(generateSynthetic({ rows: 3000, seed: 5 }), { seed: 5 });
  });

  test('parameters: documented defaults, unknown keys and bad values rejected', () => {
    const defaults = parseMethodParams(groupMixNorm, {});
    assert.deepEqual(Object.keys(defaults).sort(), Object.keys(groupMixNorm.paramDocs).sort());
    assert.equal(defaults.alpha, 0.1);
    assert.equal(defaults.positions, 'all');
    assert.throws(() => parseMethodParams(groupMixNorm, { lambda: 1 }), FairkitError);
    assert.throws(() => parseMethodParams(groupMixNorm, { alpha: 0 }), /bad parameter 'alpha'/);
    assert.throws(() => parseMethodParams(groupMixNorm, { inferenceMode: 'x' }), /bad parameter 'inferenceMode'/);
  });

  test('trains through fit without leaking tensors; the last hidden layer then gives every group the same mean logit', () => {
    const start = tf.memory().numTensors;
    const counts: number[] = [];
    const result = fit({ method: groupMixNorm, params: { alpha: 0.5 }, train: data.train, options, callbacks: [{ onEpochEnd: () => counts.push(tf.memory().numTensors) }] });
    assert.ok(isGroupMixNormMlp(result.model));
    assert.equal(new Set(counts).size, 1, `per-epoch tensor counts ${counts}`);
    assert.ok(result.history.every((h) => Number.isFinite(h.loss)));
    const baseline = fit({ method: erm, params: {}, train: data.train, options });
    // Features re-projected onto one mix of statistics per group → a linear head gives equal group means (up to
    // how well the running statistics match the training split).
    const gmnGap = spread(groupLogitMeans(result.model, data.train));
    const ermGap = spread(groupLogitMeans(baseline.model, data.train));
    assert.ok(ermGap > 0.3, `erm leaves a gap (${ermGap})`);
    assert.ok(gmnGap < 0.1 * ermGap, `groupmixnorm mean-logit gap ${gmnGap} vs erm ${ermGap}`);
    result.model.dispose();
    baseline.model.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  test('a fitted model saves and loads with identical predictions', async () => {
    const result = fit({ method: groupMixNorm, params: { positions: [0], inferenceMix: 'running' }, train: data.train, options: { ...options, epochs: 2 } });
    const dir = await mkdtemp(join(tmpdir(), 'fairkit-gmn-method-'));
    try {
      await writeModelFolder(dir, { model: result.model, encoder: data.encoder.toJSON(), method: { name: groupMixNorm.name, params: { positions: [0], inferenceMix: 'running' } } });
      const loaded = await loadModelFolder(dir);
      const { X, nRows, groups } = data.test;
      assert.deepEqual(predictProba(loaded.model, { X: X, nRows: nRows, groups: groups.ids }, { batchSize: DEFAULT_PREDICT_BATCH }), predictProba(result.model, { X: X, nRows: nRows, groups: groups.ids }, { batchSize: DEFAULT_PREDICT_BATCH }));
      assert.equal((loaded.model as GroupMixNormMlp).config.settings.inferenceMix, 'running');
      loaded.model.dispose();
    } finally {
      result.model.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('one group only is refused before training', () => {
    const single = { ...data.train, groups: { ...data.train.groups, keys: ['all'], values: [{}], ids: new Int32Array(data.train.nRows) } };
    assert.throws(() => fit({ method: groupMixNorm, params: {}, train: single, options }), /needs at least two groups/);
  });
});

describe('debiasing a trained model', () => {
  let data: PreparedSplits;
  before(async () => {
    await initBackend();
    data = prepareDataset(generateSynthetic({ rows: 3000, seed: 6 }), { seed: 6 });
  });

  test('fineTuningSubset keeps the fraction of every (group, label) cell', () => {
    const subset = fineTuningSubset(data.train, 0.1, 1);
    const cellCounts = (d: EncodedDataset) => {
      const counts = new Map<string, number>();
      d.groups.ids.forEach((g, i) => counts.set(`${g}/${d.y[i]}`, (counts.get(`${g}/${d.y[i]}`) ?? 0) + 1));
      return counts;
    };
    const all = cellCounts(data.train);
    for (const [cell, n] of cellCounts(subset)) assert.equal(n, Math.max(1, Math.round(0.1 * all.get(cell)!)), cell);
    // The rows keep their features.
    const first = subset.X.subarray(0, subset.nFeatures);
    assert.ok(Array.from({ length: data.train.nRows }, (_, r) => r).some((r) => data.train.X.subarray(r * data.train.nFeatures, (r + 1) * data.train.nFeatures).every((v, j) => v === first[j])));
    assert.throws(() => fineTuningSubset(data.train, 0, 1), /fraction must be in \(0, 1\]/);
  });

  test('inserting GroupMixNorm into a trained ERM model and fine-tuning on 10% closes the group logit gap; the trained model is untouched', () => {
    const pretrained = fit({ method: erm, params: {}, train: data.train, options }).model;
    const before = pretrained.weights.map((w) => w.variable.dataSync().slice());
    const subset = fineTuningSubset(data.train, 0.1, 2);
    const fineTune: TrainingOptionsInput = { ...options, batchSize: 100, epochs: 4 };
    const debiased = fit({ method: groupMixNormDebias, baseModel: startingFrom(pretrained), params: { alpha: 0.5 }, train: subset, options: fineTune }).model;
    const control = fit({ method: erm, baseModel: startingFrom(pretrained), params: {}, train: subset, options: fineTune }).model;
    pretrained.weights.forEach((w, i) => assert.deepEqual(w.variable.dataSync(), before[i]));
    const gap = (model: Model) => spread(groupLogitMeans(model, data.train));
    assert.ok(gap(debiased) < 0.2 * gap(control), `debiased gap ${gap(debiased)} vs fine-tuned erm ${gap(control)}`);
    assert.throws(() => fit({ method: groupMixNormDebias, baseModel: startingFrom(pretrained), params: {}, train: subset, options: { ...fineTune, hidden: [8] } }), /trained model is \d+→\[16\], but training asks for \d+→\[8\]/);
    for (const model of [pretrained, debiased, control]) model.dispose();
  });
});

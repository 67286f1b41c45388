import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import type { EncodedDataset } from '../data/types.js';
import { fairPredict } from '../flayer/fair-predict.js';
import { loadModelFolder, writeModelFolder } from '../model-folder/folder.js';
import { initBackend } from '../nn/backend.js';
import type { Model } from '../nn/model.js';
import { predictHead } from '../nn/predict.js';
import { fit } from '../train/fit.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { erm } from './erm.js';
import { flayer, projection } from './flayer.js';

const options: TrainingOptionsInput = { epochs: 4, batchSize: 200, learningRate: 0.01, hidden: [16], progress: 'silent', seed: 6 };

/** The largest gap between two groups' mean logits, computed here from the logits and ids. */
function largestGap(logits: Float32Array, data: EncodedDataset): number {
  const sums = new Float64Array(data.groups.keys.length);
  const counts = new Float64Array(data.groups.keys.length);
  data.groups.ids.forEach((g, i) => {
    sums[g] += logits[i];
    counts[g]++;
  });
  const means = [...sums].map((sum, g) => sum / counts[g]).filter((mean) => Number.isFinite(mean));
  return Math.max(...means) - Math.min(...means);
}

const logitsOf = (model: Model, data: EncodedDataset, batchSize: number, head = 'logits') =>
  predictHead(model, { X: data.X, nRows: data.nRows, groups: data.groups.ids }, { batchSize, head });

describe('flayer and projection', () => {
  let data: PreparedSplits;
  before(async () => {
    await initBackend();
    data = prepareDataset(generateSynthetic({ rows: 3000, seed: 8 }), { seed: 8 });
  });

  test('projection trains as erm (same weights) and projects each prediction batch to within epsilon', () => {
    const plain = fit({ method: erm, params: {}, train: data.train, options });
    const projected = fit({ method: projection, params: { epsilon: 0.05 }, train: data.train, options });
    assert.deepEqual(projected.model.weights.map((w) => Array.from(w.variable.dataSync())), plain.model.weights.map((w) => Array.from(w.variable.dataSync())));
    const raw = logitsOf(projected.model, data.test, data.test.nRows, 'raw');
    assert.ok(largestGap(raw, data.test) > 0.5, `erm leaves a gap (${largestGap(raw, data.test)})`);
    const whole = logitsOf(projected.model, data.test, data.test.nRows);
    assert.ok(largestGap(whole, data.test) <= 0.05 + 1e-5, `gap after projecting the whole test split ${largestGap(whole, data.test)}`);
    // Batches of 100 are each projected; the pooled gap is then only roughly within epsilon.
    const batched = logitsOf(projected.model, data.test, 100);
    assert.notDeepEqual(batched, whole, 'the result depends on the prediction batch');
    plain.model.dispose();
    projected.model.dispose();
  });

  test('flayer learns through the projection: its raw logits differ from erm\'s, its projected test gap is within epsilon', () => {
    const trained = fit({ method: flayer, params: { epsilon: 0.05 }, train: data.train, options });
    assert.ok(trained.history.every((h) => Number.isFinite(h.loss)));
    const whole = logitsOf(trained.model, data.test, data.test.nRows);
    assert.ok(largestGap(whole, data.test) <= 0.05 + 1e-5);
    const plain = fit({ method: erm, params: {}, train: data.train, options });
    assert.notDeepEqual(trained.model.weights.map((w) => Array.from(w.variable.dataSync())), plain.model.weights.map((w) => Array.from(w.variable.dataSync())));
    plain.model.dispose();
    trained.model.dispose();
  });

  test('a projected model saves and loads as kind fair-projection and predicts the same', async () => {
    const trained = fit({ method: flayer, params: { epsilon: 0.1 }, train: data.train, options: { ...options, epochs: 1 } });
    const dir = join(mkdtempSync(join(tmpdir(), 'fairkit-flayer-')), 'model');
    await writeModelFolder(dir, { model: trained.model, encoder: data.encoder.toJSON(), method: { name: 'flayer', params: { epsilon: 0.1 } } });
    const loaded = await loadModelFolder(dir);
    assert.equal(loaded.folder.model.kind, 'fair-projection');
    assert.deepEqual(logitsOf(loaded.model, data.test, 256), logitsOf(trained.model, data.test, 256));
    loaded.model.dispose();
    trained.model.dispose();
  });

  test('constraint=marginal with two attributes: each attribute\'s gap of the projected test logits is within epsilon; it saves and loads', async () => {
    const synthetic = generateSynthetic({ rows: 3000, seed: 9 });
    const both = prepareDataset({ ...synthetic, spec: { ...synthetic.spec, sensitive: ['group', 'region'] } }, { seed: 9 });
    const trained = fit({ method: projection, params: { epsilon: 0.05, constraint: 'marginal' }, train: both.train, options: { ...options, epochs: 2 } });
    const { test } = both;
    const logits = logitsOf(trained.model, test, test.nRows);
    const raw = logitsOf(trained.model, test, test.nRows, 'raw');
    // The gap over one attribute's values, with each row's value read from its intersectional group.
    const attributeGap = (values: Float32Array, attribute: string) => {
      const keys = test.groups.values.map((record) => record[attribute]);
      const byValue = new Map<string, number[]>();
      test.groups.ids.forEach((g, i) => byValue.set(keys[g], [...(byValue.get(keys[g]) ?? []), values[i]]));
      const means = [...byValue.values()].map((rows) => rows.reduce((s, v) => s + v, 0) / rows.length);
      return Math.max(...means) - Math.min(...means);
    };
    assert.ok(attributeGap(raw, 'group') > 0.5, `erm leaves a gap over group (${attributeGap(raw, 'group')})`);
    for (const attribute of ['group', 'region']) assert.ok(attributeGap(logits, attribute) <= 0.05 + 1e-4, `${attribute}: ${attributeGap(logits, attribute)}`);
    // fairPredict (fairkit predict, bench trials) projects an exact batch onto the same marginal set.
    const predicted = fairPredict(trained.model, { X: test.X, nRows: test.nRows, groups: test.groups.ids }, { batchSize: test.nRows });
    const worst = Math.max(...[...logits].map((z, i) => Math.abs(z - predicted.outputs[i])));
    assert.ok(worst < 1e-4, `fairPredict differs from the model's projection by ${worst}`);
    const dir = join(mkdtempSync(join(tmpdir(), 'fairkit-flayer-marginal-')), 'model');
    await writeModelFolder(dir, { model: trained.model, encoder: both.encoder.toJSON(), method: { name: 'projection', params: { epsilon: 0.05, constraint: 'marginal' } } });
    const loaded = await loadModelFolder(dir);
    assert.equal(loaded.folder.model.kind, 'fair-projection');
    assert.deepEqual(logitsOf(loaded.model, test, test.nRows), logits);
    loaded.model.dispose();
    trained.model.dispose();
  });
});

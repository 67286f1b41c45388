import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DatasetCache } from '../bench/open-trial-dataset.js';
import { runTrial } from '../bench/run-trial.js';
import { makeTrial } from '../bench/trial.js';
import { DEFAULT_DATA_SEEDS, openDataset } from '../data/open-dataset.js';
import { generateSynthetic } from '../data/synthetic.js';
import { initBackend } from '../nn/backend.js';
import { trainAndEvaluate } from '../pipeline/train-and-evaluate.js';
import { fairkitInProcess } from './run-cli.test-helper.js';

/** A bench trial under the GCM protocol is `fairkit train` with its defaults (0.6/0.2/0.2, [200], Adam 1e-3, batch 2000). */
const seed = 3;
const epochs = 2;
const trial = makeTrial({ dataset: 'synthetic', sensitive: ['group'], protocol: 'gcm', method: 'erm', params: {}, seed, fold: null, training: { epochs } });
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('a bench trial is reproduced by fairkit train with the same seeds and options', async () => {
  await initBackend('wasm');
  const benchTest = asJson(runTrial(trial, await new DatasetCache().open(trial)).test);

  test('the synthetic data is the same for both: its own seed, not the training seed', async () => {
    const opened = await openDataset({ dataset: 'synthetic', sensitive: ['group'] });
    assert.deepEqual(opened.table, generateSynthetic({ seed: DEFAULT_DATA_SEEDS.synthetic }).table);
    assert.deepEqual(DEFAULT_DATA_SEEDS, { synthetic: 42, 'synthetic-biased': 42, 'synthetic-regression': 0 });
  });

  test('in-process: openDataset and trainAndEvaluate as fairkit train calls them give the trial\'s test metrics', async () => {
    const dataset = await openDataset({ dataset: 'synthetic', sensitive: ['group'] });
    const outcome = trainAndEvaluate({ dataset, method: 'erm', params: {}, options: { epochs, batchSize: 2000, learningRate: 1e-3, hidden: [200], seed, progress: 'silent' }, fractions: [0.6, 0.2, 0.2], splitSeed: seed });
    outcome.fitted.model.dispose();
    assert.deepEqual(asJson({ overall: outcome.test.overall, fairness: outcome.test.fairness, groups: outcome.test.groups }), benchTest);
  });

  test('fairkit train --seed 3 --epochs 2 prints the trial\'s test metrics; --data-seed 7 is other data', async () => {
    const train = await fairkitInProcess('train', '--dataset', 'synthetic', '--sensitive', 'group', '--seed', String(seed), '--epochs', String(epochs), '--format', 'json', '--backend', 'wasm');
    assert.equal(train.status, 0, train.stderr);
    assert.deepEqual(JSON.parse(train.stdout).test, benchTest);
    const same = await fairkitInProcess('train', '--dataset', 'synthetic', '--sensitive', 'group', '--seed', String(seed), '--data-seed', '42', '--epochs', String(epochs), '--format', 'json', '--backend', 'wasm');
    assert.deepEqual(JSON.parse(same.stdout).test, benchTest, '--data-seed 42 is the default');
    const other = await fairkitInProcess('train', '--dataset', 'synthetic', '--sensitive', 'group', '--seed', String(seed), '--data-seed', '7', '--epochs', String(epochs), '--format', 'json', '--backend', 'wasm');
    assert.equal(other.status, 0, other.stderr);
    assert.notDeepEqual(JSON.parse(other.stdout).test.overall, benchTest.overall);
  });
});

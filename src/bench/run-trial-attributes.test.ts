import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { initBackend } from '../nn/backend.js';
import { DatasetCache } from './open-trial-dataset.js';
import { runTrial } from './run-trial.js';
import { makeTrial, trialResultSchema } from './trial.js';

const spec = { dataset: 'synthetic', protocol: 'gcm', method: 'erm', params: {}, seed: 0, fold: null, training: { epochs: 1 } } as const;

describe('a bench trial with several sensitive attributes', async () => {
  await initBackend('wasm');

  test('reports fairness per attribute beside the intersectional metrics; one attribute adds nothing', async () => {
    const trial = makeTrial({ ...spec, sensitive: ['group', 'region'] });
    const result = trialResultSchema.parse(runTrial(trial, await new DatasetCache().open(trial)));
    assert.deepEqual(Object.keys(result.test.byAttribute ?? {}), ['group', 'region']);
    for (const metrics of Object.values(result.test.byAttribute!)) {
      assert.deepEqual(Object.keys(metrics), ['tprStd', 'fprStd', 'demographicParityDifference', 'equalizedOddsSum']);
      assert.ok(Object.values(metrics).every((value) => typeof value === 'number' && Number.isFinite(value)));
    }
    const single = makeTrial({ ...spec, sensitive: ['group'] });
    assert.ok(!('byAttribute' in runTrial(single, await new DatasetCache().open(single)).test));
  });
});

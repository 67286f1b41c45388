import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { initBackend } from '../nn/backend.js';
import { aggregate } from './aggregate.js';
import { DatasetCache } from './open-trial-dataset.js';
import { planTrials, type BenchPlan } from './plan.js';
import { runTrial } from './run-trial.js';
import { fakeEntry } from './test-entries.js';
import { trialId } from './trial.js';

const plan: BenchPlan = { datasets: [{ name: 'synthetic', sensitive: ['group'] }], methods: ['erm'], lambdas: 'defaults', repeats: { seeds: 2 }, protocol: 'gcm', training: { epochs: 1 } };

describe('fairkit bench --postprocess', () => {
  test('without the option a trial has no postprocess key and its id is the hash of the spec as before', () => {
    for (const trial of planTrials(plan)) {
      assert.ok(!('postprocess' in trial));
      const { id, ...spec } = trial;
      assert.equal(id, trialId(spec));
    }
    // Pinned: the id of this spec before post-processing existed (a change here would orphan old journals).
    assert.equal(planTrials(plan)[0].id, '6b982fa7786698ef');
  });

  test('with it the specs are canonical and checked, and the trials are new ones', () => {
    const trials = planTrials({ ...plan, postprocess: ['thresholds:eo', ' thresholds:eo', 'thresholds:dp:deterministic'] });
    assert.deepEqual(trials[0].postprocess, ['thresholds:eo', 'thresholds:dp:deterministic']);
    assert.notEqual(trials[0].id, planTrials(plan)[0].id);
    assert.throws(() => planTrials({ ...plan, postprocess: ['thresholds:xx'] }), /unknown constraint "xx"/);
  });

  test('aggregation adds each post-processed variant as its own configuration, from its own test report', () => {
    const post = { overall: { count: 100, accuracy: 0.7 }, fairness: { demographicParityDifference: 0.01, equalizedOddsSum: 0.02 }, groups: [{ key: 'majority', accuracy: 0.7 }] };
    const entries = [0, 1].map((seed) => fakeEntry({ seed, method: 'erm', postprocess: ['thresholds:eo'] }, { accuracy: 0.8, ap: 0.7, dp: 0.2, eo: 0.4 }, { postprocessed: [{ spec: 'thresholds:eo', test: post }] }));
    const [study] = aggregate(entries).studies;
    assert.deepEqual(study.configs.map((config) => [config.method, config.runs]), [['erm', 2], ['erm+thresholds:eo', 2]]);
    const variant = study.configs[1];
    assert.equal(variant.metrics.accuracy.mean, 0.7);
    assert.equal(variant.metrics.equalizedOddsSum.mean, 0.02);
    assert.equal(study.reference?.method, 'erm');
  });

  test('a trial fits the thresholds on its validation split and reports the post-processed test split', async () => {
    await initBackend('wasm');
    const [trial] = planTrials({ ...plan, repeats: { seeds: 1 }, postprocess: ['thresholds:eo'] });
    const result = runTrial(trial, await new DatasetCache().open(trial));
    const postprocessed = result.postprocessed as { spec: string; test: { overall: { count: number; accuracy: number }; fairness: Record<string, number> } }[];
    assert.equal(postprocessed.length, 1);
    assert.equal(postprocessed[0].spec, 'thresholds:eo');
    assert.equal(postprocessed[0].test.overall.count, result.test.overall.count);
    assert.ok(postprocessed[0].test.overall.accuracy > 0.5);
    assert.equal(typeof postprocessed[0].test.fairness.equalizedOddsSum, 'number');
  });
});

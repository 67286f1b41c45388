import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { generateSynthetic } from '../data/synthetic.js';
import { initBackend } from '../nn/backend.js';
import reference from './fixtures/aggregate.json' with { type: 'json' };
import { planTrials } from './plan.js';
import { runTrial } from './run-trial.js';
import { makeTrial, trialId, trialSpecSchema, trialResultSchema, type TrialSpec } from './trial.js';

before(async () => {
  await initBackend('wasm');
});

test('the inference batch size is part of a trial only when given: ids without it are unchanged', () => {
  const spec = trialSpecSchema.parse(reference.ids[0].spec) as TrialSpec;
  assert.equal(trialId({ ...spec, inferenceBatchSize: undefined }), reference.ids[0].id);
  assert.notEqual(trialId({ ...spec, inferenceBatchSize: 16 }), reference.ids[0].id);
  assert.throws(() => makeTrial({ ...spec, inferenceBatchSize: 0 }));
  const plan = { datasets: [{ name: 'synthetic', sensitive: ['group'] }], methods: ['flayer'], lambdas: 'defaults' as const, repeats: { seeds: 1 }, protocol: 'gcm' as const, training: { epochs: 1 } };
  assert.ok(planTrials(plan).every((trial) => !('inferenceBatchSize' in trial)));
  assert.ok(planTrials({ ...plan, inferenceBatchSize: 16 }).every((trial) => trial.inferenceBatchSize === 16));
});

test('a flayer trial records its inference batch size and the pooled and batch-weighted gaps of the test split', () => {
  const dataset = generateSynthetic({ rows: 1500, seed: 3 });
  const spec = { dataset: 'synthetic', sensitive: ['group'], protocol: 'gcm' as const, method: 'flayer', params: { epsilon: 0.05 }, seed: 0, fold: null, training: { epochs: 2 } };
  const whole = runTrial(makeTrial(spec), dataset);
  const small = runTrial(makeTrial({ ...spec, inferenceBatchSize: 1 }), dataset);
  const testRows = (whole.rows as { test: number }).test;
  // The default batch holds the whole test split: one exact projection, so both gaps are the pooled gap, ≤ ε.
  assert.deepEqual([whole.inference?.batchSize, whole.inference?.exactBatches, whole.inference?.streamedBatches], [8192, 1, 0]);
  assert.ok(whole.inference!.pooledGap <= 0.05 + 1e-9 && whole.inference!.weightedAverageGap === whole.inference!.pooledGap, JSON.stringify(whole.inference));
  // Batches of one row: every one streamed, from λ = 0 (the spec resets the stream before the test pass).
  const inference = small.inference as NonNullable<typeof small.inference> & { streamedBatches: number; stream: { rows: number; bound: number } };
  assert.deepEqual([inference.batchSize, inference.streamedBatches, inference.stream.rows], [1, testRows, testRows]);
  assert.ok(inference.weightedAverageGap <= inference.stream.bound);
  assert.notDeepEqual(small.test.overall, whole.test.overall, 'the batch size changes the scores');
  assert.ok(trialResultSchema.safeParse(small).success);
  // A model that does not act on a batch records nothing and scores the same at any batch size.
  const erm = { ...spec, method: 'erm', params: {} };
  const ermSmall = runTrial(makeTrial({ ...erm, inferenceBatchSize: 7 }), dataset);
  assert.equal(ermSmall.inference, undefined);
  assert.deepEqual(ermSmall.test, runTrial(makeTrial(erm), dataset).test);
});

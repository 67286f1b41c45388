import assert from 'node:assert/strict';
import { test } from 'node:test';
import reference from './fixtures/aggregate.json' with { type: 'json' };
import { canonicalJson } from './canonical-json.js';
import { makeTrial, trialId, trialSpecSchema, type TrialSpec } from './trial.js';

test('trial ids are the first 16 hex digits of the SHA-256 of the canonical JSON (as Python computes them)', () => {
  for (const { spec, id } of reference.ids) {
    assert.equal(trialId(trialSpecSchema.parse(spec)), id);
  }
});

test('a trial id does not depend on key order but changes with any field', () => {
  const spec = trialSpecSchema.parse(reference.ids[0].spec) as TrialSpec;
  const reordered = Object.fromEntries(Object.entries(spec).reverse()) as TrialSpec;
  assert.equal(canonicalJson(reordered), canonicalJson(spec));
  assert.equal(trialId(reordered), trialId(spec));
  assert.notEqual(trialId({ ...spec, seed: 1 }), trialId(spec));
  assert.notEqual(trialId({ ...spec, params: { lambda: 1 } }), trialId(spec));
  assert.notEqual(trialId({ ...spec, training: { epochs: 2 } }), trialId(spec));
});

test('makeTrial rejects a fold index at or beyond the number of folds and unknown fields', () => {
  const spec = trialSpecSchema.parse(reference.ids[0].spec);
  assert.throws(() => makeTrial({ ...spec, fold: { index: 5, of: 5 } }), /fold index/);
  assert.throws(() => makeTrial({ ...spec, extra: 1 } as TrialSpec));
  assert.match(makeTrial(spec).id, /^[0-9a-f]{16}$/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairkitError } from '../errors.js';
import { bootstrapIntervals } from './bootstrap.js';
import { computeMetrics, evaluate, type EvaluateInput } from './compute.js';
import { MetricState } from './state.js';

// Three groups; group 2 has weight 0 on every row, so it is absent from the fairness metrics.
const logits = [2.5, -1.0, 0.3, 1.7, -2.2, 0.9, -0.4, 3.1, 0.0, -1.5];
const groupIds = [0, 1, 0, 1, 1, 0, 2, 1, 0, 2];
const weights = [1, 2, 0.5, 1, 1, 3, 0, 1, 2, 0];
const yTrue = [1, 0, 1, 1, 0, 1, 0, 1, 0, 0];
const groups = { keys: ['a', 'b', 'c'], values: [{ g: 'a' }, { g: 'b' }, { g: 'c' }] };
const scores = logits.map((z) => 1 / (1 + Math.exp(-z)));
const input: EvaluateInput = { yTrue, scores, logits, groupIds, groups, weights };

/** The weighted mean logit of group g, written out. */
function weightedMean(g: number): number {
  let sum = 0;
  let weight = 0;
  groupIds.forEach((h, i) => {
    if (h !== g) return;
    sum += weights[i] * logits[i];
    weight += weights[i];
  });
  return sum / weight;
}

test('meanLogitGap is max − min of the groups\' weighted mean logits, over the groups with weight', () => {
  const expected = Math.abs(weightedMean(0) - weightedMean(1));
  const report = evaluate(input);
  assert.ok(Math.abs(report.fairness.meanLogitGap! - expected) < 1e-12, `${report.fairness.meanLogitGap} vs ${expected}`);
  // Unweighted: the plain group means.
  const plain = evaluate({ ...input, weights: undefined });
  const mean = (g: number) => logits.filter((_, i) => groupIds[i] === g).reduce((s, z, _, all) => s + z / all.length, 0);
  const means = [0, 1, 2].map(mean);
  assert.ok(Math.abs(plain.fairness.meanLogitGap! - (Math.max(...means) - Math.min(...means))) < 1e-12);
});

test('without logits (or with some rows lacking them) the key is absent; a partial state says why', () => {
  assert.equal('meanLogitGap' in evaluate({ ...input, logits: undefined }).fairness, false);
  const state = new MetricState(3);
  state.update({ yTrue: yTrue.slice(0, 5), scores: scores.slice(0, 5), logits: logits.slice(0, 5), groups: groupIds.slice(0, 5) });
  state.update({ yTrue: yTrue.slice(5), scores: scores.slice(5), groups: groupIds.slice(5) });
  const report = computeMetrics(state, groups);
  assert.equal('meanLogitGap' in report.fairness, false);
  assert.ok(report.warnings.some((w) => w.includes('5 of 10 rows have no logit')), report.warnings.join('\n'));
});

test('states merge and round-trip through JSON with their logit sums; older JSON has no logits', () => {
  const whole = evaluate(input).fairness.meanLogitGap;
  const first = new MetricState(3);
  const second = new MetricState(3);
  first.update({ yTrue: yTrue.slice(0, 4), scores: scores.slice(0, 4), logits: logits.slice(0, 4), groups: groupIds.slice(0, 4), weights: weights.slice(0, 4) });
  second.update({ yTrue: yTrue.slice(4), scores: scores.slice(4), logits: logits.slice(4), groups: groupIds.slice(4), weights: weights.slice(4) });
  const merged = first.merge(second);
  assert.ok(Math.abs(computeMetrics(merged, groups).fairness.meanLogitGap! - whole!) < 1e-12);
  const restored = MetricState.fromJSON(JSON.parse(JSON.stringify(merged.toJSON())));
  assert.equal(computeMetrics(restored, groups).fairness.meanLogitGap, computeMetrics(merged, groups).fairness.meanLogitGap);
  const { logitSum: _sum, rowsWithoutLogits: _rows, ...older } = merged.toJSON();
  assert.equal('meanLogitGap' in computeMetrics(MetricState.fromJSON(older), groups).fairness, false);
  assert.throws(() => MetricState.fromJSON({ ...older, logitSum: [0, 0, 0] }), FairkitError);
});

test('a non-finite logit or a wrong length is refused, naming the row', () => {
  const state = new MetricState(3);
  assert.throws(() => state.update({ yTrue: [1, 0], scores: [0.5, 0.5], logits: [0, NaN], groups: [0, 1] }), (e: unknown) => e instanceof FairkitError && e.message.includes('logits[1] is NaN'));
  assert.throws(() => state.update({ yTrue: [1, 0], scores: [0.5, 0.5], logits: [0], groups: [0, 1] }), (e: unknown) => e instanceof FairkitError && e.message.includes('logits has 1 entries'));
  assert.equal(state.totalRows, 0);
});

test('the bootstrap leaves meanLogitGap out (logits are summed, not kept per row) without warnings about it', () => {
  const result = bootstrapIntervals(input, { replicates: 20, seed: 3 });
  assert.equal('meanLogitGap' in result.point.fairness, false);
  assert.equal(result.warnings.some((w) => w.includes('meanLogitGap')), false);
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeRegressionMetrics, evaluateRegression, type RegressionInput } from './regression-compute.js';
import { regressionCases, type RegressionCase } from './regression-fixtures.test-helper.js';
import { RegressionState } from './regression-state.js';

const cases = regressionCases;

const inputOf = (c: RegressionCase): RegressionInput => ({
  yTrue: c.yTrue,
  yPred: c.yPred,
  weights: c.weights,
  groupIds: Int32Array.from(c.groupIds),
  groups: { keys: c.keys, values: c.values },
});

/** The largest errors seen, for the report at the end: plain relative, and relative to the terms' magnitude. */
let worstRelative = 0;
let worstScaled = 0;

/**
 * The magnitude of the terms a reference value is computed from. A value that comes out of a cancellation (an
 * overall mean residual near 0 from residuals of ±5, a 0.05 difference between two means near 1000) carries the
 * rounding error of its terms on both sides, scikit-learn's and ours; relative to the value itself that error is
 * amplified by the cancellation, so the comparison is made relative to max(|value|, terms).
 */
function termScale(key: string, slice: Record<string, unknown>, c: RegressionCase): number {
  const present = c.expected.groups.filter((g) => g.mse !== null);
  const largest = (metric: string) => Math.max(...present.map((g) => Math.abs(g[metric] as number)));
  if (key === 'meanResidual') return slice.mae as number; // mean |e| bounds |mean e|
  if (key === 'r2') return Math.abs(1 - (slice.r2 as number)); // SSE / SST
  if (key === 'mseDifference' || key === 'mseStd') return largest('mse');
  if (key === 'maeDifference') return largest('mae');
  if (key === 'meanPredictionDifference') return largest('meanPrediction');
  if (key === 'meanResidualDifference') return largest('mae');
  return 0;
}

/** Same keys; numbers within 1e-12 of max(|expected|, their terms' magnitude); nulls exactly. */
function assertSlice(actual: Record<string, unknown>, expected: Record<string, unknown>, path: string, c: RegressionCase): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${path}: keys differ`);
  for (const [key, value] of Object.entries(expected)) {
    if (typeof value !== 'number') {
      assert.deepEqual(actual[key], value, `${path}.${key}`);
      continue;
    }
    const got = actual[key];
    assert.equal(typeof got, 'number', `${path}.${key}: expected ${value}, got ${String(got)}`);
    const difference = Math.abs((got as number) - value);
    const relative = difference / (value === 0 ? 1 : Math.abs(value));
    const scaled = difference / Math.max(Math.abs(value), termScale(key, expected, c)) || 0;
    worstRelative = Math.max(worstRelative, relative);
    worstScaled = Math.max(worstScaled, scaled);
    assert.ok(scaled <= 1e-12, `${path}.${key}: expected ${value}, got ${got as number} (error ${scaled} of its scale)`);
  }
}

describe('regression metrics against scikit-learn and scipy', () => {
  for (const c of cases) {
    test(c.name, () => {
      const report = evaluateRegression(inputOf(c));
      const fairness = c.expected.fairness as Record<string, unknown>;
      assertSlice(report.overall as unknown as Record<string, unknown>, c.expected.overall, 'overall', c);
      assert.equal(report.groups.length, c.expected.groups.length);
      report.groups.forEach((group, g) => assertSlice(group as unknown as Record<string, unknown>, c.expected.groups[g], `groups[${g}]`, c));
      assertSlice(report.fairness as unknown as Record<string, unknown>, fairness, 'fairness', c);
    });
  }

  test('the fixtures cover weights, a constant-label group, an empty group and ties', () => {
    assert.ok(cases.some((c) => c.weights !== undefined) && cases.some((c) => c.weights === undefined));
    assert.ok(cases.some((c) => c.expected.groups.some((g) => g.r2 === null && (g.count as number) > 0)));
    assert.ok(cases.some((c) => c.expected.groups.some((g) => g.count === 0)));
    assert.ok(cases.some((c) => new Set(c.yPred).size < c.yPred.length));
  });

  test('largest error against the references', (t) => {
    // Runs after the comparisons above (tests in a suite run in order) and reports what they saw.
    t.diagnostic(`largest error relative to the terms' magnitude: ${worstScaled.toExponential(2)}`);
    t.diagnostic(`largest plain relative error: ${worstRelative.toExponential(2)}`);
    assert.ok(worstScaled > 0 && worstScaled <= 1e-12);
    assert.ok(worstRelative <= 1e-11);
  });
});

describe('undefined values are null with a warning, never 0', () => {
  const constant = cases.find((c) => c.name.includes('one with constant labels'))!;
  const withEmpty = cases.find((c) => c.name.includes('empty group'))!;

  test('r2 of a group with constant labels', () => {
    const report = evaluateRegression(inputOf(constant));
    assert.equal(report.groups[3].r2, null);
    assert.ok(report.warnings.some((w) => w.includes("group 's' r2: null") && w.includes('constant')), report.warnings.join('\n'));
  });

  test('a declared group without rows has null metrics and is left out of the gaps', () => {
    const report = evaluateRegression(inputOf(withEmpty));
    assert.equal(report.groups[3].count, 0);
    assert.equal(report.groups[3].mse, null);
    assert.ok(report.warnings.some((w) => w.includes("group 'empty' has no rows with weight")));
    assert.ok(report.warnings.some((w) => w.includes("'empty' has no rows with weight and is left out of the fairness")));
  });

  test('one group with rows: gaps 0, ratios 1, ksDistance 0, with a warning', () => {
    const report = evaluateRegression({
      yTrue: [1, 2, 3, 4],
      yPred: [1.5, 2, 2.5, 5],
      groupIds: [0, 0, 0, 0],
      groups: { keys: ['a', 'b'], values: [{ g: 'a' }, { g: 'b' }] },
    });
    assert.deepEqual(report.fairness, {
      mseDifference: 0,
      mseRatio: 1,
      maeDifference: 0,
      maeRatio: 1,
      mseStd: 0,
      meanPredictionDifference: 0,
      meanResidualDifference: 0,
      ksDistance: 0,
    });
    assert.ok(report.warnings.some((w) => w.includes("only one group ('a')")));
  });

  test('perfect predictions everywhere: the MSE and MAE ratios are 0/0, so null with a warning', () => {
    const report = evaluateRegression({
      yTrue: [1, 2, 3, 4],
      yPred: [1, 2, 3, 4],
      groupIds: [0, 1, 0, 1],
      groups: { keys: ['a', 'b'], values: [{ g: 'a' }, { g: 'b' }] },
    });
    assert.equal(report.fairness.mseDifference, 0);
    assert.equal(report.fairness.mseRatio, null);
    assert.equal(report.fairness.maeRatio, null);
    assert.ok(report.warnings.some((w) => w.startsWith('mseRatio: null') && w.includes('MSE is 0 in every group')));
  });

  test('without kept rows ksDistance is null with a warning; everything else still streams', () => {
    const c = cases[1];
    const state = new RegressionState(c.keys.length, { keepRows: false });
    state.update({ yTrue: c.yTrue, yPred: c.yPred, groups: c.groupIds, weights: c.weights });
    const report = computeRegressionMetrics(state, { keys: c.keys, values: c.values });
    assert.equal(report.fairness.ksDistance, null);
    assert.ok(report.warnings.some((w) => w.includes('ksDistance is null')));
    assert.ok(Math.abs(report.fairness.mseStd! - c.expected.fairness.mseStd!) <= 1e-12 * c.expected.fairness.mseStd!);
  });
});

describe('the residual sign and KS details', () => {
  test('meanResidual is prediction − label: over-prediction is positive', () => {
    const report = evaluateRegression({
      yTrue: [10, 20],
      yPred: [12, 23],
      groupIds: [0, 1],
      groups: { keys: ['a', 'b'], values: [{ g: 'a' }, { g: 'b' }] },
    });
    assert.equal(report.groups[0].meanResidual, 2);
    assert.equal(report.groups[1].meanResidual, 3);
    assert.equal(report.overall.meanResidual, 2.5);
  });

  test('KS over three groups is the widest pair, and weights move the ECDFs', () => {
    const groups = { keys: ['a', 'b', 'c'], values: [{ g: 'a' }, { g: 'b' }, { g: 'c' }] };
    // a = {1, 2}, b = {2, 3}, c = {10, 11}: a and c never overlap, so the widest pair has distance 1.
    const input = { yTrue: [0, 0, 0, 0, 0, 0], yPred: [1, 2, 2, 3, 10, 11], groupIds: [0, 0, 1, 1, 2, 2], groups };
    assert.equal(evaluateRegression(input).fairness.ksDistance, 1);
    // a = {1, 2}, b = {2, 3}: F_a(1) − F_b(1) = 1/2; with weights (3, 1) on a's rows, F_a(1) = 3/4.
    const two = { yTrue: [0, 0, 0, 0], yPred: [1, 2, 2, 3], groupIds: [0, 0, 1, 1], groups: { keys: ['a', 'b'], values: [{ g: 'a' }, { g: 'b' }] } };
    assert.equal(evaluateRegression(two).fairness.ksDistance, 0.5);
    assert.equal(evaluateRegression({ ...two, weights: [3, 1, 1, 1] }).fairness.ksDistance, 0.75);
    // Zero-weight rows drop out of the ECDFs: b's row at 2 weighs nothing, so b = {3} and a = {1, 2} never overlap.
    assert.equal(evaluateRegression({ ...two, weights: [1, 1, 0, 1] }).fairness.ksDistance, 1);
  });
});

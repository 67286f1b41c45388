import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import fixture from './fixtures/threshold_cases.json' with { type: 'json' };
import { fitThresholds, positiveProbability, predictWithThresholds, type FairnessConstraint, type ThresholdsState } from './thresholds.js';

interface ThresholdCase {
  name: string;
  constraint: FairnessConstraint;
  costs: { falsePositive: number; falseNegative: number };
  keys: string[];
  scores: number[];
  labels: number[];
  groups: number[];
  expectedLoss: number;
}

const cases = fixture.cases as ThresholdCase[];

/** The constrained rates of each group: TPR and FPR (eo), TPR (tpr), selection rate (dp). */
function constrainedRates(state: ThresholdsState): number[][] {
  return Object.values(state.fitted.rates).map((rates) => (state.constraint === 'eo' ? [rates.tpr!, rates.fpr!] : state.constraint === 'tpr' ? [rates.tpr!] : [rates.selectionRate]));
}

/** The expected loss per row of a state, recomputed from its thresholds and the rows (not from its summary). */
function expectedLossOf(state: ThresholdsState, c: ThresholdCase): number {
  let loss = 0;
  c.scores.forEach((score, i) => {
    const p = positiveProbability(state, c.keys[c.groups[i]], score);
    loss += c.labels[i] === 1 ? c.costs.falseNegative * (1 - p) : c.costs.falsePositive * p;
  });
  return loss / c.scores.length;
}

describe('thresholds: the exact LP against scipy.optimize.linprog (fixtures/make_threshold_cases.py)', () => {
  test('the fixture holds 2- and 3-group cases of all three constraints', () => {
    assert.ok(cases.length >= 18);
    for (const constraint of ['eo', 'tpr', 'dp']) for (const groups of [2, 3]) assert.ok(cases.some((c) => c.constraint === constraint && c.keys.length === groups));
  });

  for (const c of cases) {
    test(`${c.name}: optimal loss equal to scipy's within 1e-9, constraint met`, () => {
      const state = fitThresholds({ scores: c.scores, labels: c.labels, groupIds: c.groups, keys: c.keys }, { constraint: c.constraint, costs: c.costs });
      assert.ok(Math.abs(state.fitted.expectedLoss - c.expectedLoss) <= 1e-9, `ours ${state.fitted.expectedLoss}, scipy ${c.expectedLoss}`);
      assert.ok(Math.abs(expectedLossOf(state, c) - c.expectedLoss) <= 1e-9, 'the loss recomputed from the thresholds');
      const rates = constrainedRates(state);
      for (const group of rates) group.forEach((rate, k) => assert.ok(Math.abs(rate - rates[0][k]) <= 1e-12, `rates ${JSON.stringify(rates)}`));
      for (const [key, mixture] of Object.entries(state.groups)) {
        assert.ok(Math.abs(mixture.reduce((sum, { weight }) => sum + weight, 0) - 1) <= 1e-12, `${key}: weights sum to one`);
        assert.ok(mixture.every(({ weight }) => weight > 0));
        // Basic solutions: two thresholds per group for one coupled rate, three at most for two.
        assert.ok(mixture.length <= (c.constraint === 'eo' ? 3 : 2), `${key}: ${mixture.length} thresholds`);
      }
    });
  }

  test('the deterministic variant: one threshold per group, the ROC point nearest the exact rates', () => {
    const c = cases.find((candidate) => candidate.constraint === 'eo' && candidate.keys.length === 2)!;
    const input = { scores: c.scores, labels: c.labels, groupIds: c.groups, keys: c.keys };
    const exact = fitThresholds(input, { constraint: 'eo', costs: c.costs });
    const rounded = fitThresholds(input, { constraint: 'eo', costs: c.costs, randomised: false });
    assert.equal(rounded.randomised, false);
    for (const key of c.keys) {
      assert.equal(rounded.groups[key].length, 1);
      assert.equal(rounded.groups[key][0].weight, 1);
      // No other single threshold of the group lies nearer the exact point in |ΔTPR| + |ΔFPR|.
      const target = exact.fitted.rates[key];
      const got = rounded.fitted.rates[key];
      const distance = (r: { tpr: number | null; fpr: number | null }) => Math.abs(r.tpr! - target.tpr!) + Math.abs(r.fpr! - target.fpr!);
      const rows = c.scores.map((score, i) => ({ score, label: c.labels[i], group: c.keys[c.groups[i]] })).filter((row) => row.group === key);
      for (const t of new Set(rows.map((row) => row.score))) {
        const tp = rows.filter((row) => row.score >= t && row.label === 1).length / rows.filter((row) => row.label === 1).length;
        const fp = rows.filter((row) => row.score >= t && row.label === 0).length / rows.filter((row) => row.label === 0).length;
        assert.ok(distance(got) <= distance({ tpr: tp, fpr: fp }) + 1e-15);
      }
    }
  });
});

describe('thresholds: prediction', () => {
  const state: ThresholdsState = {
    kind: 'thresholds', constraint: 'eo', randomised: true, costs: { falsePositive: 1, falseNegative: 1 }, seed: 7,
    groups: { a: [{ threshold: 0.5, weight: 1 }], b: [{ threshold: 0.2, weight: 0.25 }, { threshold: 0.6, weight: 0.75 }, { threshold: null, weight: 0 }] },
    fitted: { rows: 0, expectedLoss: 0, rates: {} },
  };

  test('the probability of a positive is the weight of the thresholds at or below the score', () => {
    assert.equal(positiveProbability(state, 'a', 0.5), 1);
    assert.equal(positiveProbability(state, 'a', 0.4999), 0);
    assert.equal(positiveProbability(state, 'b', 0.1), 0);
    assert.equal(positiveProbability(state, 'b', 0.3), 0.25);
    assert.equal(positiveProbability(state, 'b', 0.9), 1);
    assert.throws(() => positiveProbability(state, 'c', 0.5), (error: unknown) => error instanceof FairkitError && /no group "c"/.test(error.message));
  });

  test('draws are seeded and follow the probabilities; unknown groups get null', () => {
    const n = 20000;
    const scores = new Array(n).fill(0.3);
    const keys = new Array<string | null>(n).fill('b');
    keys[3] = null;
    const first = predictWithThresholds(state, scores, keys);
    assert.deepEqual(predictWithThresholds(state, scores, keys), first);
    assert.equal(first.predictions[3], null);
    assert.equal(first.probabilities[3], null);
    const positives = first.predictions.filter((p) => p === 1).length / (n - 1);
    // Binomial(n, 0.25): standard deviation 0.003.
    assert.ok(Math.abs(positives - 0.25) < 0.015, `share ${positives}`);
  });
});

describe('thresholds: bad input', () => {
  const keys = ['x', 'y'];
  test('a group without positives (eo) is named', () => {
    assert.throws(
      () => fitThresholds({ scores: [0.1, 0.9, 0.3, 0.4], labels: [0, 1, 0, 0], groupIds: [0, 0, 1, 1], keys }, { constraint: 'eo' }),
      (error: unknown) => error instanceof FairkitError && /group "y" has no positive rows/.test(error.message),
    );
  });
  test('non-finite scores, labels other than 0/1 and unknown group ids are refused with the row', () => {
    const base = { scores: [0.1, 0.9, 0.3, 0.4], labels: [0, 1, 0, 1], groupIds: [0, 0, 1, 1], keys };
    assert.throws(() => fitThresholds({ ...base, scores: [0.1, Number.NaN, 0.3, 0.4] }, { constraint: 'dp' }), /score NaN of row 2/);
    assert.throws(() => fitThresholds({ ...base, labels: [0, 2, 0, 1] }, { constraint: 'dp' }), /label 2 of row 2/);
    assert.throws(() => fitThresholds({ ...base, groupIds: [0, 0, 2, 1] }, { constraint: 'dp' }), /group id 2 of row 3/);
    assert.throws(() => fitThresholds(base, { constraint: 'xx' as FairnessConstraint }), /unknown constraint "xx"/);
  });
});

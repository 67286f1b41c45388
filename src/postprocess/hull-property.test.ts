import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../rng.js';
import { solveExactLp } from './exact-lp.js';
import { rational, toNumber, type Rational } from './rational.js';
import { groupRoc } from './roc.js';
import { fitThresholds, type FairnessConstraint } from './thresholds.js';

/**
 * The optimum over every threshold of every group (no hull), by the exact solver: the hull reduction in
 * thresholds.ts must lose nothing. Rates are coupled as fractions count/total, cross-multiplied.
 */
function optimumOverAllThresholds(scores: number[], labels: number[], groups: number[], nGroups: number, constraint: FairnessConstraint): number {
  const rocs = Array.from({ length: nGroups }, (_, a) => groupRoc(scores.filter((_, i) => groups[i] === a), labels.filter((_, i) => groups[i] === a)));
  const columns = rocs.flatMap((roc, a) => roc.points.map((point) => ({ a, fp: point.falsePositives, tp: point.truePositives })));
  const q = (v: number): Rational => rational(BigInt(v));
  const A: Rational[][] = rocs.map((_, a) => columns.map((column) => q(column.a === a ? 1 : 0)));
  const b: Rational[] = rocs.map(() => q(1));
  const rates: [(c: (typeof columns)[number]) => number, (a: number) => number][] = [];
  if (constraint !== 'dp') rates.push([(c) => c.tp, (a) => rocs[a].positives]);
  if (constraint === 'eo') rates.push([(c) => c.fp, (a) => rocs[a].negatives]);
  if (constraint === 'dp') rates.push([(c) => c.fp + c.tp, (a) => rocs[a].positives + rocs[a].negatives]);
  for (const [count, total] of rates) {
    for (let a = 1; a < nGroups; a++) {
      A.push(columns.map((c) => q(c.a === a ? count(c) * total(0) : c.a === 0 ? -count(c) * total(a) : 0)));
      b.push(q(0));
    }
  }
  const result = solveExactLp({ c: columns.map((c) => q(c.fp + rocs[c.a].positives - c.tp)), A, b });
  assert.equal(result.status, 'optimal');
  return result.status === 'optimal' ? toNumber(result.objective) / scores.length : NaN;
}

test('property (200 seeded random cases): the hull LP reaches the all-threshold optimum, rates equal, few thresholds', () => {
  const rng = new Rng(15);
  let cases = 0;
  while (cases < 200) {
    const nGroups = 2 + rng.int(2);
    const n = 6 * nGroups + rng.int(30);
    const groups = Array.from({ length: n }, (_, i) => (i < 2 * nGroups ? i % nGroups : rng.int(nGroups)));
    // The first rows give every group a positive and a negative.
    const labels = Array.from({ length: n }, (_, i) => (i < 2 * nGroups ? Number(i >= nGroups) : Number(rng.uniform() < 0.4)));
    const scores = labels.map((y) => Math.round(10 * Math.min(1, Math.max(0, 0.5 + (y - 0.5) * rng.uniform() + 0.3 * rng.normal()))) / 10);
    const constraint = (['eo', 'tpr', 'dp'] as const)[rng.int(3)];
    const state = fitThresholds({ scores, labels, groupIds: groups, keys: Array.from({ length: nGroups }, (_, a) => `g${a}`) }, { constraint });
    const reference = optimumOverAllThresholds(scores, labels, groups, nGroups, constraint);
    assert.ok(Math.abs(state.fitted.expectedLoss - reference) <= 1e-12, `case ${cases}: ${state.fitted.expectedLoss} vs ${reference}`);
    const rates = Object.values(state.fitted.rates).map((r) => (constraint === 'eo' ? [r.tpr!, r.fpr!] : constraint === 'tpr' ? [r.tpr!] : [r.selectionRate]));
    for (const group of rates) group.forEach((rate, k) => assert.ok(Math.abs(rate - rates[0][k]) <= 1e-12));
    for (const mixture of Object.values(state.groups)) assert.ok(mixture.length <= (constraint === 'eo' ? 3 : 2));
    cases++;
  }
});

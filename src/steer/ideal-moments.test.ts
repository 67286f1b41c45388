import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Rng } from '../rng.js';
import { checkIdealConditions } from './conditions.js';
import { fromUnivariate, type GroupGaussians } from './gaussian.js';
import { idealMoments } from './ideal-moments.js';
import { inverseAndLogDet, matvec, sqrtm } from './linalg.js';
import { affirmativeActionUnivariate } from './univariate.js';

interface Solved { kl: number; conditionGap: number; means: number[][]; covs: number[][] }
interface RawGroup { priors: number[]; classes: { mean: number[]; cov: number[] }[] }
const fixture = JSON.parse(readFileSync(new URL('../../src/steer/fixtures/ideal-moments.json', import.meta.url), 'utf8')) as { name: string; steered: RawGroup; reference: RawGroup; forward: Solved; reverse: Solved }[];
const toGroup = (g: RawGroup): GroupGaussians => ({ priors: g.priors, classes: g.classes.map((k) => ({ mean: Float64Array.from(k.mean), cov: Float64Array.from(k.cov) })) });
const close = (actual: number, expected: number, tolerance: number, what: string) => assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);

/** Cost matrices C[true][predicted] for k classes: 0/1 loss and three asymmetric ones. */
function costMatrices(k: number): number[][][] {
  const base = (f: (i: number, j: number) => number) => Array.from({ length: k }, (_, i) => Array.from({ length: k }, (__, j) => (i === j ? 0 : f(i, j))));
  return [base(() => 1), base((i) => 1 + 2 * i), base((_, j) => 4 - j), base((i, j) => 0.2 + 5 * ((i + 2 * j) % 3))];
}

/**
 * Per-class prediction rates and TPRs of a group's Bayes-optimal classifier for cost matrix C (predict
 * argmin_j Σ_i C_ij q_i N(x; μ_i, Σ_i)), on x = μ_i + Σ_i^{1/2}z with the same standard normal z for both groups. An
 * ideal pair gives identical decisions draw by draw, so the gaps are exactly 0, not just small; a non-ideal pair does not.
 */
function bayesRates(group: GroupGaussians, costs: number[][], draws: Float64Array[][]) {
  const d = group.classes[0].mean.length;
  const k = group.priors.length;
  const parts = group.classes.map((c) => ({ ...inverseAndLogDet(c.cov, d), root: sqrtm(c.cov, d) }));
  const positive = new Float64Array(k);
  const tpr = new Float64Array(k);
  group.classes.forEach((c, y) => {
    for (const z of draws[y]) {
      const x = matvec(parts[y].root, z, d).map((v, j) => v + c.mean[j]);
      const weighted = group.classes.map((ci, i) => {
        const diff = x.map((v, j) => v - ci.mean[j]);
        const mahalanobis = diff.reduce((s, v, a) => s + v * matvec(parts[i].inverse, diff, d)[a], 0);
        return group.priors[i] * Math.exp(-0.5 * mahalanobis - 0.5 * parts[i].logDet);
      });
      const risk = Array.from({ length: k }, (_, j) => weighted.reduce((s, w, i) => s + costs[i][j] * w, 0));
      const predicted = risk.indexOf(Math.min(...risk));
      positive[predicted] += group.priors[y] / draws[y].length;
      if (predicted === y) tpr[y] += 1 / draws[y].length;
    }
  });
  return { positive, tpr };
}

function largestGaps(a: GroupGaussians, b: GroupGaussians, seed: number): { dp: number; eo: number } {
  const d = a.classes[0].mean.length;
  const rng = new Rng(seed);
  const draws = a.classes.map(() => Array.from({ length: 2000 }, () => Float64Array.from({ length: d }, () => rng.normal())));
  let dp = 0;
  let eo = 0;
  for (const costs of costMatrices(a.priors.length)) {
    const [ra, rb] = [a, b].map((g) => bayesRates(g, costs, draws));
    ra.positive.forEach((p, j) => (dp = Math.max(dp, Math.abs(p - rb.positive[j]))));
    ra.tpr.forEach((t, j) => (eo = Math.max(eo, Math.abs(t - rb.tpr[j]))));
  }
  return { dp, eo };
}

describe('ideal distribution, the multivariate program over target moments', () => {
  for (const c of fixture) {
    const steered = toGroup(c.steered);
    const reference = toGroup(c.reference);
    for (const direction of ['forward', 'reverse'] as const) {
      test(`${c.name}, ${direction} KL: optimum and target moments match scipy's SLSQP over a full matrix M; KL ≤ the scalar family's`, () => {
        const result = idealMoments(steered, reference, direction);
        close(result.kl, c[direction].kl, 1e-8, 'KL');
        result.target.classes.forEach((t, i) => {
          t.mean.forEach((v, j) => close(v, c[direction].means[i][j], 1e-5, `mean ${i}[${j}]`));
          t.cov.forEach((v, j) => close(v, c[direction].covs[i][j], 1e-5, `cov ${i}[${j}]`));
        });
        assert.ok(result.kl <= result.scalarKl + 1e-12, `${result.kl} > ${result.scalarKl}`);
        assert.ok(c[direction].conditionGap < 1e-9, 'the reference optimum is itself ideal');
      });
    }

    test(`${c.name}: the steered parameters meet the ideal conditions, and Bayes-optimal ΔDP = ΔEO = 0 for four cost matrices`, () => {
      const { target } = idealMoments(steered, reference);
      const check = checkIdealConditions([target, reference]);
      assert.ok(check.ideal, JSON.stringify(check.gaps));
      const after = largestGaps(target, reference, 3);
      assert.ok(after.dp < 1e-12 && after.eo < 1e-12, JSON.stringify(after));
      const before = largestGaps(steered, reference, 3);
      assert.ok(before.dp > 0.01 && before.eo > 0.01, `the original groups already had small gaps (${JSON.stringify(before)}): a weak test case`);
    });
  }

  test('two classes in d dimensions: d free scales, and a strictly smaller KL than the scalar family; three classes: one', () => {
    const [twoClasses, , threeClasses] = fixture.map((c) => idealMoments(toGroup(c.steered), toGroup(c.reference)));
    assert.equal(twoClasses.freeParameters, 2);
    assert.ok(twoClasses.kl < twoClasses.scalarKl - 0.01, `${twoClasses.kl} vs ${twoClasses.scalarKl}`);
    assert.equal(threeClasses.freeParameters, 1);
    close(threeClasses.kl, threeClasses.scalarKl, 1e-12, 'KL with only γI feasible');
  });

  test('univariate: the closed form (γ*, c*)', () => {
    const steered = { priors: [0.6, 0.4], means: [-0.5, 1.2], sds: [1.3, 0.7] };
    const reference = { priors: [0.5, 0.5], means: [0, 2], sds: [1, 1.1] };
    for (const direction of ['forward', 'reverse'] as const) {
      const closed = affirmativeActionUnivariate(steered, reference, direction);
      const solved = idealMoments(fromUnivariate(steered), fromUnivariate(reference), direction);
      close(solved.gamma, closed.gamma, 1e-12, 'γ');
      close(solved.shift[0], closed.shift, 1e-12, 'c');
    }
  });

  test('no convergence within the iteration budget is an error naming the group, the iteration count and the decrement', () => {
    const c = fixture[0];
    assert.throws(() => idealMoments(toGroup(c.steered), toGroup(c.reference), 'forward', { maxIterations: 1, where: 'steered group sex=F' }), /steered group sex=F.*did not converge in 1 Newton iterations: decrement λ²\/2 = [0-9.e+-]+ > 1e-12/);
  });
});

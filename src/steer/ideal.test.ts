import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { allSubgroup } from './all-subgroup.js';
import { checkIdealConditions } from './conditions.js';
import { fromUnivariate, type GroupGaussians, type UnivariateGroup } from './gaussian.js';
import { affirmativeAction } from './ideal.js';
import { affirmativeActionLogNormal, affirmativeActionUnivariate, bayesGaps, jsDivergence } from './univariate.js';

interface Fit { gamma: number; shift: number[]; kl: number; js?: number }
const fixture = JSON.parse(readFileSync(new URL('../../src/steer/fixtures/ideal.json', import.meta.url), 'utf8')) as {
  univariate: { name: string; steered: UnivariateGroup; reference: UnivariateGroup; forward: Fit; reverse: Fit }[];
  multivariate: { name: string; steered: { priors: number[]; classes: { mean: number[]; cov: number[] }[] }; reference: { priors: number[]; classes: { mean: number[]; cov: number[] }[] }; forward: Fit; reverse: Fit }[];
  allSubgroup: { name: string; steered: UnivariateGroup; reference: UnivariateGroup; share: number; gamma: number; kl: number }[];
};
const close = (actual: number, expected: number, tolerance: number, what: string) => assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);
const costMatrices = [
  { falsePositive: 1, falseNegative: 1 },
  { falsePositive: 1, falseNegative: 3 },
  { falsePositive: 4, falseNegative: 1 },
  { falsePositive: 0.2, falseNegative: 5 },
];

describe('affirmative action, univariate closed form', () => {
  for (const c of fixture.univariate) {
    for (const direction of ['forward', 'reverse'] as const) {
      test(`${c.name}, ${direction} KL: (γ*, c*) and KL match scipy's numerical minimiser`, () => {
        const result = affirmativeActionUnivariate(c.steered, c.reference, direction);
        close(result.gamma, c[direction].gamma, 1e-6, 'γ');
        close(result.shift, c[direction].shift[0], 1e-6, 'c');
        close(result.kl, c[direction].kl, 1e-9, 'KL');
      });
    }

    test(`${c.name}: the spec's formula γ* = [S_uv + √(S_uv² + 4(K + S_uu)W)] / 2(K + S_uu) agrees`, () => {
      const { steered: s, reference: r } = c;
      const w = r.priors;
      const p = w.map((wi, i) => wi / s.sds[i] ** 2);
      const delta = (p[0] * p[1]) / (p[0] + p[1]);
      const suu = delta * (r.means[0] - r.means[1]) ** 2;
      const suv = delta * (r.means[0] - r.means[1]) * (s.means[0] - s.means[1]);
      const K = w.reduce((sum, wi, i) => sum + (wi * r.sds[i] ** 2) / s.sds[i] ** 2, 0);
      const gamma = (suv + Math.sqrt(suv * suv + 4 * (K + suu))) / (2 * (K + suu));
      close(affirmativeActionUnivariate(s, r).gamma, gamma, 1e-12, 'γ');
    });

    test(`${c.name}: the steered parameters are ideal, the Bayes classifier has ΔDP = ΔEO = 0 for every cost matrix`, () => {
      const { target } = affirmativeActionUnivariate(c.steered, c.reference);
      const before = checkIdealConditions([fromUnivariate(c.steered), fromUnivariate(c.reference)]);
      const after = checkIdealConditions([fromUnivariate(target), fromUnivariate(c.reference)]);
      assert.equal(before.ideal, false);
      assert.ok(after.ideal, JSON.stringify(after.gaps));
      let gapBefore = 0;
      for (const costs of costMatrices) {
        const gaps = bayesGaps([target, c.reference], costs);
        assert.ok(gaps.dp < 1e-9 && gaps.eo < 1e-9, `${JSON.stringify(costs)}: ${JSON.stringify(gaps)}`);
        gapBefore = Math.max(gapBefore, bayesGaps([c.steered, c.reference], costs).eo);
      }
      assert.ok(gapBefore > 0.01, `the original groups already had ΔEO ≈ 0 (${gapBefore}): a weak test case`);
    });

    test(`${c.name}: the closed-form KL matches a seeded Monte Carlo estimate; JS matches scipy's quadrature`, () => {
      const { target, kl } = affirmativeActionUnivariate(c.steered, c.reference);
      const rng = new Rng(13);
      const logDensity = (g: UnivariateGroup, y: number, x: number) => Math.log(g.priors[y]) - Math.log(g.sds[y] * Math.sqrt(2 * Math.PI)) - 0.5 * ((x - g.means[y]) / g.sds[y]) ** 2;
      const n = 200_000;
      let sum = 0;
      let sumSq = 0;
      for (let t = 0; t < n; t++) {
        const y = rng.uniform() < target.priors[0] ? 0 : 1;
        const x = target.means[y] + target.sds[y] * rng.normal();
        const v = logDensity(target, y, x) - logDensity(c.steered, y, x);
        sum += v;
        sumSq += v * v;
      }
      const mean = sum / n;
      const standardError = Math.sqrt((sumSq / n - mean * mean) / n);
      assert.ok(Math.abs(mean - kl) < 4 * standardError, `Monte Carlo ${mean} ± ${standardError} vs closed form ${kl}`);
      close(jsDivergence(c.steered, target), c.forward.js!, 1e-9, 'JS');
    });
  }
});

describe('affirmative action, multivariate (scalar scale, vector shift)', () => {
  const toGroup = (g: { priors: number[]; classes: { mean: number[]; cov: number[] }[] }): GroupGaussians => ({ priors: g.priors, classes: g.classes.map((k) => ({ mean: Float64Array.from(k.mean), cov: Float64Array.from(k.cov) })) });
  for (const c of fixture.multivariate) {
    for (const direction of ['forward', 'reverse'] as const) {
      test(`${c.name}, ${direction} KL: matches scipy's numerical minimiser and meets the ideal conditions`, () => {
        const result = affirmativeAction(toGroup(c.steered), toGroup(c.reference), direction);
        close(result.gamma, c[direction].gamma, 1e-6, 'γ');
        result.shift.forEach((v, j) => close(v, c[direction].shift[j], 1e-6, `c[${j}]`));
        close(result.kl, c[direction].kl, 1e-9, 'KL');
        const check = checkIdealConditions([result.target, toGroup(c.reference)]);
        assert.ok(check.ideal, JSON.stringify(check.gaps));
      });
    }
  }
});

describe('all-subgroup intervention (1-D search over γ)', () => {
  for (const c of fixture.allSubgroup) {
    test(`${c.name}: reaches scipy's multi-start minimum and beats affirmative action`, () => {
      const result = allSubgroup(c.steered, c.reference, c.share);
      close(result.kl, c.kl, 1e-8, 'KL');
      close(result.gamma, c.gamma, 1e-4, 'γ');
      const aa = affirmativeActionUnivariate(c.steered, c.reference);
      assert.ok(result.kl <= c.share * aa.kl + 1e-12, `${result.kl} > ${c.share * aa.kl}`);
      assert.ok(checkIdealConditions(result.targets.map(fromUnivariate)).ideal);
      for (const costs of costMatrices) {
        const gaps = bayesGaps(result.targets, costs);
        assert.ok(gaps.dp < 1e-9 && gaps.eo < 1e-9, JSON.stringify(gaps));
      }
    });
  }
});

test('log-normal class conditionals: the per-class transport map of log x gives log-values with the ideal moments', () => {
  const { steered, reference } = fixture.univariate[0];
  const steering = affirmativeActionLogNormal(steered, reference);
  const rng = new Rng(5);
  const logs = Array.from({ length: 50_000 }, () => Math.log(steering.map(Math.exp(steered.means[1] + steered.sds[1] * rng.normal()), 1)));
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length);
  close(mean, steering.target.means[1], 0.02, 'mean of log');
  close(sd, steering.target.sds[1], 0.02, 'sd of log');
  assert.throws(() => steering.map(-1, 0), FairkitError);
});

test('bad parameters are refused with the group named, never a NaN', () => {
  const good: UnivariateGroup = { priors: [0.5, 0.5], means: [0, 1], sds: [1, 1] };
  assert.throws(() => affirmativeActionUnivariate({ ...good, priors: [0.7, 0.7] }, good), /steered group: class priors must be positive and sum to 1/);
  assert.throws(() => affirmativeActionUnivariate(good, { ...good, sds: [1, 0] }), /not positive definite/);
  assert.throws(() => affirmativeActionUnivariate(good, { ...good, means: [0, Number.NaN] }), /reference group: class 1 has a non-finite/);
  assert.throws(() => allSubgroup(good, good, 1), /share/);
});

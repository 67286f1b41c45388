import { normalCdf } from '../data/normal-quantile.js';
import { FairkitError } from '../errors.js';
import { fromUnivariate, toUnivariate, type UnivariateGroup } from './gaussian.js';
import { affirmativeAction, type KlDirection } from './ideal.js';

export { normalCdf };

function logNormalPdf(x: number, mean: number, sd: number): number {
  const z = (x - mean) / sd;
  return -0.5 * z * z - Math.log(sd * Math.sqrt(2 * Math.PI));
}

export interface Costs {
  /** Cost of predicting 1 when Y = 0. */
  falsePositive: number;
  /** Cost of predicting 0 when Y = 1. */
  falseNegative: number;
}

export interface BayesRates {
  positiveRate: number;
  tpr: number;
  fpr: number;
  error: number;
}

/**
 * Rates of the Bayes-optimal classifier for the cost-weighted risk within one group (binary class, univariate):
 * predict 1 where c_FN·q_1·N_1(x) > c_FP·q_0·N_0(x). The log ratio is a quadratic in x, so the region is found from
 * its roots and its mass from Φ, exactly.
 */
export function bayesRates(group: UnivariateGroup, costs: Costs): BayesRates {
  const [q0, q1] = group.priors;
  const [m0, m1] = group.means;
  const [s0, s1] = group.sds;
  // log ratio L(x) = a·x² + b·x + k
  const a = 1 / (2 * s0 * s0) - 1 / (2 * s1 * s1);
  const b = m1 / (s1 * s1) - m0 / (s0 * s0);
  const k = Math.log((costs.falseNegative * q1 * s0) / (costs.falsePositive * q0 * s1)) - (m1 * m1) / (2 * s1 * s1) + (m0 * m0) / (2 * s0 * s0);
  const L = (x: number) => a * x * x + b * x + k;
  let roots: number[];
  if (Math.abs(a) < 1e-14 * (Math.abs(b) + 1)) roots = b === 0 ? [] : [-k / b];
  else {
    const disc = b * b - 4 * a * k;
    roots = disc <= 0 ? [] : [(-b - Math.sqrt(disc)) / (2 * a), (-b + Math.sqrt(disc)) / (2 * a)].sort((x, y) => x - y);
  }
  // Mass of {L > 0} under N(m, s²): sum over the intervals between roots where L is positive.
  const cuts = [-Infinity, ...roots, Infinity];
  const mass = (m: number, s: number) => {
    let total = 0;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const lo = cuts[i];
      const hi = cuts[i + 1];
      const mid = Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : Number.isFinite(lo) ? lo + 1 : Number.isFinite(hi) ? hi - 1 : 0;
      if (L(mid) > 0) total += normalCdf((hi - m) / s) - normalCdf((lo - m) / s);
    }
    return total;
  };
  const tpr = mass(m1, s1);
  const fpr = mass(m0, s0);
  return { positiveRate: q0 * fpr + q1 * tpr, tpr, fpr, error: q0 * fpr + q1 * (1 - tpr) };
}

/** ΔDP and ΔEO (|ΔTPR| + |ΔFPR|, §0) of the group-aware Bayes classifier between two groups. */
export function bayesGaps(groups: [UnivariateGroup, UnivariateGroup], costs: Costs): { dp: number; eo: number } {
  const [r0, r1] = groups.map((g) => bayesRates(g, costs));
  return { dp: Math.abs(r0.positiveRate - r1.positiveRate), eo: Math.abs(r0.tpr - r1.tpr) + Math.abs(r0.fpr - r1.fpr) };
}

export interface UnivariateSteering {
  gamma: number;
  shift: number;
  target: UnivariateGroup;
  kl: number;
}

/** The univariate closed form (γ*, c*) of Cor. 4.2 (forward KL by default). */
export function affirmativeActionUnivariate(steered: UnivariateGroup, reference: UnivariateGroup, direction: KlDirection = 'forward'): UnivariateSteering {
  const result = affirmativeAction(fromUnivariate(steered), fromUnivariate(reference), direction);
  return { gamma: result.gamma, shift: result.shift[0], target: toUnivariate(result.target), kl: result.kl };
}

/**
 * The same intervention for log-normal class conditionals: parameters are those of log X, the target is found on the
 * log scale, and a value of class y moves by the monotone transport map of its log,
 * x ↦ exp(μ̃_y + (σ̃_y/σ_y)(log x − μ_y)). The KL is unchanged by the bijection.
 */
export function affirmativeActionLogNormal(steeredLog: UnivariateGroup, referenceLog: UnivariateGroup, direction: KlDirection = 'forward') {
  const result = affirmativeActionUnivariate(steeredLog, referenceLog, direction);
  const map = (x: number, label: number) => {
    if (!(x > 0)) throw new FairkitError(`a log-normal value must be positive, got ${x}`, { where: 'log-normal steering' });
    if (!(label in steeredLog.means)) throw new FairkitError(`no class ${label}`, { where: 'log-normal steering' });
    return Math.exp(result.target.means[label] + (result.target.sds[label] / steeredLog.sds[label]) * (Math.log(x) - steeredLog.means[label]));
  };
  return { ...result, map };
}

/**
 * Jensen–Shannon divergence (nats, at most log 2) between the joint laws of (X, Y) of two univariate groups, by
 * Simpson quadrature over a range covering every class conditional to ±12 standard deviations.
 */
export function jsDivergence(p: UnivariateGroup, q: UnivariateGroup, points = 20001): number {
  const all = [...p.means.map((m, i) => [m, p.sds[i]]), ...q.means.map((m, i) => [m, q.sds[i]])];
  const lo = Math.min(...all.map(([m, s]) => m - 12 * s));
  const hi = Math.max(...all.map(([m, s]) => m + 12 * s));
  const n = points % 2 === 1 ? points : points + 1;
  const h = (hi - lo) / (n - 1);
  let total = 0;
  p.priors.forEach((_, i) => {
    for (let t = 0; t < n; t++) {
      const x = lo + t * h;
      // On the log scale: densities far in the tails underflow, their logs do not.
      const lf = Math.log(p.priors[i]) + logNormalPdf(x, p.means[i], p.sds[i]);
      const lg = Math.log(q.priors[i]) + logNormalPdf(x, q.means[i], q.sds[i]);
      const top = Math.max(lf, lg);
      const lm = top + Math.log((Math.exp(lf - top) + Math.exp(lg - top)) / 2);
      const value = 0.5 * Math.exp(lf) * (lf - lm) + 0.5 * Math.exp(lg) * (lg - lm);
      total += value * (t === 0 || t === n - 1 ? 1 : t % 2 === 1 ? 4 : 2);
    }
  });
  return (total * h) / 3;
}

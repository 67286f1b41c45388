import { FairkitError } from '../errors.js';
import { inverseAndLogDet, logDet, matmul, quadForm, trace } from './linalg.js';

/** A d-dimensional Gaussian: mean (d) and covariance (d×d, row-major). */
export interface Gaussian {
  mean: Float64Array;
  cov: Float64Array;
}

/**
 * The class-conditional Gaussians of one group: X | Y=i, A=a ~ N(μ_ia, Σ_ia) with class priors q_ia = P(Y=i | A=a).
 * Classes are indexed 0 … nClasses − 1 in the same order in every group.
 */
export interface GroupGaussians {
  priors: number[];
  classes: Gaussian[];
}

/** Univariate parameters, the form the closed forms of the paper are stated in. */
export interface UnivariateGroup {
  priors: number[];
  means: number[];
  sds: number[];
}

export function fromUnivariate(group: UnivariateGroup): GroupGaussians {
  return {
    priors: [...group.priors],
    classes: group.means.map((mean, i) => ({ mean: Float64Array.of(mean), cov: Float64Array.of(group.sds[i] ** 2) })),
  };
}

export function toUnivariate(group: GroupGaussians): UnivariateGroup {
  return { priors: [...group.priors], means: group.classes.map((c) => c.mean[0]), sds: group.classes.map((c) => Math.sqrt(c.cov[0])) };
}

export function dimOf(group: GroupGaussians): number {
  return group.classes[0].mean.length;
}

/** KL(N(m1, S1) ‖ N(m2, S2)) in nats. */
export function gaussianKl(p: Gaussian, q: Gaussian): number {
  const d = p.mean.length;
  const { inverse: qInv, logDet: qLogDet } = inverseAndLogDet(q.cov, d, 'KL divergence');
  const diff = p.mean.map((m, i) => q.mean[i] - m);
  return 0.5 * (trace(matmul(qInv, p.cov, d), d) + quadForm(diff, qInv, diff, d) - d + qLogDet - logDet(p.cov, d, 'KL divergence'));
}

/** KL between the joint laws of (X, Y) within one group: Σ_i p_i [log(p_i/q_i) + KL(P_i ‖ Q_i)]. */
export function groupKl(p: GroupGaussians, q: GroupGaussians): number {
  let kl = 0;
  p.priors.forEach((pi, i) => {
    if (pi === 0) return;
    kl += pi * (Math.log(pi / q.priors[i]) + gaussianKl(p.classes[i], q.classes[i]));
  });
  return kl;
}

/** Checks that a group's parameters describe Gaussians: priors summing to 1, finite means, same dimension. */
export function validateGroup(group: GroupGaussians, where: string, nClasses?: number): void {
  const k = group.priors.length;
  if (k < 2 || group.classes.length !== k) throw new FairkitError(`needs at least two classes with one prior and one Gaussian each (got ${k} priors, ${group.classes.length} Gaussians)`, { where });
  if (nClasses !== undefined && k !== nClasses) throw new FairkitError(`has ${k} classes where the other group has ${nClasses}`, { where });
  const sum = group.priors.reduce((a, b) => a + b, 0);
  if (group.priors.some((q) => !(q > 0)) || Math.abs(sum - 1) > 1e-9) throw new FairkitError(`class priors must be positive and sum to 1, got [${group.priors.join(', ')}]`, { where });
  const d = group.classes[0].mean.length;
  group.classes.forEach((c, i) => {
    if (c.mean.length !== d || c.cov.length !== d * d) throw new FairkitError(`class ${i} has a mean of length ${c.mean.length} and a covariance of ${c.cov.length} entries, expected ${d} and ${d * d}`, { where });
    if (![...c.mean, ...c.cov].every(Number.isFinite)) throw new FairkitError(`class ${i} has a non-finite mean or covariance entry`, { where });
  });
}

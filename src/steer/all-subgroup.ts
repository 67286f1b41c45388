import { Matrix, solve } from 'ml-matrix';
import { FairkitError } from '../errors.js';
import { fromUnivariate, groupKl, validateGroup, type UnivariateGroup } from './gaussian.js';

export interface AllSubgroupSteering {
  gamma: number;
  shift: number;
  /** Ideal parameters of [steered group, reference group]; both get the reference group's class priors. */
  targets: [UnivariateGroup, UnivariateGroup];
  /** Σ_a P(A=a)·KL(target_a ‖ original_a) over (X, Y), in nats. */
  kl: number;
}

/**
 * The all-subgroup intervention (Prop. 4.3; non-convex), univariate: every (class, group) Gaussian may move, under
 * σ̃_i,steered = γ·σ̃_i,ref and μ̃_i,steered = γ·μ̃_i,ref + c, which keeps the ideal conditions. For each γ the inner
 * problem has a closed form (each σ̃_i,ref from a scalar equation, the means and c from one linear least-squares
 * system), so the outer problem is a 1-D search over γ: a log-spaced grid, refined by golden-section search around
 * the best grid point. The weights P(A=a)·q̃_ia with q̃ the reference priors are this project's reading [guess].
 */
export function allSubgroup(steered: UnivariateGroup, reference: UnivariateGroup, steeredShare: number): AllSubgroupSteering {
  validateGroup(fromUnivariate(reference), 'reference group');
  validateGroup(fromUnivariate(steered), 'steered group', reference.priors.length);
  if (!(steeredShare > 0 && steeredShare < 1)) throw new FairkitError(`the steered group's share P(A) must lie strictly between 0 and 1, got ${steeredShare}`, { where: 'allSubgroup' });
  const share = [steeredShare, 1 - steeredShare];
  const objective = (gamma: number) => {
    const targets = innerOptimum(steered, reference, share, gamma);
    return { targets, kl: share[0] * groupKl(fromUnivariate(targets[0]), fromUnivariate(steered)) + share[1] * groupKl(fromUnivariate(targets[1]), fromUnivariate(reference)) };
  };
  const grid = Array.from({ length: 241 }, (_, t) => Math.exp(-6 + (12 * t) / 240));
  let best = 0;
  const values = grid.map((g) => objective(g).kl);
  values.forEach((v, t) => { if (v < values[best]) best = t; });
  // Golden-section search on log γ between the grid neighbours of the best point.
  let lo = Math.log(grid[Math.max(0, best - 1)]);
  let hi = Math.log(grid[Math.min(grid.length - 1, best + 1)]);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let iter = 0; iter < 100 && hi - lo > 1e-12; iter++) {
    const x1 = hi - phi * (hi - lo);
    const x2 = lo + phi * (hi - lo);
    if (objective(Math.exp(x1)).kl < objective(Math.exp(x2)).kl) hi = x2;
    else lo = x1;
  }
  const gamma = Math.exp((lo + hi) / 2);
  const { targets, kl } = objective(gamma);
  return { gamma, shift: targets[0].means[0] - gamma * targets[1].means[0], targets, kl };
}

function innerOptimum(steered: UnivariateGroup, reference: UnivariateGroup, share: number[], gamma: number): [UnivariateGroup, UnivariateGroup] {
  const k = reference.priors.length;
  const w0 = reference.priors.map((q) => share[0] * q);
  const w1 = reference.priors.map((q) => share[1] * q);
  // d/ds [w1·KL(N(·, s²)‖N(·, σ1²)) + w0·KL(N(·, γ²s²)‖N(·, σ0²))] = 0.
  const sds = reference.sds.map((s1, i) => Math.sqrt((w1[i] + w0[i]) / (w1[i] / (s1 * s1) + (w0[i] * gamma * gamma) / steered.sds[i] ** 2)));
  // Means m_i (reference) and shift c minimise Σ_i A_i(m_i − μ_i1)² + B_i(γm_i + c − μ_i0)²: normal equations.
  const A = reference.sds.map((s, i) => w1[i] / (s * s));
  const B = steered.sds.map((s, i) => w0[i] / (s * s));
  const M = Matrix.zeros(k + 1, k + 1);
  const rhs = Matrix.zeros(k + 1, 1);
  for (let i = 0; i < k; i++) {
    M.set(i, i, A[i] + B[i] * gamma * gamma);
    M.set(i, k, B[i] * gamma);
    M.set(k, i, B[i] * gamma);
    M.set(k, k, M.get(k, k) + B[i]);
    rhs.set(i, 0, A[i] * reference.means[i] + B[i] * gamma * steered.means[i]);
    rhs.set(k, 0, rhs.get(k, 0) + B[i] * steered.means[i]);
  }
  const x = solve(M, rhs).getColumn(0);
  const means = x.slice(0, k);
  const c = x[k];
  return [
    { priors: [...reference.priors], means: means.map((m) => gamma * m + c), sds: sds.map((s) => gamma * s) },
    { priors: [...reference.priors], means, sds },
  ];
}

import { FairkitError } from '../errors.js';
import { inverse, matmul, matvec, quadForm, solveSpd, trace } from './linalg.js';
import { dimOf, groupKl, validateGroup, type Gaussian, type GroupGaussians } from './gaussian.js';

/** Which KL the nearest ideal distribution minimises: forward KL(D̃ ‖ D) (the default) or reverse KL(D ‖ D̃). */
export type KlDirection = 'forward' | 'reverse';

export interface AffirmativeAction {
  /** Scale γ of the target N(γ·μ_i,ref + c, γ²·Σ_i,ref). */
  gamma: number;
  /** Shift c (length d). */
  shift: Float64Array;
  /** The ideal parameters of the steered group (priors equal to the reference group's). */
  target: GroupGaussians;
  /** KL(target ‖ original) (forward) or KL(original ‖ target) (reverse), over (X, Y) within the group, in nats. */
  kl: number;
  direction: KlDirection;
}

/**
 * The affirmative-action intervention (methods.md §4 (a), (v)): the steered group's class conditionals become an
 * affine image of the reference group's, N(γ·μ_i,ref + c, γ²·Σ_i,ref), with the reference group's class priors. Such a
 * family satisfies the three sufficient conditions of an ideal distribution, and γ, c minimising the KL are in
 * closed form. Univariate, this is Cor. 4.2's solution ((γ*, c*) of the spec). Multivariate, the scale is a scalar: a
 * matrix scale M keeps condition 1 only when (MΣMᵀ)^{1/2} = MΣ^{1/2} (§4 (v), "Multivariate caution"), which a scalar
 * always does; the optimum over this family is then again a positive root of a quadratic.
 *
 * Both directions minimise Σ_i w_i [α²·t_i/2 + ½‖α·x_i + β − y_i‖²_{P_i}] − d·W·log α over α > 0, β ∈ R^d:
 * forward with α = γ, β = c, x = μ_ref, y = μ_steered, P_i = Σ_i,steered⁻¹, w = reference priors; reverse with
 * α = 1/γ, β = −c/γ, x = μ_steered, y = μ_ref, P_i = Σ_i,ref⁻¹, w = the steered group's own priors.
 */
export function affirmativeAction(steered: GroupGaussians, reference: GroupGaussians, direction: KlDirection = 'forward'): AffirmativeAction {
  validateGroup(reference, 'reference group');
  validateGroup(steered, 'steered group', reference.priors.length);
  const d = dimOf(reference);
  if (dimOf(steered) !== d) throw new FairkitError(`the steered group has ${dimOf(steered)} features, the reference group ${d}`, { where: 'affirmativeAction' });
  return affirmativeActionWith(steered, reference, direction, klPrecisions(steered, reference, direction));
}

/**
 * The inverse covariances the KL of `direction` weighs the means with: the steered group's (forward) or the
 * reference group's (reverse). Both solvers need them; idealMoments computes them once for both.
 */
export function klPrecisions(steered: GroupGaussians, reference: GroupGaussians, direction: KlDirection): Float64Array[] {
  const forward = direction === 'forward';
  return (forward ? steered : reference).classes.map((c, i) => inverse(c.cov, dimOf(reference), `${forward ? 'steered' : 'reference'} group, class ${i}`));
}

/** affirmativeAction on validated groups, with klPrecisions given. */
export function affirmativeActionWith(steered: GroupGaussians, reference: GroupGaussians, direction: KlDirection, precisions: Float64Array[]): AffirmativeAction {
  const d = dimOf(reference);
  const forward = direction === 'forward';
  const weights = forward ? reference.priors : steered.priors;
  const xs = (forward ? reference : steered).classes.map((c) => c.mean);
  const ys = (forward ? steered : reference).classes.map((c) => c.mean);
  const others = (forward ? reference : steered).classes.map((c) => c.cov);
  const { alpha, beta } = solveScaleShift(weights, xs, ys, precisions, others, d);
  const gamma = forward ? alpha : 1 / alpha;
  const shift = forward ? beta : beta.map((b) => -b / alpha);
  const target = affineImage(reference, gamma, shift);
  const kl = forward ? groupKl(target, steered) : groupKl(steered, target);
  return { gamma, shift, target, kl, direction };
}

/** N(γ·μ_i + c, γ²·Σ_i) for every class, with the same priors. */
export function affineImage(group: GroupGaussians, gamma: number, shift: ArrayLike<number>): GroupGaussians {
  return {
    priors: [...group.priors],
    classes: group.classes.map((c): Gaussian => ({ mean: c.mean.map((m, j) => gamma * m + shift[j]), cov: c.cov.map((v) => gamma * gamma * v) })),
  };
}

/**
 * For fixed α the best β is the P-weighted least-squares shift β(α) = g − α·h; substituted, the objective is
 * ½Kα² − Sα − dW·log α + const, whose derivative vanishes at the positive root of Kα² − Sα − dW = 0.
 */
function solveScaleShift(weights: number[], xs: Float64Array[], ys: Float64Array[], precisions: Float64Array[], others: Float64Array[], d: number) {
  const H = new Float64Array(d * d);
  const Hy = new Float64Array(d);
  const Hx = new Float64Array(d);
  weights.forEach((w, i) => {
    for (let k = 0; k < d * d; k++) H[k] += w * precisions[i][k];
    const py = matvec(precisions[i], ys[i], d);
    const px = matvec(precisions[i], xs[i], d);
    for (let j = 0; j < d; j++) {
      Hy[j] += w * py[j];
      Hx[j] += w * px[j];
    }
  });
  const g = solveSpd(H, Hy, d, 'affirmative action');
  const h = solveSpd(H, Hx, d, 'affirmative action');
  let K = 0;
  let S = 0;
  let W = 0;
  weights.forEach((w, i) => {
    const a = xs[i].map((x, j) => x - h[j]);
    const b = ys[i].map((y, j) => y - g[j]);
    K += w * (trace(matmul(precisions[i], others[i], d), d) + quadForm(a, precisions[i], a, d));
    S += w * quadForm(a, precisions[i], b, d);
    W += w;
  });
  const alpha = (S + Math.sqrt(S * S + 4 * K * d * W)) / (2 * K);
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new FairkitError(`the KL-optimal scale is not a positive number (K = ${K}, S = ${S})`, { where: 'affirmative action' });
  return { alpha, beta: g.map((gj, j) => gj - alpha * h[j]) };
}

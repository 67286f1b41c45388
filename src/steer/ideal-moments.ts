import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { FairkitError } from '../errors.js';
import { checkIdealConditions } from './conditions.js';
import { dimOf, groupKl, validateGroup, type Gaussian, type GroupGaussians } from './gaussian.js';
import { affirmativeActionWith, klPrecisions, type KlDirection } from './ideal.js';
import { matmul, matvec, positiveDefiniteFunctions, sqrtm, symmetricEigen, toMatrix, fromMatrix, transpose } from './linalg.js';

export interface IdealMomentsOptions {
  /** Stop when the Newton decrement λ²/2 (the predicted decrease of the objective, nats) is at most this. */
  tolerance?: number;
  maxIterations?: number;
  /** Named in errors, e.g. "steered group sex=F". */
  where?: string;
}

export interface IdealMoments {
  /** The target is the affine image x ↦ M·x + c of the reference group's class conditionals: M (d×d, row-major). */
  matrix: Float64Array;
  shift: Float64Array;
  /** det(M)^{1/d}: the scale γ of the scalar family when M = γI. */
  gamma: number;
  target: GroupGaussians;
  kl: number;
  direction: KlDirection;
  /** KL of the scalar-γ family's optimum, the solver's starting point (kl ≤ scalarKl). */
  scalarKl: number;
  /** Free scales of the feasible set (1: only γI, which the scalar family already covers). */
  freeParameters: number;
  iterations: number;
  /** λ²/2 at the returned point. */
  decrement: number;
}

/**
 * The multivariate affirmative-action program over target moments (methods.md §4 (a), Thm 4.1): the steered group's
 * class conditionals become the KL-nearest (N(μ̃_i, Σ̃_i)) with the reference group's priors such that the three
 * sufficient conditions hold against the reference group.
 *
 * Feasible set. With A_i = Σ_i,ref^{1/2}, condition 2 for the pairs (0, j) forces Σ̃_j = MΣ_j,ref Mᵀ with
 * M = Σ̃_0^{1/2}A_0⁻¹, condition 1 then μ̃_j = Mμ_j,ref + c, and the remaining pairs hold when every M·A_i is symmetric
 * positive definite (generically, i.e. for a covariance ratio with distinct eigenvalues and standardised mean gaps with
 * no zero coordinate in its eigenbasis, also only then). For two classes that set is exactly M = Q·diag(e)·Q⁻¹,
 * e > 0, with Q = A_0^{1/2}V and VΛVᵀ = A_0^{-1/2}A_1A_0^{-1/2}: d free scales where the scalar family has one. Each
 * further class i forces e_k = e_l wherever (Q⁻¹A_iQ⁻ᵀ)_kl ≠ 0, so scales are tied by connected components.
 *
 * Objective. Forward KL(D̃ ‖ D), or reverse KL(D ‖ D̃) through the inverse map (which lies in the same set), is
 * Σ_i w_i[½tr(P_i M C_i Mᵀ) + ½‖Mx_i + c − y_i‖²_{P_i}] − W·log det M + const (roles as in ideal.ts): a convex
 * quadratic plus a log barrier in the free scales and c. It is minimised by damped Newton from the scalar family's
 * optimum, so the result never has a larger KL than that family.
 */
export function idealMoments(steered: GroupGaussians, reference: GroupGaussians, direction: KlDirection = 'forward', options: IdealMomentsOptions = {}): IdealMoments {
  const where = options.where ?? 'ideal moments';
  validateGroup(reference, `${where}, reference group`);
  validateGroup(steered, `${where}, steered group`, reference.priors.length);
  const d = dimOf(reference);
  if (dimOf(steered) !== d) throw new FairkitError(`the steered group has ${dimOf(steered)} features, the reference group ${d}`, { where });
  const precisions = klPrecisions(steered, reference, direction);
  const start = affirmativeActionWith(steered, reference, direction, precisions);
  const { Q, Qinv, component, nFree } = feasibleBasis(reference, where);
  const forward = direction === 'forward';
  const from = forward ? reference : steered;
  const to = forward ? steered : reference;
  const weights = forward ? reference.priors : steered.priors;
  // Everything in the coordinates of Q, where M is diagonal: x′ = Q⁻¹x, P′ = QᵀPQ, C′ = Q⁻¹CQ⁻ᵀ.
  const QinvT = transpose(Qinv, d);
  const classes = weights.map((w, i) => ({
    w,
    x: matvec(Qinv, from.classes[i].mean, d),
    y: matvec(Qinv, to.classes[i].mean, d),
    P: matmul(matmul(transpose(Q, d), precisions[i], d), Q, d),
    C: matmul(matmul(Qinv, from.classes[i].cov, d), QinvT, d),
  }));
  const W = weights.reduce((a, b) => a + b, 0);
  const n = nFree + d;
  // Quadratic part ½zᵀHz − bᵀz over z = (θ, c′), with the scales e_k = θ_component(k).
  const H = Matrix.zeros(n, n);
  const b = new Float64Array(n);
  for (const { w, x, y, P, C } of classes) {
    for (let k = 0; k < d; k++) {
      let py = 0;
      for (let l = 0; l < d; l++) {
        const pkl = w * P[k * d + l];
        py += pkl * y[l];
        const ee = pkl * (C[k * d + l] + x[k] * x[l]);
        H.set(component[k], component[l], H.get(component[k], component[l]) + ee);
        H.set(component[k], nFree + l, H.get(component[k], nFree + l) + pkl * x[k]);
        H.set(nFree + l, component[k], H.get(nFree + l, component[k]) + pkl * x[k]);
        H.set(nFree + k, nFree + l, H.get(nFree + k, nFree + l) + pkl);
      }
      b[component[k]] += x[k] * py;
      b[nFree + k] += py;
    }
  }
  // Rounding in the change of basis leaves H a hair off symmetric; Cholesky needs it exact.
  for (let r = 0; r < n; r++) for (let c = r + 1; c < n; c++) {
    const mid = (H.get(r, c) + H.get(c, r)) / 2;
    H.set(r, c, mid);
    H.set(c, r, mid);
  }
  const sizes = new Float64Array(nFree);
  component.forEach((c) => (sizes[c] += 1));
  const objective = (z: Float64Array) => {
    const Hz = H.mmul(Matrix.columnVector(Array.from(z))).getColumn(0);
    let f = 0;
    for (let t = 0; t < n; t++) f += 0.5 * z[t] * Hz[t] - b[t] * z[t];
    for (let c = 0; c < nFree; c++) f -= W * sizes[c] * Math.log(z[c]);
    return { f, Hz };
  };

  // Start: the scalar family's optimum, as a map from `from` to `to` (reverse: the inverse of the target map).
  const alpha = forward ? start.gamma : 1 / start.gamma;
  const beta0 = forward ? start.shift : start.shift.map((s) => -s / start.gamma);
  const z = new Float64Array(n);
  z.fill(alpha, 0, nFree);
  z.set(matvec(Qinv, beta0, d), nFree);
  const tolerance = options.tolerance ?? 1e-12;
  const maxIterations = options.maxIterations ?? 100;
  let current = objective(z);
  let decrement = Infinity;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const gradient = new Float64Array(n);
    const hessian = H.clone();
    for (let t = 0; t < n; t++) gradient[t] = current.Hz[t] - b[t];
    for (let c = 0; c < nFree; c++) {
      gradient[c] -= (W * sizes[c]) / z[c];
      hessian.set(c, c, hessian.get(c, c) + (W * sizes[c]) / (z[c] * z[c]));
    }
    const cholesky = new CholeskyDecomposition(hessian);
    if (!cholesky.isPositiveDefinite()) throw new FairkitError(`the Newton system is not positive definite at iteration ${iterations}`, { where, fix: 'Add shrinkage to the covariances' });
    const step = cholesky.solve(Matrix.columnVector(Array.from(gradient)).neg()).getColumn(0);
    decrement = -step.reduce((s, v, t) => s + v * gradient[t], 0) / 2;
    if (!Number.isFinite(decrement)) throw new FairkitError(`the Newton decrement is ${decrement} at iteration ${iterations}`, { where });
    if (decrement <= tolerance) break;
    // Backtracking: stay inside e > 0, then require an Armijo decrease.
    let t = 1;
    while (step.slice(0, nFree).some((s, c) => z[c] + t * s <= 0)) t /= 2;
    let next: Float64Array;
    let trial: ReturnType<typeof objective>;
    for (;;) {
      next = z.map((v, i) => v + t * step[i]);
      trial = objective(next);
      if (trial.f <= current.f - 0.5 * t * decrement) break;
      t /= 2;
      if (t < 1e-14) throw new FairkitError(`the line search stalled at iteration ${iterations} (Newton decrement λ²/2 = ${decrement.toExponential(3)}, objective ${current.f})`, { where, fix: 'Add shrinkage to the covariances or loosen the tolerance' });
    }
    z.set(next);
    current = trial;
  }
  if (decrement > tolerance) throw new FairkitError(`did not converge in ${maxIterations} Newton iterations: decrement λ²/2 = ${decrement.toExponential(3)} > ${tolerance}`, { where });

  // The target map from the reference: forward the solved map itself, reverse its inverse.
  const scales = Array.from(component, (c) => (forward ? z[c] : 1 / z[c]));
  const solvedShift = matvec(Q, z.subarray(nFree), d);
  const matrix = fromMatrix(toMatrix(Q, d).mulRowVector(scales).mmul(toMatrix(Qinv, d)));
  const shift = forward ? solvedShift : matvec(matrix, solvedShift, d).map((v) => -v);
  const target: GroupGaussians = {
    priors: [...reference.priors],
    classes: reference.classes.map((c): Gaussian => ({
      mean: matvec(matrix, c.mean, d).map((v, j) => v + shift[j]),
      cov: matmul(matmul(matrix, c.cov, d), transpose(matrix, d), d),
    })),
  };
  const check = checkIdealConditions([target, reference], 1e-6 * Math.max(1, ...reference.classes.flatMap((c) => Array.from(c.mean, Math.abs))));
  if (!check.ideal) throw new FairkitError(`the solved target misses the ideal conditions: gaps ${JSON.stringify(check.gaps)}`, { where });
  const kl = forward ? groupKl(target, steered) : groupKl(steered, target);
  const gamma = Math.exp(scales.reduce((s, e) => s + Math.log(e), 0) / d);
  return { matrix, shift, gamma, target, kl, direction, scalarKl: start.kl, freeParameters: nFree, iterations, decrement };
}

/**
 * Q, Q⁻¹ and the tying of the scales of the feasible set M = Q·diag(e)·Q⁻¹ (see idealMoments). Σ_0,ref is decomposed
 * once for A_0^{±1/2} = Σ_0^{±1/4}.
 */
function feasibleBasis(reference: GroupGaussians, where: string) {
  const d = dimOf(reference);
  const [rootRoot, invRootRoot] = positiveDefiniteFunctions(reference.classes[0].cov, d, [(l) => l ** 0.25, (l) => l ** -0.25], `${where}, reference class 0`);
  const roots = reference.classes.map((c, i) => (i === 0 ? null : sqrtm(c.cov, d, `${where}, reference class ${i}`)));
  const ratio = matmul(matmul(invRootRoot, roots[1]!, d), invRootRoot, d);
  const V = fromMatrix(symmetricEigen(ratio, d).vectors);
  const Q = matmul(rootRoot, V, d);
  const Qinv = matmul(transpose(V, d), invRootRoot, d);
  // Union–find over the d scales: class i ≥ 2 ties e_k and e_l where (Q⁻¹A_iQ⁻ᵀ)_kl is not zero.
  const parent = Array.from({ length: d }, (_, k) => k);
  const find = (k: number): number => (parent[k] === k ? k : (parent[k] = find(parent[k])));
  roots.slice(2).forEach((root) => {
    const G = matmul(matmul(Qinv, root!, d), transpose(Qinv, d), d);
    const scale = Math.max(...Array.from(G, Math.abs));
    for (let k = 0; k < d; k++) for (let l = k + 1; l < d; l++) if (Math.abs(G[k * d + l]) > 1e-9 * scale) parent[find(k)] = find(l);
  });
  const ids = new Map<number, number>();
  const component = Array.from({ length: d }, (_, k) => {
    const r = find(k);
    if (!ids.has(r)) ids.set(r, ids.size);
    return ids.get(r)!;
  });
  return { Q, Qinv, component, nFree: ids.size };
}

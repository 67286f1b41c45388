import { FairkitError } from '../errors.js';
import { addScaledIdentity, identity, matmul, matvec, positiveDefiniteFunctions, sqrtm, symmetricEigen, trace } from './linalg.js';
import type { Gaussian } from './gaussian.js';

/** x ↦ targetMean + matrix·(x − sourceMean), the form of every steering map here (matrix d×d, row-major). */
export interface AffineMap {
  matrix: Float64Array;
  sourceMean: Float64Array;
  targetMean: Float64Array;
}

export function applyAffine(map: AffineMap, x: ArrayLike<number>): Float64Array {
  const d = map.sourceMean.length;
  const centred = Float64Array.from({ length: d }, (_, j) => x[j] - map.sourceMean[j]);
  const moved = matvec(map.matrix, centred, d);
  return moved.map((v, j) => v + map.targetMean[j]);
}

/**
 * The Gaussian optimal-transport (Bures) map from N(μ_s, C_s) to N(μ_t, C_t), as MiMiC's reference code computes it:
 * A = C_s^{-1/2}(C_s^{1/2} C_t C_s^{1/2})^{1/2} C_s^{-1/2}. `ridge` is added to both covariances first (MiMiC: 1e-5).
 */
export function gaussianOtMap(source: Gaussian, target: Gaussian, ridge = 1e-5): AffineMap {
  const d = source.mean.length;
  const cs = addScaledIdentity(source.cov, d, ridge);
  const ct = addScaledIdentity(target.cov, d, ridge);
  const [root, invRoot] = positiveDefiniteFunctions(cs, d, [Math.sqrt, (l) => 1 / Math.sqrt(l)], 'optimal transport, source covariance');
  const middle = sqrtm(matmul(matmul(root, ct, d), root, d), d, 'optimal transport');
  return { matrix: matmul(matmul(invRoot, middle, d), invRoot, d), sourceMean: Float64Array.from(source.mean), targetMean: Float64Array.from(target.mean) };
}

/** Mean matching: x ↦ x + μ_t − μ_s. */
export function meanMatchingMap(sourceMean: ArrayLike<number>, targetMean: ArrayLike<number>): AffineMap {
  return { matrix: identity(sourceMean.length), sourceMean: Float64Array.from(sourceMean), targetMean: Float64Array.from(targetMean) };
}

export interface LeaceOptions {
  /** Optimal linear shrinkage of Σ_xx (the reference default); without it, the Bessel-corrected covariance. */
  shrinkage?: boolean;
  /** Singular values of W·Σ_xz at or below this are dropped (reference: 0.01). */
  svdTolerance?: number;
}

/**
 * LEACE (Belrose et al. 2023) as EleutherAI's concept-erasure computes it (methods.md §4 (v)): x′ = x − P(x − μ_x)
 * with P = W⁺uuᵀW, W the whitening of Σ_xx and u the left singular vectors of W·Σ_xz. After it, no linear function of
 * x′ predicts the concept better than a constant: the cross-covariance of x′ and z is zero. `concept` is n×k row-major
 * (a binary group is one 0/1 column, a k-valued one k one-hot columns).
 */
export function fitLeace(rows: ArrayLike<number>, d: number, concept: ArrayLike<number>, k: number, options: LeaceOptions = {}): AffineMap {
  const n = rows.length / d;
  if (!Number.isInteger(n) || concept.length !== n * k) throw new FairkitError(`expected ${d} features and ${k} concept columns per row, got ${rows.length} and ${concept.length} values`, { where: 'LEACE' });
  if (n < 2) throw new FairkitError(`needs at least 2 rows, got ${n}`, { where: 'LEACE' });
  const meanX = new Float64Array(d);
  const meanZ = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) meanX[j] += rows[i * d + j] / n;
    for (let j = 0; j < k; j++) meanZ[j] += concept[i * k + j] / n;
  }
  const scatter = new Float64Array(d * d);
  const crossScatter = new Float64Array(d * k);
  const xc = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) xc[j] = rows[i * d + j] - meanX[j];
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) scatter[a * d + b] += xc[a] * xc[b];
      for (let b = 0; b < k; b++) crossScatter[a * k + b] += xc[a] * (concept[i * k + b] - meanZ[b]);
    }
  }
  const sigmaXX = options.shrinkage ?? true ? optimalLinearShrinkage(scatter.map((v) => v / n), d, n) : scatter.map((v) => v / (n - 1));
  const sigmaXZ = crossScatter.map((v) => v / (n - 1));
  const { values, vectors } = symmetricEigen(sigmaXX, d);
  const largest = Math.max(...values);
  // torch.linalg.pinv's threshold, as the reference uses.
  const keep = values.map((l) => l > largest * d * Number.EPSILON);
  const diagonalFunction = (f: (l: number) => number) => {
    const out = new Float64Array(d * d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
      let s = 0;
      for (let t = 0; t < d; t++) if (keep[t]) s += vectors.get(a, t) * f(Math.max(values[t], 0)) * vectors.get(b, t);
      out[a * d + b] = s;
    }
    return out;
  };
  const W = diagonalFunction((l) => 1 / Math.sqrt(l));
  const Winv = diagonalFunction(Math.sqrt);
  const u = leftSingularBasis(W, sigmaXZ, d, k, options.svdTolerance ?? 0.01);
  // Oblique projection P = W⁺uuᵀW; the map keeps I − P.
  const uut = new Float64Array(d * d);
  for (const col of u) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) uut[a * d + b] += col[a] * col[b];
  // The reference's trace constraint (blend toward the orthogonal projection when tr(PΣPᵀ) > tr Σ) never binds in a
  // batch fit: with the same Σ whitening and measuring, tr(PΣPᵀ) = tr Σ − ‖Σ^{1/2}u‖², so it is left out.
  const erased = matmul(matmul(Winv, uut, d), W, d);
  const kept = identity(d).map((v, t) => v - erased[t]);
  return { matrix: kept, sourceMean: meanX, targetMean: Float64Array.from(meanX) };
}

/** Left singular vectors of W·Σ_xz (d×k) with singular value above `tolerance`, from the eigenvectors of M·Mᵀ. */
function leftSingularBasis(W: Float64Array, sigmaXZ: Float64Array, d: number, k: number, tolerance: number): Float64Array[] {
  const M = new Float64Array(d * k);
  for (let a = 0; a < d; a++) for (let b = 0; b < k; b++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += W[a * d + t] * sigmaXZ[t * k + b];
    M[a * k + b] = s;
  }
  const MMt = new Float64Array(d * d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += M[a * k + t] * M[b * k + t];
    MMt[a * d + b] = s;
  }
  const { values, vectors } = symmetricEigen(MMt, d);
  const basis: Float64Array[] = [];
  values.forEach((l, t) => {
    if (Math.sqrt(Math.max(l, 0)) > tolerance) basis.push(Float64Array.from({ length: d }, (_, a) => vectors.get(a, t)));
  });
  return basis;
}

/**
 * The concept-erasure package's optimal linear shrinkage of S_n toward tr(S_n)/p·I (Frobenius-optimal as p, n → ∞;
 * arXiv 1308.2608): α·S_n + β·tr(S_n)/p·I.
 */
export function optimalLinearShrinkage(Sn: Float64Array, p: number, n: number): Float64Array {
  const traceS = trace(Sn, p);
  const sigma0NormSq = (traceS * traceS) / p;
  const sNormSq = Sn.reduce((s, v) => s + v * v, 0);
  const eps = Number.EPSILON;
  const top = (traceS * traceS * sigma0NormSq) / n;
  const bottom = sNormSq * sigma0NormSq - sigma0NormSq * sigma0NormSq;
  const alpha = 1 - (top + eps) / (bottom + eps);
  const beta = ((1 - alpha) * (sigma0NormSq + eps)) / (sigma0NormSq + eps);
  return addScaledIdentity(Sn.map((v) => alpha * v), p, (beta * traceS) / p);
}

import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { FairkitError } from '../errors.js';

/**
 * Dense d×d matrices as row-major Float64Arrays, and the few operations steering needs. Eigendecompositions come
 * from ml-matrix (a well-kept package), not from a hand-written solver.
 */
export type Square = Float64Array;

export function toMatrix(a: ArrayLike<number>, d: number): Matrix {
  const m = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m.set(i, j, a[i * d + j]);
  return m;
}

export function fromMatrix(m: Matrix): Square {
  const d = m.rows;
  const out = new Float64Array(d * m.columns);
  for (let i = 0; i < d; i++) for (let j = 0; j < m.columns; j++) out[i * m.columns + j] = m.get(i, j);
  return out;
}

/** V·diag(f(λ))·Vᵀ for a symmetric matrix (symmetrised first, so rounding cannot make it non-symmetric). */
export function symmetricFunction(a: ArrayLike<number>, d: number, f: (lambda: number) => number): Square {
  const m = toMatrix(a, d);
  const sym = m.add(m.transpose()).div(2);
  const eig = new EigenvalueDecomposition(sym, { assumeSymmetric: true });
  const v = eig.eigenvectorMatrix;
  const values = eig.realEigenvalues.map(f);
  return fromMatrix(v.mmul(Matrix.diag(values)).mmul(v.transpose()));
}

/**
 * Several functions of one symmetric matrix from a single eigendecomposition (each is O(d³), so a caller needing, say,
 * Σ^{1/2} and Σ^{-1/2} should not decompose Σ twice). Every eigenvalue must be positive.
 */
export function positiveDefiniteFunctions(a: ArrayLike<number>, d: number, fs: ((lambda: number) => number)[], where: string): Square[] {
  const check = positive(where);
  const { values, vectors } = symmetricEigen(a, d);
  values.forEach(check);
  const vt = vectors.transpose();
  return fs.map((f) => fromMatrix(vectors.mmul(Matrix.diag(values.map(f))).mmul(vt)));
}

export function symmetricEigen(a: ArrayLike<number>, d: number): { values: number[]; vectors: Matrix } {
  const m = toMatrix(a, d);
  const eig = new EigenvalueDecomposition(m.add(m.transpose()).div(2), { assumeSymmetric: true });
  return { values: eig.realEigenvalues, vectors: eig.eigenvectorMatrix };
}

function positive(where: string) {
  return (lambda: number) => {
    if (!(lambda > 0)) throw new FairkitError(`a covariance matrix is not positive definite (eigenvalue ${lambda})`, { where, fix: 'Add shrinkage or drop constant or collinear features' });
    return lambda;
  };
}

export function sqrtm(a: ArrayLike<number>, d: number, where = 'sqrtm'): Square {
  const check = positive(where);
  return symmetricFunction(a, d, (l) => Math.sqrt(check(l)));
}

export function inverse(a: ArrayLike<number>, d: number, where = 'inverse'): Square {
  const check = positive(where);
  return symmetricFunction(a, d, (l) => 1 / check(l));
}

/** A⁻¹ and log det A from one eigendecomposition. */
export function inverseAndLogDet(a: ArrayLike<number>, d: number, where = 'inverse'): { inverse: Square; logDet: number } {
  const check = positive(where);
  const { values, vectors } = symmetricEigen(a, d);
  const logDet = values.reduce((sum, l) => sum + Math.log(check(l)), 0);
  return { inverse: fromMatrix(vectors.mmul(Matrix.diag(values.map((l) => 1 / l))).mmul(vectors.transpose())), logDet };
}

export function logDet(a: ArrayLike<number>, d: number, where = 'logDet'): number {
  const check = positive(where);
  return symmetricEigen(a, d).values.reduce((sum, l) => sum + Math.log(check(l)), 0);
}

export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, d: number): Square {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) {
    const aik = a[i * d + k];
    if (aik === 0) continue;
    for (let j = 0; j < d; j++) out[i * d + j] += aik * b[k * d + j];
  }
  return out;
}

export function matvec(a: ArrayLike<number>, x: ArrayLike<number>, d: number): Float64Array {
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += a[i * d + j] * x[j];
    out[i] = s;
  }
  return out;
}

export function transpose(a: ArrayLike<number>, d: number): Square {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[j * d + i] = a[i * d + j];
  return out;
}

export function trace(a: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += a[i * d + i];
  return s;
}

export function identity(d: number, scale = 1): Square {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) out[i * d + i] = scale;
  return out;
}

export function addScaledIdentity(a: ArrayLike<number>, d: number, kappa: number): Square {
  const out = Float64Array.from(a);
  for (let i = 0; i < d; i++) out[i * d + i] += kappa;
  return out;
}

/** xᵀ·A·y. */
export function quadForm(x: ArrayLike<number>, a: ArrayLike<number>, y: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s += x[i] * a[i * d + j] * y[j];
  return s;
}

/** Solves A·x = b for a symmetric positive definite A. */
export function solveSpd(a: ArrayLike<number>, b: ArrayLike<number>, d: number, where = 'solve'): Float64Array {
  return matvec(inverse(a, d, where), b, d);
}

import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { FairkitError } from '../errors.js';

/**
 * A small classifier of the group from the features, for rows whose group is unknown at test time (MiMiC predicts
 * it the same way). It is L2-regularised logistic regression as scikit-learn's LogisticRegression(C) fits it, on
 * standardised features: minimise ½‖W‖² + C·Σ_rows cross-entropy, intercepts unpenalised; two groups: one
 * coefficient vector (the logit of groups[1] against groups[0]); more: multinomial, one vector per group. Fitted by
 * Newton's method (the problem is small and convex), with the linear solves from ml-matrix.
 */
export interface GroupClassifier {
  groups: string[];
  /** Standardisation of the features: (x − mean) / scale (scale 1 for a constant feature). */
  featureMean: number[];
  featureScale: number[];
  /** Row-major, one row of `features` coefficients per logit (1 logit for two groups, else one per group). */
  weights: number[];
  intercepts: number[];
  /** Inverse regularisation strength, as scikit-learn's C. */
  c: number;
  /** Share of the training rows whose group it predicts right. */
  trainingAccuracy: number;
}

export interface GroupClassifierOptions {
  /** Inverse regularisation strength (default 1, scikit-learn's default). */
  c?: number;
  /** Newton iterations allowed (default 100). */
  maxIterations?: number;
}

/** Fits the classifier on n·d row-major features with a group id (0 … groupNames.length − 1) per row. */
export function fitGroupClassifier(rows: Float64Array, d: number, groups: ArrayLike<number>, groupNames: string[], options: GroupClassifierOptions = {}): GroupClassifier {
  const c = options.c ?? 1;
  if (!(c > 0 && Number.isFinite(c))) throw new FairkitError(`C must be a finite number > 0, got ${c}`, { where: 'group classifier' });
  const n = rows.length / d;
  const k = groupNames.length;
  if (k < 2) throw new FairkitError(`the group classifier needs at least two groups, found ${k}`, { where: 'group classifier' });
  const { mean, scale } = standardisation(rows, d);
  const x = standardise(rows, d, mean, scale);
  const logits = k === 2 ? 1 : k;
  const width = d + 1; // coefficients, then the intercept
  const m = logits * width;
  let theta = new Float64Array(m);
  const objective = (t: Float64Array) => {
    let loss = 0;
    for (let i = 0; i < n; i++) loss -= Math.log(Math.max(probabilities(t, x, i, d, k)[groups[i]], Number.MIN_VALUE));
    let penalty = 0;
    for (let a = 0; a < logits; a++) for (let j = 0; j < d; j++) penalty += t[a * width + j] ** 2;
    return 0.5 * penalty + c * loss;
  };
  let value = objective(theta);
  const maxIterations = options.maxIterations ?? 100;
  for (let iteration = 0; ; iteration++) {
    if (iteration === maxIterations) throw new FairkitError(`the group classifier did not converge in ${maxIterations} Newton steps (are the groups separable by the features?)`, { where: 'group classifier', fix: 'Lower its C (stronger regularisation)' });
    const gradient = new Float64Array(m);
    const hessian = new Float64Array(m * m);
    const free = (a: number) => (k === 2 ? 1 : a); // the group whose logit is parameter block a
    for (let i = 0; i < n; i++) {
      const p = probabilities(theta, x, i, d, k);
      const xi = (j: number) => (j < d ? x[i * d + j] : 1);
      for (let a = 0; a < logits; a++) {
        const residual = p[free(a)] - (groups[i] === free(a) ? 1 : 0);
        for (let j = 0; j < width; j++) gradient[a * width + j] += c * residual * xi(j);
        for (let b = 0; b < logits; b++) {
          const curvature = c * p[free(a)] * ((a === b ? 1 : 0) - p[free(b)]);
          if (curvature === 0) continue;
          for (let j = 0; j < width; j++) {
            const row = (a * width + j) * m + b * width;
            const v = curvature * xi(j);
            for (let l = 0; l < width; l++) hessian[row + l] += v * xi(l);
          }
        }
      }
    }
    for (let a = 0; a < logits; a++) {
      for (let j = 0; j < d; j++) {
        gradient[a * width + j] += theta[a * width + j];
        hessian[(a * width + j) * m + a * width + j] += 1;
      }
      // Multinomial intercepts are defined up to a common shift; a vanishing ridge picks one (probabilities do not change).
      hessian[(a * width + d) * m + a * width + d] += 1e-10 * c * n;
    }
    // p_a(δ_ab − p_b) and p_b(δ_ba − p_a) differ by rounding: symmetrise (ml-matrix's Cholesky checks symmetry exactly).
    const cholesky = new CholeskyDecomposition(new Matrix(Array.from({ length: m }, (_, r) => Array.from({ length: m }, (__, s) => (hessian[r * m + s] + hessian[s * m + r]) / 2))));
    if (!cholesky.isPositiveDefinite()) throw new FairkitError('the group classifier\'s Hessian is not positive definite', { where: 'group classifier', fix: 'Lower its C (stronger regularisation)' });
    const step = cholesky.solve(Matrix.columnVector(Array.from(gradient))).getColumn(0);
    const decrease = step.reduce((s, v, i) => s + v * gradient[i], 0);
    if (decrease / 2 <= 1e-12 * (1 + Math.abs(value))) break;
    // Backtracking (Armijo) on the Newton direction.
    let t = 1;
    let next = theta.map((v, i) => v - step[i]);
    let nextValue = objective(next);
    while (nextValue > value - 1e-4 * t * decrease && t > 1e-10) {
      t /= 2;
      next = theta.map((v, i) => v - t * step[i]);
      nextValue = objective(next);
    }
    theta = next;
    value = nextValue;
  }
  const classifier: GroupClassifier = {
    groups: [...groupNames],
    featureMean: Array.from(mean),
    featureScale: Array.from(scale),
    weights: Array.from({ length: logits * d }, (_, i) => theta[Math.floor(i / d) * width + (i % d)]),
    intercepts: Array.from({ length: logits }, (_, a) => theta[a * width + d]),
    c,
    trainingAccuracy: 0,
  };
  let right = 0;
  for (let i = 0; i < n; i++) if (argmax(groupProbabilities(classifier, rows.subarray(i * d, (i + 1) * d))) === groups[i]) right++;
  classifier.trainingAccuracy = right / n;
  return classifier;
}

/** The probability of each group (in `groups` order) for one row of raw (unstandardised) features. */
export function groupProbabilities(classifier: GroupClassifier, row: ArrayLike<number>): Float64Array {
  const d = classifier.featureMean.length;
  if (row.length !== d) throw new FairkitError(`a row has ${row.length} features, the group classifier ${d}`, { where: 'group classifier' });
  const z = Float64Array.from({ length: d }, (_, j) => (row[j] - classifier.featureMean[j]) / classifier.featureScale[j]);
  const logits = classifier.intercepts.map((b, a) => b + z.reduce((s, v, j) => s + v * classifier.weights[a * d + j], 0));
  return softmax(classifier.groups.length === 2 ? [0, logits[0]] : logits);
}

/** The most probable group's name for one row of raw features. */
export function predictGroup(classifier: GroupClassifier, row: ArrayLike<number>): string {
  return classifier.groups[argmax(groupProbabilities(classifier, row))];
}

function probabilities(theta: Float64Array, x: Float64Array, i: number, d: number, k: number): Float64Array {
  const width = d + 1;
  const logit = (a: number) => {
    let s = theta[a * width + d];
    for (let j = 0; j < d; j++) s += theta[a * width + j] * x[i * d + j];
    return s;
  };
  return softmax(k === 2 ? [0, logit(0)] : Array.from({ length: k }, (_, a) => logit(a)));
}

function softmax(logits: number[]): Float64Array {
  const top = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return Float64Array.from(e, (v) => v / sum);
}

function argmax(p: Float64Array): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
}

function standardisation(rows: Float64Array, d: number): { mean: Float64Array; scale: Float64Array } {
  const n = rows.length / d;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += rows[i * d + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) scale[j] += (rows[i * d + j] - mean[j]) ** 2 / n;
  // Population standard deviation, as scikit-learn's StandardScaler; a constant feature (its variance at rounding
  // level) keeps scale 1.
  for (let j = 0; j < d; j++) scale[j] = scale[j] > (1e-12 * Math.max(1, Math.abs(mean[j]))) ** 2 ? Math.sqrt(scale[j]) : 1;
  return { mean, scale };
}

function standardise(rows: Float64Array, d: number, mean: Float64Array, scale: Float64Array): Float64Array {
  return rows.map((v, i) => (v - mean[i % d]) / scale[i % d]);
}

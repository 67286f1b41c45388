/** The SciPy reference cases of scripts/fixtures/flayer_projection.py, and checks shared by the F-Layer tests. */
import * as tf from '@tensorflow/tfjs';
import fixtureJson from './fixtures/flayer_projection.json' with { type: 'json' };
import type { FairSetSpec } from './constraints.js';

export interface ProjectionCase {
  name: string;
  kind: 'ecp' | 'eer';
  r: number[];
  epsilon: number;
  nGroups?: number;
  attributes: { groups: number[]; nGroups: number }[];
  targets?: number[];
  box?: { lower: number; upper: number };
  rows: number[][];
  rhs: number[];
  rowNames: string[];
  y: number[];
  multipliers: number[];
  active: number[];
  boxUpper: number[];
  boxLower: number[];
  boxMultipliers: number[];
}

// Imported (not read) so that tsc copies the fixture next to the compiled test.
export const cases = (fixtureJson as unknown as { cases: ProjectionCase[] }).cases;

export function caseNamed(name: string): ProjectionCase {
  const c = cases.find((x) => x.name === name);
  if (!c) throw new Error(`no fixture case ${name}`);
  return c;
}

export function specOf(c: ProjectionCase): FairSetSpec {
  const attributes = c.attributes.map((a) => ({ groups: Int32Array.from(a.groups), nGroups: a.nGroups }));
  return {
    epsilon: c.epsilon,
    ...(c.kind === 'ecp' ? { ecp: attributes } : { eer: { attributes, targets: Float64Array.from(c.targets!) } }),
    ...(c.box ? { box: c.box } : {}),
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/**
 * KKT of y against the case's constraint rows (written out by the Python script, not by fairkit): feasibility, and
 * stationarity plus complementary slackness with the reference multipliers, r − y = Σ ν_k a_k (+ box terms), ν_k > 0
 * only on rows active at y. Returns the largest residual of each.
 */
export function kktResiduals(c: ProjectionCase, y: ArrayLike<number>): { violation: number; stationarity: number; slackness: number } {
  const n = c.r.length;
  let violation = 0;
  let slackness = 0;
  const pull = c.r.map((v, i) => v - y[i]);
  c.rows.forEach((a, k) => {
    let ay = 0;
    for (let i = 0; i < n; i++) ay += a[i] * y[i];
    violation = Math.max(violation, ay - c.rhs[k]);
    slackness = Math.max(slackness, Math.abs(c.multipliers[k] * (c.rhs[k] - ay)));
    for (let i = 0; i < n; i++) pull[i] -= c.multipliers[k] * a[i];
  });
  if (c.box) {
    for (let i = 0; i < n; i++) violation = Math.max(violation, c.box.lower - y[i], y[i] - c.box.upper);
    c.boxUpper.forEach((i, j) => (pull[i] -= c.boxMultipliers[j]));
    c.boxLower.forEach((i, j) => (pull[i] += c.boxMultipliers[c.boxUpper.length + j]));
  }
  return { violation, stationarity: Math.max(...pull.map(Math.abs)), slackness };
}

/** The gradient of Σ_i w_i f(r)_i at r, by autodiff of a tensor projection. */
export function tensorGradient(f: (r: tf.Tensor) => tf.Tensor, r: number[], w: number[]): Float32Array {
  return tf.tidy(() => {
    const weights = tf.tensor1d(w);
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(f(x).reshape([-1]), weights)));
    return grad(tf.tensor1d(r)).dataSync() as Float32Array;
  });
}

/** The same gradient by central differences of a float64 host projection (valid away from kinks). */
export function finiteDifferenceGradient(f: (r: Float64Array) => Float64Array, r: number[], w: number[], h = 1e-6): Float64Array {
  const g = new Float64Array(r.length);
  const value = (x: Float64Array) => f(x).reduce((s, v, i) => s + v * w[i], 0);
  for (let i = 0; i < r.length; i++) {
    const plus = Float64Array.from(r);
    const minus = Float64Array.from(r);
    plus[i] += h;
    minus[i] -= h;
    g[i] = (value(plus) - value(minus)) / (2 * h);
  }
  return g;
}

/** A seeded vector in [−1, 1) (the tests' random linear functional). */
export function seededVector(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

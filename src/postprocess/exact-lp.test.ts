import assert from 'node:assert/strict';
import { test } from 'node:test';
import { solveExactLp } from './exact-lp.js';
import { fromNumber, rational, toNumber, type Rational } from './rational.js';

const q = (n: number, d = 1): Rational => rational(BigInt(n), BigInt(d));
const lp = (c: number[], A: number[][], b: number[]) => ({ c: c.map((v) => q(v)), A: A.map((row) => row.map((v) => q(v))), b: b.map((v) => q(v)) });

test('a textbook LP: min −x − y, x + 2y + s1 = 4, 3x + y + s2 = 6 has its optimum −14/5 at (8/5, 6/5), exactly', () => {
  const result = solveExactLp(lp([-1, -1, 0, 0], [[1, 2, 1, 0], [3, 1, 0, 1]], [4, 6]));
  assert.equal(result.status, 'optimal');
  if (result.status !== 'optimal') return;
  assert.deepEqual(result.objective, q(-14, 5));
  assert.deepEqual(result.x.slice(0, 2), [q(8, 5), q(6, 5)]);
});

test('infeasible, unbounded, a negative right-hand side and a redundant row are told apart', () => {
  assert.equal(solveExactLp(lp([1, 1], [[1, 1], [1, 1]], [1, 2])).status, 'infeasible');
  assert.equal(solveExactLp(lp([-1, 0], [[1, -1]], [1])).status, 'unbounded');
  // −x − y = −3 (negated internally), the same row twice: min x has x = 0, y = 3.
  const result = solveExactLp(lp([1, 0], [[-1, -1], [-1, -1]], [-3, -3]));
  assert.equal(result.status, 'optimal');
  if (result.status === 'optimal') assert.deepEqual(result.x, [q(0), q(3)]);
});

test('a degenerate LP that cycles under the largest-coefficient rule (Beale) terminates with Bland\'s rule', () => {
  // Beale's example: min −3/4 x4 + 20 x5 − 1/2 x6 + 6 x7 (slacks x1..x3), optimum −5/4 (scipy's linprog agrees).
  const c = [0, 0, 0, q(-3, 4), q(20), q(-1, 2), q(6)].map((v) => (typeof v === 'number' ? q(v) : v));
  const A = [
    [1, 0, 0, q(1, 4), q(-8), q(-1), q(9)],
    [0, 1, 0, q(1, 2), q(-12), q(-1, 2), q(3)],
    [0, 0, 1, q(0), q(0), q(1), q(0)],
  ].map((row) => row.map((v) => (typeof v === 'number' ? q(v) : v)));
  const result = solveExactLp({ c, A, b: [q(0), q(0), q(1)] });
  assert.equal(result.status, 'optimal');
  if (result.status === 'optimal') assert.deepEqual(result.objective, q(-5, 4));
});

test('doubles convert to rationals and back exactly', () => {
  for (const value of [0.1, -2.5, 1e-300, 5e-324, 1e300, 123456789.125, 3]) assert.equal(toNumber(fromNumber(value)), value);
  assert.deepEqual(fromNumber(0.375), q(3, 8));
});

/**
 * The exact solvers of the penalised projection against methods that share none of their reasoning: golden-section
 * search on the raw objective (binary, single-group step), coordinate ascent on the pairwise dual (K groups), and
 * random feasible perturbations (box).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Rng } from '../rng.js';
import { boxedAgainstFixed, boxedBinary } from './boxed-dual.js';
import { anchoredShift, binaryTargets, groupShiftObjective, groupTargets, penalisedStep } from './group-shifts.js';

/** Minimum of a convex function of one variable on [lo, hi] by golden-section search (to |interval| < 1e-12). */
function goldenMin(f: (x: number) => number, lo: number, hi: number): { x: number; value: number } {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  while (b - a > 1e-12 * (1 + Math.abs(a) + Math.abs(b))) {
    const c = b - ratio * (b - a);
    const d = a + ratio * (b - a);
    if (f(c) <= f(d)) b = d;
    else a = c;
  }
  const x = (a + b) / 2;
  return { x, value: f(x) };
}

/** The pairwise dual max over antisymmetric z ∈ [−1,1] by exact coordinate ascent; returns t(z). Independent of groupTargets. */
function dualCoordinateAscent(means: number[], counts: number[], mu: number, sweeps: number): number[] {
  const K = means.length;
  const z = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const t = [...means];
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let a = 0; a < K; a++) {
      for (let b = a + 1; b < K; b++) {
        // t_g = m_g − μ Σ_c z_gc / (2 n_g); the dual derivative in z_ab is μ(t_a − t_b), its curvature −μ²(1/2n_a + 1/2n_b).
        const step = (t[a] - t[b]) / (mu * (1 / (2 * counts[a]) + 1 / (2 * counts[b])));
        const next = Math.min(1, Math.max(-1, z[a][b] + step));
        const delta = next - z[a][b];
        z[a][b] = next;
        z[b][a] = -next;
        t[a] -= (mu * delta) / (2 * counts[a]);
        t[b] += (mu * delta) / (2 * counts[b]);
      }
    }
  }
  return t;
}

describe('binary closed form', () => {
  test('matches a nested golden-section minimisation of n0·s0² + n1·s1² + μ|d + s0 − s1| on 300 random cases', () => {
    const rng = new Rng(1);
    let worst = 0;
    let active = 0;
    for (let c = 0; c < 300; c++) {
      const n0 = 1 + rng.int(12);
      const n1 = 1 + rng.int(12);
      const m0 = 3 * rng.normal();
      const m1 = 3 * rng.normal();
      const mu = rng.uniform() < 0.2 ? 0 : Math.exp(3 * rng.normal());
      const cost = (s0: number, s1: number) => n0 * s0 * s0 + n1 * s1 * s1 + mu * Math.abs(m0 + s0 - m1 - s1);
      // The inner minimum over s1 is convex in s0 (partial minimisation of a jointly convex function).
      const span = Math.abs(m0 - m1) + 1;
      const inner = (s0: number) => goldenMin((s1) => cost(s0, s1), -span, span).value;
      const s0 = goldenMin(inner, -span, span).x;
      const s1 = goldenMin((x) => cost(s0, x), -span, span).x;
      const [t0, t1] = binaryTargets(m0, m1, n0, n1, mu);
      assert.ok(cost(t0 - m0, t1 - m1) <= cost(s0, s1) + 1e-9 * (1 + cost(s0, s1)), `case ${c}: closed form is not minimal`);
      worst = Math.max(worst, Math.abs(t0 - m0 - s0), Math.abs(t1 - m1 - s1));
      if (Math.abs(t0 - t1) > 0 && Math.abs(t0 - m0) > 1e-9) active++;
    }
    assert.ok(worst < 1e-5, `largest shift difference ${worst}`);
    assert.ok(active > 30, `only ${active} cases where the threshold shrinks the gap without closing it`);
  });

  test('closes the gap exactly once μ·k/2 ≥ |d|, and leaves it alone at μ = 0', () => {
    // n0 = n1 = 2: k = 1, so the gap d = 2 shrinks by μ/2.
    assert.deepEqual(binaryTargets(1, -1, 2, 2, 2), [0.5, -0.5]);
    assert.deepEqual(binaryTargets(1, -1, 2, 2, 4), [0, 0]);
    assert.deepEqual(binaryTargets(1, -1, 2, 2, 40), [0, 0]);
    assert.deepEqual(binaryTargets(1, -1, 2, 2, 0), [1, -1]);
    // Unequal sizes: the larger group moves less (shifts in proportion to the other group's size).
    assert.deepEqual(binaryTargets(3, 0, 1, 2, 100), [1, 1]);
  });
});

describe('K-group solver', () => {
  test('matches the pairwise dual solved by coordinate ascent (K = 3…6, 150 random cases, unequal sizes)', () => {
    const rng = new Rng(2);
    let worst = 0;
    for (let c = 0; c < 150; c++) {
      const K = 3 + rng.int(4);
      const means = Array.from({ length: K }, () => 2 * rng.normal());
      const counts = Array.from({ length: K }, () => 1 + rng.int(rng.uniform() < 0.5 ? 3 : 40));
      const mu = Math.exp(2 * rng.normal());
      const exact = groupTargets(means, counts, mu);
      const reference = dualCoordinateAscent(means, counts, mu, 4000);
      const exactValue = groupShiftObjective(exact, means, counts, mu);
      const referenceValue = groupShiftObjective(reference, means, counts, mu);
      assert.ok(exactValue <= referenceValue + 1e-10 * (1 + referenceValue), `case ${c}: ${exactValue} > ${referenceValue}`);
      for (let g = 0; g < K; g++) worst = Math.max(worst, Math.abs(exact[g] - reference[g]));
    }
    assert.ok(worst < 1e-6, `largest target difference ${worst}`);
  });

  test('no random perturbation lowers the objective (K = 4…8, 100 cases × 50 directions)', () => {
    const rng = new Rng(3);
    for (let c = 0; c < 100; c++) {
      const K = 4 + rng.int(5);
      const means = Array.from({ length: K }, () => rng.normal());
      const counts = Array.from({ length: K }, () => 1 + rng.int(20));
      const mu = Math.exp(2 * rng.normal());
      const t = groupTargets(means, counts, mu);
      const value = groupShiftObjective(t, means, counts, mu);
      for (let p = 0; p < 50; p++) {
        const scale = 10 ** -(1 + rng.int(6));
        const moved = Array.from(t, (x) => x + scale * rng.normal());
        assert.ok(groupShiftObjective(moved, means, counts, mu) >= value - 1e-12 * (1 + value), `case ${c} perturbation ${p}`);
      }
    }
  });

  test('agrees with the binary closed form at K = 2', () => {
    const rng = new Rng(4);
    for (let c = 0; c < 100; c++) {
      const means = [rng.normal(), rng.normal()];
      const counts = [1 + rng.int(9), 1 + rng.int(9)];
      const mu = Math.exp(rng.normal());
      const [t0, t1] = binaryTargets(means[0], means[1], counts[0], counts[1], mu);
      const t = groupTargets(means, counts, mu);
      assert.ok(Math.abs(t[0] - t0) < 1e-12 && Math.abs(t[1] - t1) < 1e-12, `case ${c}: [${t}] vs [${t0}, ${t1}]`);
    }
  });

  test('a small group overtakes a large one just above it (the order of the means is not kept)', () => {
    // One row at 0, 1000 rows at 0.01, five groups of 1000 at 10: μ = 0.5 pulls the single row up to ≈ 1.
    const means = [0, 0.01, 10, 10.1, 10.2, 10.3, 10.4];
    const counts = [1, 1000, 1000, 1000, 1000, 1000, 1000];
    const t = groupTargets(means, counts, 0.5);
    assert.ok(t[0] > t[1] + 0.5, `t0 = ${t[0]}, t1 = ${t[1]}`);
    const reference = dualCoordinateAscent(means, counts, 0.5, 4000);
    for (let g = 0; g < means.length; g++) assert.ok(Math.abs(t[g] - reference[g]) < 1e-9, `group ${g}`);
  });
});

describe('single-group shift (anchor and penalised step)', () => {
  test('the step matches golden-section minimisation of e² + λ·|e − w| (200 cases, λ = 0 included)', () => {
    const rng = new Rng(5);
    for (let c = 0; c < 200; c++) {
      const w = 3 * rng.normal();
      const lambda = rng.uniform() < 0.1 ? 0 : Math.exp(2 * rng.normal());
      const f = (e: number) => e ** 2 + lambda * Math.abs(e - w);
      const reference = goldenMin(f, -30, 30);
      const e = penalisedStep(w, lambda);
      assert.ok(f(e) <= reference.value + 1e-12 * (1 + reference.value), `case ${c}`);
      assert.ok(Math.abs(e - reference.x) < 1e-5, `case ${c}: ${e} vs ${reference.x}`);
    }
  });

  test('a batch at the group’s raw mean, shifted by anchor + correction, lands its group’s running mean at the band edge T ∓ (C/(C + n))·ε/2', () => {
    const rng = new Rng(6);
    for (let c = 0; c < 200; c++) {
      const count = 1 + rng.int(500);
      const rows = 1 + rng.int(16);
      const epsilon = 0.1 * rng.uniform();
      const state = { pooledMean: rng.normal(), rawMean: 2 * rng.normal(), adjustedMean: 2 * rng.normal(), count };
      const { anchor, correction } = anchoredShift(state, rows, epsilon);
      const deviation = state.pooledMean - state.adjustedMean;
      // The running mean after n rows at rawMean + anchor + correction, computed from sums (not from the formula).
      const after = (count * state.adjustedMean + rows * (state.rawMean + anchor + correction)) / (count + rows);
      const expected = Math.abs(deviation) <= epsilon / 2 ? (count * state.adjustedMean + rows * state.pooledMean) / (count + rows) : state.pooledMean - (Math.sign(deviation) * count * epsilon) / (2 * (count + rows));
      assert.ok(Math.abs(after - expected) < 1e-9 * (1 + Math.abs(expected)), `case ${c}: ${after} vs ${expected}`);
      if (Math.abs(deviation) <= epsilon / 2) assert.equal(correction, 0, 'inside the band: the anchor alone');
    }
  });
});

describe('boxed projection (1-D dual by bisection)', () => {
  const objective = (y: Float64Array, r: number[], penalty: (y: Float64Array) => number) => y.reduce((sum, v, i) => sum + (v - r[i]) ** 2, 0) + penalty(y);

  test('equals the closed form when the box is not active', () => {
    const rng = new Rng(6);
    for (let c = 0; c < 50; c++) {
      const r = Array.from({ length: 2 + rng.int(10) }, () => rng.normal());
      const side = Int8Array.from(r, (_, i) => (i < 1 ? 0 : i < 2 ? 1 : rng.int(2)));
      const n0 = side.filter((s) => s === 0).length;
      const n1 = r.length - n0;
      const mu = Math.exp(rng.normal());
      const y = boxedBinary(r, side, n0, n1, mu, [-1e6, 1e6]);
      const m0 = r.reduce((s, v, i) => s + (side[i] === 0 ? v : 0), 0) / n0;
      const m1 = r.reduce((s, v, i) => s + (side[i] === 1 ? v : 0), 0) / n1;
      const [t0, t1] = binaryTargets(m0, m1, n0, n1, mu);
      y.forEach((v, i) => assert.ok(Math.abs(v - (r[i] + (side[i] === 0 ? t0 - m0 : t1 - m1))) < 1e-9, `case ${c} row ${i}`));
    }
  });

  test('no feasible perturbation lowers the objective when the box binds (200 cases × 40 directions)', () => {
    const rng = new Rng(7);
    let clipped = 0;
    for (let c = 0; c < 200; c++) {
      const box = [-1, 1] as const;
      const r = Array.from({ length: 2 + rng.int(10) }, () => 1.5 * rng.normal());
      const single = c % 2 === 1;
      const side = Int8Array.from(r, (_, i) => (i < 1 ? 0 : i < 2 ? 1 : rng.int(2)));
      const n0 = side.filter((s) => s === 0).length;
      const n1 = r.length - n0;
      const mu = Math.exp(rng.normal()) * r.length;
      const fixedMean = rng.normal();
      const mean = (y: Float64Array, keep: (i: number) => boolean, n: number) => y.reduce((s, v, i) => s + (keep(i) ? v : 0), 0) / n;
      const penalty = single ? (y: Float64Array) => mu * Math.abs(mean(y, () => true, y.length) - fixedMean) : (y: Float64Array) => mu * Math.abs(mean(y, (i) => side[i] === 0, n0) - mean(y, (i) => side[i] === 1, n1));
      const y = single ? boxedAgainstFixed(r, fixedMean, mu, box) : boxedBinary(r, side, n0, n1, mu, box);
      if (y.some((v) => v === -1 || v === 1)) clipped++;
      const value = objective(y, r, penalty);
      for (let p = 0; p < 40; p++) {
        const scale = 10 ** -(1 + rng.int(6));
        const moved = Float64Array.from(y, (v) => Math.min(1, Math.max(-1, v + scale * rng.normal())));
        assert.ok(objective(moved, r, penalty) >= value - 1e-10 * (1 + value), `case ${c} perturbation ${p}`);
      }
    }
    assert.ok(clipped > 100, `the box bound in only ${clipped} cases`);
  });
});

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { groupMixNormalize, type GroupMixOptions } from './group-mix-norm.js';
import { drawMixWeights } from './group-mix-norm-mixing.js';
import { referenceGroupMixNormalize } from './group-mix-norm-reference.test-helper.js';
import { relativeError } from './relative-error.test-helper.js';
import { withSharedSaves } from './shared-saves.js';

interface Case {
  name: string;
  shape: number[];
  nGroups: number;
  /** Group id of row i. */
  id: (i: number, rng: Rng) => number;
  perRow?: boolean;
  detachStats?: boolean;
  /** Mixing weights: drawn over the eligible groups unless given. */
  weights?: (eligible: boolean[]) => number[];
}

const CASES: Case[] = [
  { name: 'dense, two groups, one mix', shape: [400, 6], nGroups: 2, id: (_, rng) => (rng.uniform() < 0.7 ? 0 : 1) },
  // Group 2 is absent, group 3 has a single row (not eligible), some ids are unknown (−1, 7); weights sum to 0.8.
  {
    name: 'dense, an absent group, a one-row group, unknown ids, partial weights',
    shape: [300, 5],
    nGroups: 4,
    id: (i, rng) => (i === 17 ? 3 : i % 23 === 0 ? -1 : i % 29 === 0 ? 7 : rng.int(2)),
    weights: () => [0.5, 0.3, 0, 0],
  },
  { name: 'dense, one mix per row', shape: [120, 4], nGroups: 3, id: (_, rng) => rng.int(3), perRow: true },
  { name: 'channels last, one mix', shape: [20, 3, 2, 5], nGroups: 2, id: (_, rng) => rng.int(2) },
  { name: 'channels last, one mix per row', shape: [10, 2, 3, 4], nGroups: 3, id: (i) => i % 3, perRow: true },
  { name: 'statistics detached', shape: [200, 5], nGroups: 3, id: (_, rng) => rng.int(3), detachStats: true },
  { name: 'no eligible group: the whole batch\'s statistics', shape: [50, 3], nGroups: 2, id: (i) => (i === 0 ? 0 : -1), weights: () => [0, 0] },
];

/** Random features whose groups differ in mean and scale, γ near 1, β, and loss weights r (the loss is Σ r ⊙ y). */
function inputs(c: Case, seed: number) {
  const rng = new Rng(seed);
  const ids = Int32Array.from({ length: c.shape[0] }, (_, i) => c.id(i, rng));
  const perRow = c.shape.slice(1).reduce((a, b) => a * b, 1);
  const channels = c.shape[c.shape.length - 1];
  const x = Float32Array.from({ length: ids.length * perRow }, (_, k) => {
    const g = Math.max(0, ids[Math.floor(k / perRow)]) % 4;
    return rng.normal() * (1 + g) + 2 * g + 0.3 * (k % channels);
  });
  const eligible = Array.from({ length: c.nGroups }, (_, g) => ids.filter((id) => id === g).length >= 2);
  const weights = c.weights ? Float32Array.from(c.weights(eligible)) : drawMixWeights(eligible, 0.5, rng, c.perRow ? ids.length : 1, 'dirichlet');
  const gamma = Float32Array.from({ length: channels }, () => 1 + 0.3 * rng.normal());
  const beta = Float32Array.from({ length: channels }, () => rng.normal());
  const r = Float32Array.from(x, () => rng.normal());
  const r2 = Float32Array.from(x, () => rng.normal());
  const options: GroupMixOptions = { nGroups: c.nGroups, detachStats: c.detachStats ?? false };
  return { ids, x, weights, gamma, beta, r, r2, options };
}

/**
 * Float64 host forward pass: the pre-affine output z (so y = z·γ + β), and from it ∂γ = Σ r ⊙ z and ∂β = Σ r per
 * channel. Sums of hundreds of signed terms lose digits in float32: this shows which of the two float32
 * formulations sits closer to the exact value when they differ by about 1e-6.
 */
function float64Affine(c: Case, ids: Int32Array, x: Float32Array, weights: ArrayLike<number>, r: Float32Array): { gradGamma: number[]; gradBeta: number[] } {
  const channels = c.shape[c.shape.length - 1];
  const perRow = x.length / ids.length;
  const k = c.nGroups;
  const eligible = Array.from({ length: k }, (_, g) => ids.filter((id) => id === g).length >= 2);
  const slotOf = (row: number) => (ids[row] >= 0 && ids[row] < k && eligible[ids[row]] ? ids[row] : k);
  const gradGamma = new Array<number>(channels).fill(0);
  const gradBeta = new Array<number>(channels).fill(0);
  for (let ch = 0; ch < channels; ch++) {
    const sum = new Array<number>(k + 1).fill(0);
    const count = new Array<number>(k + 1).fill(0);
    const at = (row: number, p: number) => x[row * perRow + p * channels + ch];
    for (let row = 0; row < ids.length; row++) {
      for (let p = 0; p < perRow / channels; p++) {
        const v = at(row, p);
        sum[slotOf(row)] += v;
        count[slotOf(row)]++;
        if (slotOf(row) < k) {
          sum[k] += v;
          count[k]++;
        }
      }
    }
    const mean = sum.map((s, g) => (count[g] > 0 ? s / count[g] : 0));
    const squares = new Array<number>(k + 1).fill(0);
    for (let row = 0; row < ids.length; row++) {
      for (let p = 0; p < perRow / channels; p++) {
        const v = at(row, p);
        if (slotOf(row) < k) squares[slotOf(row)] += (v - mean[slotOf(row)]) ** 2;
        squares[k] += (v - mean[k]) ** 2;
      }
    }
    const std = squares.map((q, g) => Math.sqrt((count[g] > 0 ? q / count[g] : 0) + 1e-5));
    for (let row = 0; row < ids.length; row++) {
      const w = c.perRow ? Array.from({ length: k }, (_, g) => weights[row * k + g]) : Array.from({ length: k }, (_, g) => weights[g]);
      const rest = Math.max(0, 1 - w.reduce((a, b) => a + b, 0));
      const mixMean = w.reduce((a, wg, g) => a + wg * mean[g], rest * mean[k]);
      const mixStd = w.reduce((a, wg, g) => a + wg * std[g], rest * std[k]);
      for (let p = 0; p < perRow / channels; p++) {
        const s = slotOf(row);
        const z = ((at(row, p) - mean[s]) / std[s]) * mixStd + mixMean;
        const weight = r[row * perRow + p * channels + ch];
        gradGamma[ch] += weight * z;
        gradBeta[ch] += weight;
      }
    }
  }
  return { gradGamma, gradBeta };
}

describe('GroupMixNorm against the earlier formulation (TensorFlow.js autodiff)', () => {
  before(async () => {
    await initBackend();
  });

  CASES.forEach((c, index) => {
    test(`output, statistics, and gradients of x, γ and β agree to 1e-6 (${c.name})`, (t) => {
      const { ids, x, weights, gamma, beta, r, options } = inputs(c, 40 + index);
      const got = tf.tidy(() => {
        const [xs, g, b, rs] = [tf.tensor(x, c.shape), tf.tensor1d(gamma), tf.tensor1d(beta), tf.tensor(r, c.shape)];
        const fresh = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => groupMixNormalize(xi, ids, weights, options, { gamma: gi, beta: bi });
        const old = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
          const result = referenceGroupMixNormalize(xi, ids, weights, options);
          return { ...result, output: tf.add(tf.mul(result.output, gi), bi) };
        };
        // tf.grads records one tape: the new transform takes its hand-written gradient there.
        const gradients = (f: typeof fresh) => tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(f(xi, gi, bi).output, rs)))([xs, g, b]);
        const read = (f: typeof fresh) => {
          const result = f(xs, g, b);
          const statistics = [result.groupMean, result.groupVar, result.batchMean, result.batchVar, result.mixMean, result.mixStd].map((s) => s.dataSync());
          return { output: result.output.dataSync(), statistics, grads: gradients(f).map((d) => d.dataSync()) };
        };
        return { fresh: read(fresh), old: read(old) };
      });
      const errors: Record<string, number> = { output: relativeError(got.fresh.output, got.old.output) };
      ['groupMean', 'groupVar', 'batchMean', 'batchVar', 'mixMean', 'mixStd'].forEach((name, i) => {
        // A statistic that is zero throughout (e.g. an absent group's) must be exactly zero in both.
        const expected = got.old.statistics[i];
        errors[name] = expected.every((v) => v === 0) ? Math.max(...Array.from(got.fresh.statistics[i], Math.abs)) : relativeError(got.fresh.statistics[i], expected);
      });
      ['gradX', 'gradGamma', 'gradBeta'].forEach((name, i) => (errors[name] = relativeError(got.fresh.grads[i], got.old.grads[i])));
      const exact = float64Affine(c, ids, x, weights, r);
      const againstExact = {
        gradGamma: [relativeError(got.fresh.grads[1], exact.gradGamma), relativeError(got.old.grads[1], exact.gradGamma)],
        gradBeta: [relativeError(got.fresh.grads[2], exact.gradBeta), relativeError(got.old.grads[2], exact.gradBeta)],
      };
      const short = (v: number) => Number(v.toExponential(2));
      t.diagnostic(`new vs earlier: ${JSON.stringify(Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, short(v)])))}`);
      t.diagnostic(`new, earlier vs float64: ${JSON.stringify(Object.fromEntries(Object.entries(againstExact).map(([k, v]) => [k, v.map(short)])))}`);
      // ∂γ sums hundreds of signed terms: the two float32 formulations may differ by a little more than 1e-6 there,
      // so it is held to the float64 value instead, as closely as the earlier formulation.
      const { gradGamma, ...rest } = errors;
      for (const [what, error] of Object.entries(rest)) assert.ok(error < 1e-6, `${what}: relative error ${error}`);
      assert.ok(gradGamma < 2e-6, `gradGamma: relative error ${gradGamma}`);
      for (const [what, [fresh, old]] of Object.entries(againstExact)) assert.ok(fresh < Math.max(1e-6, 1.5 * old), `${what} against float64: ${fresh} (earlier formulation ${old})`);
    });
  });

  test('without a tape, the output is the one a recorded step computes', () => {
    const c = CASES[1];
    const { ids, x, weights, gamma, beta, options } = inputs(c, 41);
    tf.tidy(() => {
      const [xs, g, b] = [tf.tensor(x, c.shape), tf.tensor1d(gamma), tf.tensor1d(beta)];
      const plain = groupMixNormalize(xs, ids, weights, options, { gamma: g, beta: b }).output.dataSync();
      let recorded: Float32Array | undefined;
      tf.grad((xi: tf.Tensor) => {
        const out = groupMixNormalize(xi, ids, weights, options, { gamma: g, beta: b }).output;
        recorded = out.dataSync() as Float32Array;
        return tf.sum(out);
      })(xs);
      assert.deepEqual(Array.from(recorded!), Array.from(plain));
    });
  });

  test('a recorded step saves its tensors without copying them (no Identity kernel) and leaves no tensor behind', async () => {
    const c = CASES[0];
    const { ids, x, weights, gamma, beta, r, options } = inputs(c, 40);
    const [xs, g, b, rs] = [tf.tensor(x, c.shape), tf.tensor1d(gamma), tf.tensor1d(beta), tf.tensor(r, c.shape)];
    const step = () => tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(groupMixNormalize(xi, ids, weights, options, { gamma: gi, beta: bi }).output, rs)))([xs, g, b]);
    const expected = tf.tidy(() => step().map((d) => Array.from(d.dataSync())));
    const tensorsBefore = tf.memory().numTensors;
    let got: number[][] = [];
    // withSharedSaves keeps the loss's own kernels (Multiply, Sum) from copying what they save: any copy left is the op's.
    const profile = await tf.profile(() => {
      const grads = withSharedSaves(step);
      got = grads.map((d) => Array.from(d.dataSync()));
      tf.dispose(grads);
    });
    assert.equal(tf.memory().numTensors, tensorsBefore);
    assert.deepEqual(profile.kernels.filter((k) => k.name === 'Identity').map((k) => k.inputShapes), []);
    assert.deepEqual(got, expected);
    tf.dispose([xs, g, b, rs]);
  });

  for (const index of [0, 2, 3]) {
    test(`gradients of gradients (a tape inside a tape) agree to 1e-5 (${CASES[index].name})`, (t) => {
      const c = CASES[index];
      const { ids, x, weights, gamma, beta, r, r2, options } = inputs(c, 40 + index);
      const [fresh, old] = tf.tidy(() => {
        const [xs, g, b, rs, r2s] = [tf.tensor(x, c.shape), tf.tensor1d(gamma), tf.tensor1d(beta), tf.tensor(r, c.shape), tf.tensor(r2, c.shape)];
        const secondOrder = (f: (xi: tf.Tensor) => tf.Tensor) => {
          const inner = (xi: tf.Tensor) => tf.grad((z: tf.Tensor) => tf.sum(tf.mul(f(z), rs)))(xi);
          return tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(inner(xi), r2s)))(xs).dataSync();
        };
        return [
          secondOrder((xi) => groupMixNormalize(xi, ids, weights, options, { gamma: g, beta: b }).output),
          secondOrder((xi) => tf.add(tf.mul(referenceGroupMixNormalize(xi, ids, weights, options).output, g), b)),
        ];
      });
      const error = relativeError(fresh, old);
      t.diagnostic(`relative error ${error.toExponential(2)}`);
      assert.ok(error < 1e-5, `second-order gradient: relative error ${error}`);
    });
  }
});

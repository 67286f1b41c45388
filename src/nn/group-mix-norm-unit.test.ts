import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { countGroups, groupMixNormalize } from './group-mix-norm.js';
import { drawMixWeights } from './group-mix-norm-mixing.js';
import { GroupMixNormUnit, resolveSettings, STATE_NAMES, type GroupMixNormSettings, type StateName } from './group-mix-norm-unit.js';

const CHANNELS = 3;
/** Population of group g, channel c: N(MEANS[g][c], SDS[g][c]²); group 2 is rare. */
const MEANS = [[0, 1, -2], [3, -1, 0.5], [-1, 4, 2]];
const SDS = [[1, 2, 0.5], [0.5, 1, 3], [2, 0.3, 1]];
const SHARES = [0.6, 0.3, 0.1];

function sampleBatch(rng: Rng, rows: number): { x: Float32Array; ids: Int32Array } {
  const ids = Int32Array.from({ length: rows }, () => {
    const u = rng.uniform();
    return u < SHARES[0] ? 0 : u < SHARES[0] + SHARES[1] ? 1 : 2;
  });
  const x = Float32Array.from({ length: rows * CHANNELS }, (_, k) => {
    const g = ids[Math.floor(k / CHANNELS)];
    const c = k % CHANNELS;
    return MEANS[g][c] + SDS[g][c] * rng.normal();
  });
  return { x, ids };
}

function unit(settings: Partial<GroupMixNormSettings> = {}): GroupMixNormUnit {
  return new GroupMixNormUnit('gmn0', { nGroups: 3, channels: CHANNELS }, resolveSettings(settings, 'test'));
}

function train(target: GroupMixNormUnit, steps: number, rows: number, seed: number): void {
  const rng = new Rng(seed);
  for (let step = 0; step < steps; step++) {
    const { x, ids } = sampleBatch(rng, rows);
    tf.tidy(() => target.apply(tf.tensor2d(x, [rows, CHANNELS]), { training: true, groups: ids, rng }));
  }
}

const read = (u: GroupMixNormUnit, name: Parameters<GroupMixNormUnit['state']>[0]) => {
  const t = u.state(name);
  const values = Array.from(t.dataSync());
  t.dispose();
  return values;
};

describe('GroupMixNormUnit', () => {
  before(async () => {
    await initBackend();
  });

  test('the running statistics converge to the population statistics of each group and of all rows', () => {
    const target = unit({ momentum: 0.1 });
    train(target, 150, 500, 1);
    const groupMean = read(target, 'runningGroupMean');
    const groupVar = read(target, 'runningGroupVar');
    for (let g = 0; g < 3; g++) {
      for (let c = 0; c < CHANNELS; c++) {
        // Momentum 0.1 averages ≈ 19 batches: the error of a mean is ≈ sd / sqrt(19 · n_g) (n_g ≥ 50 rows here).
        const sd = SDS[g][c];
        assert.ok(Math.abs(groupMean[g * CHANNELS + c] - MEANS[g][c]) < 0.1 * sd, `group ${g} channel ${c} mean ${groupMean[g * CHANNELS + c]} vs ${MEANS[g][c]}`);
        assert.ok(Math.abs(groupVar[g * CHANNELS + c] / sd ** 2 - 1) < 0.1, `group ${g} channel ${c} variance ${groupVar[g * CHANNELS + c]} vs ${sd ** 2}`);
      }
    }
    // All rows: a mixture, mean Σ p_g μ_g and variance Σ p_g (σ_g² + μ_g²) − mean².
    const mean = read(target, 'runningMean');
    const variance = read(target, 'runningVar');
    for (let c = 0; c < CHANNELS; c++) {
      const mixtureMean = SHARES.reduce((s, p, g) => s + p * MEANS[g][c], 0);
      const mixtureVar = SHARES.reduce((s, p, g) => s + p * (SDS[g][c] ** 2 + MEANS[g][c] ** 2), 0) - mixtureMean ** 2;
      assert.ok(Math.abs(mean[c] - mixtureMean) < 0.05 * Math.sqrt(mixtureVar), `channel ${c} overall mean ${mean[c]} vs ${mixtureMean}`);
      assert.ok(Math.abs(variance[c] / mixtureVar - 1) < 0.05, `channel ${c} overall variance ${variance[c]} vs ${mixtureVar}`);
    }
    assert.deepEqual(read(target, 'groupUpdates'), [150, 150, 150]);
    target.dispose();
  });

  test('one update moves the running statistics by the momentum towards the batch statistics (variance unbiased)', () => {
    const target = unit({ momentum: 0.25 });
    const rows = 40;
    const { x, ids } = sampleBatch(new Rng(2), rows);
    tf.tidy(() => target.apply(tf.tensor2d(x, [rows, CHANNELS]), { training: true, groups: ids, rng: new Rng(3) }));
    const groupMean = read(target, 'runningGroupMean');
    const groupVar = read(target, 'runningGroupVar');
    for (let g = 0; g < 3; g++) {
      const members = Array.from(ids.keys()).filter((i) => ids[i] === g);
      if (members.length < 2) continue;
      for (let c = 0; c < CHANNELS; c++) {
        const values = members.map((i) => x[i * CHANNELS + c]);
        const m = values.reduce((a, b) => a + b) / values.length;
        const unbiased = values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1);
        assert.ok(Math.abs(groupMean[g * CHANNELS + c] - 0.25 * m) < 1e-5);
        assert.ok(Math.abs(groupVar[g * CHANNELS + c] - (0.75 + 0.25 * unbiased)) < 1e-4);
      }
    }
    target.dispose();
  });

  /**
   * The running statistics as tensor ops computed them before they moved to the host (group-mix-norm-unit.ts,
   * nextRunningState): old + rate·(batch − old) per tensor, the variances unbiased by n/(n−1).
   */
  function tensorRunningState(before: Record<StateName, number[]>, x: tf.Tensor, ids: Int32Array, settings: GroupMixNormSettings, seed: number, nGroups: number): Record<StateName, number[]> {
    return tf.tidy(() => {
      const rows = x.shape[0];
      const perRow = x.size / rows / x.shape[x.rank - 1];
      const counts = countGroups(ids, nGroups);
      const eligible = Array.from(counts, (n) => n >= settings.minGroupSize && n > 0);
      const mixes = settings.mixPer === 'row' ? rows : 1;
      const weights = drawMixWeights(eligible, settings.alpha, new Rng(seed), mixes, settings.multiGroupMix);
      const r = groupMixNormalize(x, ids, weights, { nGroups, eps: settings.eps, minGroupSize: settings.minGroupSize });
      const updated = eligible.map((ok, g) => ok && counts[g] * perRow >= 2);
      const overall = rows * perRow >= 2 ? settings.momentum : 0;
      const mixRate = updated.some(Boolean) ? overall : 0;
      const unbiasing = (n: number) => (n > 1 ? n / (n - 1) : 1);
      const rate = tf.tensor2d(updated.map((ok) => (ok ? settings.momentum : 0)), [nGroups, 1]);
      const old = (name: StateName, shape: number[]) => tf.tensor(before[name], shape);
      const towards = (o: tf.Tensor, batch: tf.Tensor, w: tf.Tensor | number) => Array.from(tf.add(o, tf.mul(w, tf.sub(batch, o))).dataSync());
      const c = x.shape[x.rank - 1];
      return {
        runningGroupMean: towards(old('runningGroupMean', [nGroups, c]), r.groupMean, rate),
        runningGroupVar: towards(old('runningGroupVar', [nGroups, c]), tf.mul(r.groupVar, tf.tensor2d(Array.from(counts, (n) => unbiasing(n * perRow)), [nGroups, 1])), rate),
        groupUpdates: Array.from(tf.add(old('groupUpdates', [nGroups]), tf.tensor1d(updated.map((ok) => (ok ? 1 : 0)))).dataSync()),
        runningMean: towards(old('runningMean', [c]), tf.reshape(r.batchMean, [-1]), overall),
        runningVar: towards(old('runningVar', [c]), tf.mul(tf.reshape(r.batchVar, [-1]), unbiasing(rows * perRow)), overall),
        runningMixMean: towards(old('runningMixMean', [c]), tf.mean(r.mixMean, 0), mixRate),
        runningMixStd: towards(old('runningMixStd', [c]), tf.mean(r.mixStd, 0), mixRate),
      };
    });
  }

  for (const [name, settings, shape, rareGroup] of [
    ['one mix per batch', { momentum: 0.1 }, [300, CHANNELS], false],
    ['one mix per row, a group with one row', { momentum: 0.3, mixPer: 'row' }, [120, CHANNELS], true],
    ['channels last, momentum 1', { momentum: 1 }, [50, 2, CHANNELS], false],
  ] as [string, Partial<GroupMixNormSettings>, number[], boolean][]) {
    test(`the running statistics (computed on the host) are bit for bit those of tensor ops (${name})`, () => {
      const target = unit({ alpha: 1, ...settings });
      const rng = new Rng(11);
      train(target, 3, 200, 10);
      for (let step = 0; step < 2; step++) {
        const rows = shape[0];
        const ids = Int32Array.from({ length: rows }, (_, i) => (rareGroup && i === 0 ? 2 : rareGroup ? i % 2 : rng.int(3)));
        const x = tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 3 * rng.normal() + 1), shape);
        const before = Object.fromEntries(STATE_NAMES.map((n) => [n, read(target, n)])) as Record<StateName, number[]>;
        const expected = tensorRunningState(before, x, ids, target.settings, 20 + step, 3);
        tf.tidy(() => target.apply(x, { training: true, groups: ids, rng: new Rng(20 + step) }));
        x.dispose();
        assert.ok(read(target, 'runningVar').some((v, i) => v !== before.runningVar[i]), 'the step moved the running statistics');
        for (const n of STATE_NAMES) {
          const got = read(target, n);
          got.forEach((v, i) => assert.ok(Object.is(v, expected[n][i]), `${n}[${i}]: ${v} against ${expected[n][i]} from tensor ops`));
        }
      }
      target.dispose();
    });
  }

  test('inference: a known group is normalised with its running statistics, an unseen or unknown one with the overall ones, then re-projected onto the equal-weight mix', () => {
    const target = new GroupMixNormUnit('gmn0', { nGroups: 4, channels: CHANNELS }, resolveSettings({ alpha: 1 }, 'test'));
    // Groups 0..2 are trained; group 3 never appears, so it counts as unseen.
    const rng = new Rng(4);
    for (let step = 0; step < 30; step++) {
      const { x, ids } = sampleBatch(rng, 200);
      tf.tidy(() => target.apply(tf.tensor2d(x, [200, CHANNELS]), { training: true, groups: ids, rng }));
    }
    const gamma = target.weights.find((w) => w.name === 'gmn0/gamma')!.variable;
    const beta = target.weights.find((w) => w.name === 'gmn0/beta')!.variable;
    gamma.assign(tf.tensor1d([1.5, 0.5, 2]));
    beta.assign(tf.tensor1d([0.1, -0.2, 0.3]));
    const groupMean = read(target, 'runningGroupMean');
    const groupSd = read(target, 'runningGroupVar').map((v) => Math.sqrt(v + 1e-5));
    const mean = read(target, 'runningMean');
    const sd = read(target, 'runningVar').map((v) => Math.sqrt(v + 1e-5));
    const targetMean = [0, 1, 2].map((c) => (groupMean[c] + groupMean[3 + c] + groupMean[6 + c]) / 3);
    const targetSd = [0, 1, 2].map((c) => (groupSd[c] + groupSd[3 + c] + groupSd[6 + c]) / 3);
    const x = Float32Array.from([1, 2, 3, -1, 0, 1, 2, 2, 2, 0.5, -3, 1, 4, 4, -4]);
    const ids = Int32Array.from([0, 2, 3, -1, 7]);
    const expected = (useGroups: boolean) =>
      Array.from(x, (v, k) => {
        const [i, c] = [Math.floor(k / CHANNELS), k % CHANNELS];
        const g = ids[i];
        const known = useGroups && g >= 0 && g < 3;
        const normalised = known ? (v - groupMean[g * CHANNELS + c]) / groupSd[g * CHANNELS + c] : (v - mean[c]) / sd[c];
        return [1.5, 0.5, 2][c] * (normalised * targetSd[c] + targetMean[c]) + [0.1, -0.2, 0.3][c];
      });
    const predict = (groups?: Int32Array) => tf.tidy(() => Array.from(target.apply(tf.tensor2d(x, [5, CHANNELS]), { training: false, groups }).dataSync()));
    const close = (a: number[], b: number[]) => a.every((v, k) => Math.abs(v - b[k]) < 1e-4 * Math.max(1, Math.abs(b[k])));
    assert.ok(close(predict(ids), expected(true)), 'groupRunning with group ids');
    assert.ok(close(predict(undefined), expected(false)), 'groupRunning without group ids falls back to the overall statistics');
    target.settings.inferenceMode = 'globalRunning';
    assert.ok(close(predict(ids), expected(false)), 'globalRunning ignores the group ids');
    target.dispose();
  });

  test("inference 'batch' uses the prediction batch's own group statistics", () => {
    const target = unit({ inferenceMode: 'batch', affine: false });
    train(target, 5, 100, 6);
    const { x, ids } = sampleBatch(new Rng(7), 300);
    const output = tf.tidy(() => target.apply(tf.tensor2d(x, [300, CHANNELS]), { training: false, groups: ids }).dataSync());
    // Each group's output mean then equals the target mean (the equal-weight mix of the running group means).
    const groupMean = read(target, 'runningGroupMean');
    for (let g = 0; g < 3; g++) {
      const members = Array.from(ids.keys()).filter((i) => ids[i] === g);
      for (let c = 0; c < CHANNELS; c++) {
        const m = members.reduce((s, i) => s + output[i * CHANNELS + c], 0) / members.length;
        assert.ok(Math.abs(m - (groupMean[c] + groupMean[3 + c] + groupMean[6 + c]) / 3) < 1e-4);
      }
    }
    target.dispose();
  });

  test("training without group ids uses the whole batch's statistics (the identity up to eps) and leaves the group statistics alone", () => {
    const target = unit();
    const { x } = sampleBatch(new Rng(8), 64);
    const output = tf.tidy(() => target.apply(tf.tensor2d(x, [64, CHANNELS]), { training: true, rng: new Rng(1) }).dataSync());
    // Re-projected onto the batch's own statistics with γ = 1, β = 0: the identity.
    assert.ok(output.every((v, k) => Math.abs(v - x[k]) < 1e-4));
    assert.deepEqual(read(target, 'groupUpdates'), [0, 0, 0]);
    assert.deepEqual(read(target, 'runningGroupMean'), new Array(9).fill(0));
    target.dispose();
  });

  test('bad settings raise a FairkitError naming the setting', () => {
    assert.throws(() => resolveSettings({ alpha: 0 }, 'here'), (e: unknown) => e instanceof FairkitError && /here: alpha must be > 0/.test(e.message));
    assert.throws(() => resolveSettings({ momentum: 1.5 }, 'here'), /momentum must be in \(0, 1\]/);
    assert.throws(() => resolveSettings({ inferenceMode: 'nope' as never }, 'here'), /inferenceMode must be one of groupRunning, globalRunning, batch/);
  });
});

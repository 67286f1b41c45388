import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../rng.js';
import { GroupLabelMoments } from './moments.js';

interface Data {
  n: number;
  dim: number;
  rows: Float64Array;
  groups: Int32Array;
  labels: Int32Array;
  weights: Float64Array;
}

/** Correlated features with a per-cell offset, so cells differ in mean and covariance. */
function makeData(n: number, dim: number, seed: number, offset = 0): Data {
  const rng = new Rng(seed);
  const rows = new Float64Array(n * dim);
  const groups = new Int32Array(n);
  const labels = new Int32Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    groups[i] = rng.int(3);
    labels[i] = rng.int(2);
    weights[i] = 0.25 + 2 * rng.uniform();
    const shared = rng.uniform();
    for (let j = 0; j < dim; j++) rows[i * dim + j] = offset + groups[i] + 2 * labels[i] * j + shared * (j + 1) + rng.uniform();
  }
  return { n, dim, rows, groups, labels, weights };
}

/** Direct two-pass float64 mean and population covariance of one cell. */
function twoPass(data: Data, g: number, y: number, weighted: boolean) {
  const { n, dim, rows } = data;
  const members = [...Array(n).keys()].filter((i) => data.groups[i] === g && data.labels[i] === y);
  const w = (i: number) => (weighted ? data.weights[i] : 1);
  const total = members.reduce((sum, i) => sum + w(i), 0);
  const mean = Array.from({ length: dim }, (_, j) => members.reduce((sum, i) => sum + w(i) * rows[i * dim + j], 0) / total);
  const cov = new Float64Array(dim * dim);
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b < dim; b++) {
      const s = members.reduce((sum, i) => sum + w(i) * (rows[i * dim + a] - mean[a]) * (rows[i * dim + b] - mean[b]), 0);
      cov[a * dim + b] = s / total;
    }
  }
  return { total, mean, cov, rows: members.length };
}

function assertNear(actual: ArrayLike<number> | null, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.ok(actual !== null, `${what} is null`);
  assert.equal(actual.length, expected.length, what);
  for (let k = 0; k < expected.length; k++) {
    const diff = Math.abs(actual[k] - expected[k]);
    assert.ok(diff <= tolerance * Math.max(1, Math.abs(expected[k])), `${what}[${k}]: ${actual[k]} vs ${expected[k]}`);
  }
}

function addAll(moments: GroupLabelMoments, data: Data, from: number, to: number, weighted: boolean): void {
  const { dim } = data;
  moments.add(
    data.rows.subarray(from * dim, to * dim),
    dim,
    data.groups.subarray(from, to),
    data.labels.subarray(from, to),
    weighted ? data.weights.subarray(from, to) : undefined,
  );
}

test('means and covariances per (group, label) equal a direct two-pass computation', () => {
  const data = makeData(600, 4, 11);
  for (const weighted of [false, true]) {
    const moments = new GroupLabelMoments({ nGroups: 3, dim: 4 });
    // In uneven batches, so that the parallel update is exercised inside add as well.
    for (const [from, to] of [[0, 1], [1, 37], [37, 400], [400, 600]]) addAll(moments, data, from, to, weighted);
    for (let g = 0; g < 3; g++) {
      for (let y = 0; y < 2; y++) {
        const expected = twoPass(data, g, y, weighted);
        assert.ok(expected.rows > 50, 'every cell has rows');
        assert.equal(moments.rowCount(g, y), expected.rows);
        assert.ok(Math.abs(moments.weight(g, y) - expected.total) <= 1e-12 * expected.total);
        assertNear(moments.mean(g, y), expected.mean, 1e-12, `mean ${g},${y}`);
        assertNear(moments.covariance(g, y), expected.cov, 1e-12, `population covariance ${g},${y}`);
        const sample = expected.cov.map((v) => (v * expected.total) / (expected.total - 1));
        assertNear(moments.covariance(g, y, 'sample'), sample, 1e-12, `sample covariance ${g},${y}`);
      }
    }
  }
});

test('an integer weight counts a row that many times (frequency weights)', () => {
  const data = makeData(200, 3, 5);
  const counts = Float64Array.from(data.weights, (w) => Math.round(w));
  const weighted = new GroupLabelMoments({ nGroups: 3, dim: 3 });
  weighted.add(data.rows, 3, data.groups, data.labels, counts);
  const repeated = new GroupLabelMoments({ nGroups: 3, dim: 3 });
  for (let i = 0; i < data.n; i++) {
    for (let r = 0; r < counts[i]; r++) repeated.add(data.rows.subarray(i * 3, i * 3 + 3), 3, [data.groups[i]], [data.labels[i]]);
  }
  for (let g = 0; g < 3; g++) {
    for (let y = 0; y < 2; y++) {
      assert.equal(weighted.weight(g, y), repeated.weight(g, y));
      assertNear(weighted.mean(g, y), repeated.mean(g, y)!, 1e-12, 'mean');
      assertNear(weighted.covariance(g, y, 'sample'), repeated.covariance(g, y, 'sample')!, 1e-12, 'sample covariance');
    }
  }
});

test('shards merged equal one pass to 1e-12', () => {
  const data = makeData(900, 5, 3);
  const onePass = new GroupLabelMoments({ nGroups: 3, dim: 5 });
  addAll(onePass, data, 0, 900, true);
  const cuts = [0, 10, 250, 251, 700, 900];
  const shards = cuts.slice(1).map((to, k) => {
    const shard = new GroupLabelMoments({ nGroups: 3, dim: 5 });
    addAll(shard, data, cuts[k], to, true);
    return shard;
  });
  const merged = shards.reduce((all, shard) => all.merge(shard), new GroupLabelMoments({ nGroups: 3, dim: 5 }));
  for (let g = 0; g < 3; g++) {
    for (let y = 0; y < 2; y++) {
      assert.equal(merged.rowCount(g, y), onePass.rowCount(g, y));
      assertNear([merged.weight(g, y)], [onePass.weight(g, y)], 1e-12, 'weight');
      assertNear(merged.mean(g, y), onePass.mean(g, y)!, 1e-12, 'mean');
      assertNear(merged.covariance(g, y), onePass.covariance(g, y)!, 1e-12, 'covariance');
    }
  }
});

test('stable when the mean is large against the spread (where Σx² − (Σx)²/n loses every digit)', () => {
  const data = makeData(400, 2, 8, 1e9);
  const moments = new GroupLabelMoments({ nGroups: 3, dim: 2 });
  for (let i = 0; i < data.n; i++) addAll(moments, data, i, i + 1, false);
  const expected = twoPass(data, 1, 0, false);
  assertNear(moments.covariance(1, 0), expected.cov, 1e-6, 'covariance at offset 1e9');
});

test('a JSON round trip gives identical moments, which merge as the originals', () => {
  const data = makeData(300, 3, 21);
  const a = new GroupLabelMoments({ nGroups: 3, dim: 3 });
  const b = new GroupLabelMoments({ nGroups: 3, dim: 3 });
  addAll(a, data, 0, 120, true);
  addAll(b, data, 120, 300, false);
  const viaJson = (m: GroupLabelMoments) => GroupLabelMoments.fromJSON(JSON.parse(JSON.stringify(m)));
  const aBack = viaJson(a);
  assert.deepEqual(aBack.toJSON(), a.toJSON());
  assert.equal(aBack.toJSON().format, 'fairkit-group-label-moments');
  const direct = GroupLabelMoments.fromJSON(a.toJSON()).merge(b);
  const roundTripped = aBack.merge(viaJson(b));
  assert.deepEqual(roundTripped.toJSON(), direct.toJSON());
  for (let g = 0; g < 3; g++) {
    for (let y = 0; y < 2; y++) assert.deepEqual(roundTripped.covariance(g, y, 'sample'), direct.covariance(g, y, 'sample'));
  }
});

test('empty cells are null, bad input is a FairkitError and leaves the moments unchanged', () => {
  const moments = new GroupLabelMoments({ nGroups: 2, dim: 2 });
  moments.add([1, 2, 3, 4], 2, [0, 0], [1, 1], [1, 0]);
  assert.deepEqual(moments.mean(0, 1), Float64Array.from([1, 2]));
  assert.equal(moments.covariance(0, 1, 'sample'), null, 'W = 1: no sample covariance');
  assert.deepEqual(moments.covariance(0, 1), new Float64Array(4));
  assert.equal(moments.mean(1, 0), null);
  assert.equal(moments.covariance(1, 0), null);
  const before = JSON.stringify(moments);
  const bad: [string, () => void][] = [
    ['dim is 3', () => moments.add([1, 2, 3], 3, [0], [0])],
    ['rows has 3 values', () => moments.add([1, 2, 3], 2, [0, 1], [0, 0])],
    ['groups[1] is 2', () => moments.add([1, 2, 3, 4], 2, [0, 2], [0, 0])],
    ['labels[0] is 2', () => moments.add([1, 2, 3, 4], 2, [0, 1], [2, 0])],
    ['weights[1] is -1', () => moments.add([1, 2, 3, 4], 2, [0, 1], [0, 0], [1, -1])],
    ['rows[3] (row 1) is NaN', () => moments.add([1, 2, 3, NaN], 2, [0, 1], [0, 0])],
    ['cannot merge', () => moments.merge(new GroupLabelMoments({ nGroups: 2, dim: 3 }))],
    ['no cell (group 2, label 0)', () => moments.mean(2, 0)],
    ['means has 7 entries', () => GroupLabelMoments.fromJSON({ ...moments.toJSON(), means: new Array(7).fill(0) })],
    ['format', () => GroupLabelMoments.fromJSON({ ...moments.toJSON(), format: 'fairkit-metric-state' })],
  ];
  for (const [message, call] of bad) {
    assert.throws(call, (e: Error) => e.name === 'FairkitError' && e.message.includes(message), message);
  }
  assert.equal(JSON.stringify(moments), before);
});

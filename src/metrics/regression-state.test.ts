import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { computeRegressionMetrics, evaluateRegression } from './regression-compute.js';
import { regressionCases, type RegressionCase } from './regression-fixtures.test-helper.js';
import { RegressionState } from './regression-state.js';
import type { RegressionReport } from './regression-types.js';

const cases = regressionCases;

/** Numbers within 1e-12 relative (absolute near 0), everything else equal. */
function assertReportsClose(actual: RegressionReport, expected: RegressionReport, what: string): void {
  const walk = (a: unknown, e: unknown, path: string): void => {
    if (typeof e === 'number') {
      assert.equal(typeof a, 'number', `${what} ${path}`);
      const difference = Math.abs((a as number) - e);
      assert.ok(difference <= 1e-12 * Math.max(1, Math.abs(e)), `${what} ${path}: ${a as number} vs ${e}`);
    } else if (e !== null && typeof e === 'object') {
      assert.deepEqual(Object.keys(a as object), Object.keys(e), `${what} ${path}: keys`);
      for (const [key, value] of Object.entries(e)) walk((a as Record<string, unknown>)[key], value, `${path}.${key}`);
    } else assert.deepEqual(a, e, `${what} ${path}`);
  };
  walk(actual, expected, 'report');
}

/** The case's rows cut at `cuts` into shards, each its own state. */
function shardStates(c: RegressionCase, cuts: number[], keepRows: boolean): RegressionState[] {
  const bounds = [0, ...cuts, c.yTrue.length];
  return bounds.slice(1).map((end, k) => {
    const start = bounds[k];
    const state = new RegressionState(c.keys.length, { keepRows });
    state.update({
      yTrue: c.yTrue.slice(start, end),
      yPred: c.yPred.slice(start, end),
      groups: c.groupIds.slice(start, end),
      weights: c.weights?.slice(start, end),
    });
    return state;
  });
}

describe('RegressionState streams and merges', () => {
  for (const keepRows of [true, false]) {
    for (const c of cases) {
      test(`${c.name}: shards + merge + JSON round trip equal one pass (keepRows ${keepRows})`, () => {
        const labels = { keys: c.keys, values: c.values };
        const whole = new RegressionState(c.keys.length, { keepRows });
        whole.update({ yTrue: c.yTrue, yPred: c.yPred, groups: c.groupIds, weights: c.weights });
        const n = c.yTrue.length;
        const shards = shardStates(c, [1, Math.floor(n / 3), Math.floor(n / 3) + 1, n - 5], keepRows);
        // Each shard travels as JSON text; the merged state travels again.
        const merged = shards.map((shard) => RegressionState.fromJSON(JSON.stringify(shard))).reduce((a, b) => a.merge(b));
        const travelled = RegressionState.fromJSON(JSON.parse(JSON.stringify(merged.toJSON())));
        for (let g = 0; g < c.keys.length; g++) assert.equal(travelled.slice(g).count, whole.slice(g).count, 'counts exactly');
        assert.equal(travelled.totalRows, n);
        assertReportsClose(computeRegressionMetrics(travelled, labels), computeRegressionMetrics(whole, labels), c.name);
        if (keepRows) assert.deepEqual(Array.from(travelled.keptRows()!.groups), c.groupIds);
        // Merging the same shards in another order gives the same report.
        const reversed = shardStates(c, [1, Math.floor(n / 3), Math.floor(n / 3) + 1, n - 5], keepRows).reverse().reduce((a, b) => a.merge(b));
        assertReportsClose(computeRegressionMetrics(reversed, labels), computeRegressionMetrics(whole, labels), `${c.name} reversed`);
      });
    }
  }

  test('a shard without weights merged with one with weights: its rows weigh 1', () => {
    const groups = { keys: ['a', 'b'], values: [{ g: 'a' }, { g: 'b' }] };
    const rows = { yTrue: [1, 2, 3, 5, 8, 13], yPred: [1.5, 2, 2, 6, 7, 12], groups: [0, 1, 0, 1, 0, 1] };
    const weights = [1, 1, 1, 2, 0.5, 3];
    const first = new RegressionState(2);
    first.update({ yTrue: rows.yTrue.slice(0, 3), yPred: rows.yPred.slice(0, 3), groups: rows.groups.slice(0, 3) });
    const second = new RegressionState(2);
    second.update({ yTrue: rows.yTrue.slice(3), yPred: rows.yPred.slice(3), groups: rows.groups.slice(3), weights: weights.slice(3) });
    const merged = first.merge(second);
    assert.deepEqual(Array.from(merged.keptRows()!.weights!), weights);
    assertReportsClose(
      computeRegressionMetrics(merged, groups),
      evaluateRegression({ yTrue: rows.yTrue, yPred: rows.yPred, groupIds: rows.groups, weights, groups }),
      'mixed',
    );
  });

  test('r2 stays accurate for labels far from 0 streamed in many shards (Chan update, not Σy² − (Σy)²/W)', () => {
    const rng = new Rng(5);
    const n = 2000;
    const offset = 1e9;
    const spread = Array.from({ length: n }, () => rng.normal());
    const noise = Array.from({ length: n }, () => 0.5 * rng.normal());
    const groupsOf = Array.from({ length: n }, (_, i) => i % 2);
    const state = new RegressionState(2, { keepRows: false });
    for (let start = 0; start < n; start += 100) {
      const end = start + 100;
      state.update({
        yTrue: spread.slice(start, end).map((s) => offset + s),
        yPred: spread.slice(start, end).map((s, i) => offset + s + noise[start + i]),
        groups: groupsOf.slice(start, end),
      });
    }
    const labels = { keys: ['a', 'b'], values: [{ g: 'a' }, { g: 'b' }] };
    const shifted = evaluateRegression({ yTrue: spread, yPred: spread.map((s, i) => s + noise[i]), groupIds: groupsOf, groups: labels });
    const report = computeRegressionMetrics(state, labels);
    // The residuals lose ~1e-7 to the offset (1e9 · eps per label); r2 keeps that relative accuracy.
    assert.ok(Math.abs(report.overall.r2! - shifted.overall.r2!) < 1e-6, `${report.overall.r2} vs ${shifted.overall.r2}`);
    assert.ok(Math.abs(report.groups[1].r2! - shifted.groups[1].r2!) < 1e-6);
    assert.ok(shifted.overall.r2! > 0.7 && shifted.overall.r2! < 0.9);
  });

  test('constant weighted labels give SST exactly 0, hence r2 null, however the weights round', () => {
    const state = new RegressionState(1);
    state.update({ yTrue: [0.1, 0.1, 0.1], yPred: [0.2, 0.1, 0], groups: [0, 0, 0], weights: [0.3, 0.7, 1.9] });
    state.update({ yTrue: [0.1], yPred: [0.15], groups: [0], weights: [1 / 3] });
    assert.equal(state.slice(0).labelM2, 0);
    assert.equal(computeRegressionMetrics(state, { keys: ['a'], values: [{}] }).overall.r2, null);
  });
});

describe('RegressionState refuses bad input', () => {
  const bad: [string, Parameters<RegressionState['update']>[0], RegExp][] = [
    ['a NaN label', { yTrue: [1, NaN], yPred: [1, 2], groups: [0, 0] }, /yTrue\[1\] is NaN/],
    ['an infinite prediction', { yTrue: [1, 2], yPred: [1, Infinity], groups: [0, 0] }, /yPred\[1\] is Infinity/],
    ['a group out of range', { yTrue: [1, 2], yPred: [1, 2], groups: [0, 2] }, /groups\[1\] is 2/],
    ['a negative weight', { yTrue: [1, 2], yPred: [1, 2], groups: [0, 1], weights: [1, -1] }, /weights\[1\] is -1/],
    ['arrays of different lengths', { yTrue: [1, 2], yPred: [1], groups: [0, 1] }, /yPred has 1 entries but yTrue has 2/],
  ];
  for (const [what, batch, message] of bad) {
    test(`${what}: a FairkitError, and the state is unchanged`, () => {
      const state = new RegressionState(2);
      state.update({ yTrue: [3], yPred: [4], groups: [1] });
      const before = JSON.stringify(state);
      assert.throws(() => state.update(batch), (e: Error) => e instanceof FairkitError && message.test(e.message));
      assert.equal(JSON.stringify(state), before);
    });
  }

  test('merging states of different shapes', () => {
    assert.throws(() => new RegressionState(2).merge(new RegressionState(3)), /cannot merge a state of 3 groups/);
    assert.throws(() => new RegressionState(2).merge(new RegressionState(2, { keepRows: false })), /keeps rows/);
  });

  test('fromJSON validates', () => {
    const state = new RegressionState(2);
    state.update({ yTrue: [1, 2, 3], yPred: [1, 2, 4], groups: [0, 1, 1] });
    const json = state.toJSON();
    assert.throws(() => RegressionState.fromJSON('{'), /not valid JSON/);
    assert.throws(() => RegressionState.fromJSON({ ...json, format: 'fairkit-metric-state' }), /unexpected content at format/);
    assert.throws(() => RegressionState.fromJSON({ ...json, weight: [1] }), /weight has 1 entries; 2 groups need 2/);
    assert.throws(() => RegressionState.fromJSON({ ...json, labelM2: [0, -1] }), /labelM2 must not be negative/);
    assert.throws(() => RegressionState.fromJSON({ ...json, rows: [2, 1] }), /group 0 has 2 rows but 1 kept rows/);
    assert.throws(() => RegressionState.fromJSON({ ...json, kept: null }), /keepRows is true but kept is null/);
    assert.throws(() => RegressionState.fromJSON({ ...json, kept: { ...json.kept!, predictions: [1, null, 2] } }), /finite/);
    assert.deepEqual(RegressionState.fromJSON(JSON.stringify(json)).toJSON(), json);
  });

  test('doubles survive JSON exactly, −0 included', () => {
    const state = new RegressionState(1);
    state.update({ yTrue: [0.1, -0], yPred: [0.30000000000000004, -0], groups: [0, 0] });
    const back = RegressionState.fromJSON(JSON.stringify(state));
    assert.ok(Object.is(back.keptRows()!.labels[1], -0));
    assert.deepEqual(back.slice(0), state.slice(0));
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeMetrics } from './compute.js';
import { inputOf, loadFixtureCases, type FixtureCase } from './fixture-cases.js';
import type { MetricReport } from './report-types.js';
import { MetricState } from './state.js';

const cases = loadFixtureCases();

/** One state per shard of the case's rows (uneven cuts); the middle shard has no weights. */
function shardStates(c: FixtureCase, keepRows = true): MetricState[] {
  const n = c.yTrue.length;
  const cuts = [0, Math.floor(n / 7), Math.floor((3 * n) / 5), n];
  return cuts.slice(1).map((end, k) => {
    const rows = (values?: ArrayLike<number>) => (values ? Array.from(values).slice(cuts[k], end) : undefined);
    const state = new MetricState(c.keys.length, { keepRows });
    state.update({
      yTrue: rows(c.yTrue)!,
      yPred: rows(c.yPred),
      scores: rows(c.scores),
      groups: rows(c.groupIds)!,
      weights: k === 1 ? undefined : rows(c.weights),
      threshold: c.threshold,
    });
    return state;
  });
}

/** Overall, each group and fairness, as plain records. */
function slicesOf(report: MetricReport): [string, Record<string, unknown>][] {
  const record = (values: object) => values as Record<string, unknown>;
  return [
    ['overall', record(report.overall)],
    ...report.groups.map((g): [string, Record<string, unknown>] => [`group ${g.key}`, record(g)]),
    ['fairness', record(report.fairness)],
  ];
}

const viaJson = (state: MetricState) => MetricState.fromJSON(JSON.parse(JSON.stringify(state)));
const merged = (states: MetricState[]) => states.slice(1).reduce((all, s) => all.merge(s), states[0]);

test('shards serialised through JSON text and merged give exactly the metrics of the shards merged directly', () => {
  let compared = 0;
  for (const c of cases) {
    for (const keepRows of [true, false]) {
      const labels = inputOf(c).groups;
      const direct = computeMetrics(merged(shardStates(c, keepRows)), labels);
      const roundTripped = computeMetrics(merged(shardStates(c, keepRows).map(viaJson)), labels);
      assert.deepEqual(roundTripped, direct, `${c.name}, keepRows ${keepRows}`);
      compared++;
    }
  }
  assert.ok(compared >= 20);
});

test('round-tripped shards merged equal the one-pass state: exactly where sums are order-free, else to 1e-12', () => {
  let exact = 0;
  for (const c of cases) {
    const input = inputOf(c);
    const onePass = new MetricState(c.keys.length);
    // Same weights as the shards: the middle shard's rows get weight 1.
    const n = c.yTrue.length;
    const weights = c.weights && Float64Array.from(c.weights).fill(1, Math.floor(n / 7), Math.floor((3 * n) / 5));
    onePass.update({ yTrue: c.yTrue, yPred: c.yPred, scores: c.scores, groups: c.groupIds, weights, threshold: c.threshold });
    const expected = computeMetrics(onePass, input.groups);
    const actual = computeMetrics(merged(shardStates(c).map(viaJson)), input.groups);
    // Unweighted confusion counts are integer sums, so every metric built from them is exact, and the ranking
    // walk over the kept rows is the same walk; weighted sums and log-loss sums depend on the order of addition.
    const orderFree = (name: string) => name === 'count' || (c.weights === undefined && name !== 'logLoss');
    const want = slicesOf(expected);
    for (const [i, [scope, got]] of slicesOf(actual).entries()) {
      assert.deepEqual(Object.keys(got), Object.keys(want[i][1]), scope);
      for (const [name, value] of Object.entries(want[i][1])) {
        if (typeof value !== 'number' || orderFree(name)) {
          assert.deepEqual(got[name], value, `${c.name} ${scope}.${name}`);
          exact++;
        } else {
          const diff = Math.abs((got[name] as number) - value);
          assert.ok(diff <= 1e-12 * Math.max(1, Math.abs(value)), `${c.name} ${scope}.${name}: ${got[name]} vs ${value}`);
        }
      }
    }
    assert.deepEqual(actual.warnings, expected.warnings, c.name);
  }
  assert.ok(exact >= 300, `only ${exact} exact comparisons`);
});

test('JSON is versioned plain data; rows without a score are null; -0 and weights survive exactly', () => {
  const state = new MetricState(2);
  state.update({ yTrue: [1, 0], yPred: [1, 0], groups: [0, 1] });
  state.update({ yTrue: [1, 0, 1], scores: [-0, 0.25, 1e-300], groups: [1, 0, 1], weights: [0.1, 2, 1 / 3] });
  const json = JSON.parse(JSON.stringify(state)) as ReturnType<MetricState['toJSON']>;
  assert.equal(json.format, 'fairkit-metric-state');
  assert.equal(json.version, 1);
  assert.deepEqual(json.kept!.scores, [null, null, '-0', 0.25, 1e-300]);
  assert.deepEqual(json.kept!.weights, [1, 1, 0.1, 2, 1 / 3]);
  const back = MetricState.fromJSON(json);
  assert.deepEqual(back.toJSON(), state.toJSON());
  assert.ok(Object.is(back.keptRows()!.scores[2], -0));
  assert.deepEqual(back.keptRows(), state.keptRows());
  assert.equal(back.rowsWithoutScores, 2);
  assert.deepEqual(MetricState.fromJSON(JSON.stringify(state)).toJSON(), state.toJSON(), 'JSON text is accepted too');
});

test('bad JSON is a FairkitError saying what is wrong', () => {
  const state = new MetricState(2);
  state.update({ yTrue: [1, 0, 1], scores: [0.9, 0.2, 0.4], groups: [0, 1, 1] });
  const good = state.toJSON();
  const bad: [string, unknown][] = [
    ['format', { ...good, format: 'something-else' }],
    ['version', { ...good, version: 2 }],
    ['confusion has 7 entries; 2 groups need 8', { ...good, confusion: good.confusion.slice(1) }],
    ['kept.codes[0] is 8: group 2 does not exist', { ...good, kept: { ...good.kept!, codes: [8, 4, 6] } }],
    ['group 0 has 1 rows but 2 kept rows', { ...good, kept: { ...good.kept!, codes: [3, 0, 6] } }],
    ['keepRows is true but kept is null', { ...good, kept: null }],
    ['1 kept rows have no score but rowsWithoutScores is 0', { ...good, kept: { ...good.kept!, scores: [0.9, null, 0.4] } }],
    ['not valid JSON', '{"format": '],
  ];
  for (const [message, json] of bad) {
    assert.throws(
      () => MetricState.fromJSON(json),
      (e: Error) => e.name === 'FairkitError' && e.message.includes('MetricState.fromJSON') && e.message.includes(message),
      message,
    );
  }
});

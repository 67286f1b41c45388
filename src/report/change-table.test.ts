import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregate } from '../bench/aggregate.js';
import { fakeEntry, fakeRegressionEntry } from '../bench/test-entries.js';
import { changeTable } from './change-table.js';
import { markdownTable, textTable } from './tables.js';

// Three seeds: eor lowers ΔDP by exactly 0.1 every time and moves ΔEO by −0.2, +0.1, −0.05 (noise); oversample ties ERM.
const erm = [{ accuracy: 0.8, ap: 0.7, dp: 0.2, eo: 0.4 }, { accuracy: 0.82, ap: 0.72, dp: 0.22, eo: 0.36 }, { accuracy: 0.81, ap: 0.7, dp: 0.21, eo: 0.38 }];
const eoShift = [-0.2, 0.1, -0.05];
const entries = [0, 1, 2].flatMap((seed) => [
  fakeEntry({ seed, method: 'erm' }, erm[seed]),
  fakeEntry({ seed, method: 'eor', params: { lambda: 1 } }, { ...erm[seed], dp: erm[seed].dp - 0.1, eo: erm[seed].eo + eoShift[seed] }),
  fakeEntry({ seed, method: 'oversample' }, erm[seed]),
]);
const study = aggregate(entries).studies[0];

test('change table: paired mean difference with its t interval in points, what moved beyond noise, Pareto planes', () => {
  const table = changeTable(study)!;
  assert.deepEqual(table.header, ['method', 'pairs', 'acc − ERM', 'AP − ERM', 'ΔDP − ERM', 'ΔEO (sum) − ERM', 'ΔEOpp − ERM', 'beyond noise', 'Pareto front']);
  const row = (label: string) => table.rows.find((candidate) => candidate[0] === label)!;
  const eor = row('eor λ=1');
  assert.equal(eor[1], '3');
  assert.equal(eor[4], '−10.00 [−10.00, −10.00]');
  // ΔEO differences −0.2, 0.1, −0.05: mean −0.05, sd 0.15, half-width t(0.975, 2)·0.15/√3 = 4.302652729749464·0.0866 = 0.3726.
  assert.equal(eor[5], '−5.00 [−42.26, +32.26]');
  assert.equal(eor[7], 'ΔDP↓');
  // eor has the lowest ΔDP at the same accuracy: on the accuracy × ΔDP front.
  assert.match(eor[8], /accuracy × ΔDP/);
  assert.deepEqual(row('oversample').slice(2, 8), ['0.00 [0.00, 0.00]', '0.00 [0.00, 0.00]', '0.00 [0.00, 0.00]', '0.00 [0.00, 0.00]', '0.00 [0.00, 0.00]', 'none']);
  assert.deepEqual(table.rows.at(-1)!.slice(0, 3), ['erm', '3', '0']);
  // The table renders as text and as Markdown with every row.
  assert.equal(textTable(table).length, table.rows.length + 1);
  assert.equal(markdownTable(table).length, table.rows.length + 2);
});

test('change table: none without ERM; a regression study compares RMSE and its gaps on the target\'s scale', () => {
  assert.equal(changeTable(aggregate(entries.filter((entry) => entry.trial.method !== 'erm')).studies[0]), null);
  const regression = aggregate([0, 1].flatMap((seed) => [
    fakeRegressionEntry({ seed, method: 'erm' }, { rmse: 0.2, r2: 0.5, groups: { a: [0.04, 0.5], b: [0.06, 0.4] } }),
    fakeRegressionEntry({ seed, method: 'reweigh' }, { rmse: 0.21 + 0.01 * seed, r2: 0.5, groups: { a: [0.04, 0.5], b: [0.05, 0.45] } }),
  ])).studies[0];
  const table = changeTable(regression)!;
  assert.deepEqual(table.header.slice(2, 5), ['RMSE − ERM', 'ΔMSE − ERM', 'Δ mean pred. − ERM']);
  // RMSE differences 0.01 and 0.02: mean 0.015, half-width 12.7062·(0.00707/√2) = 0.0635.
  assert.equal(table.rows[0][2], '+0.0150 [−0.0485, +0.0785]');
  assert.equal(table.rows[0][3], '−0.0100 [−0.0100, −0.0100]');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairkitError } from '../errors.js';
import { evaluate, stateOf } from './compute.js';
import { inputOf, loadFixtureCases } from './fixture-cases.js';
import { MetricFrame } from './frame.js';

const cases = loadFixtureCases();
const golden = cases.find((c) => c.name.startsWith('golden'))!;
const round4 = (x: number | null) => Math.round(x! * 1e4) / 1e4;

test('on the Fairlearn golden vector, frame gaps are the fairness values of evaluation.md §1', () => {
  const frame = MetricFrame.of(stateOf(inputOf(golden)), inputOf(golden).groups);
  const { fairness } = frame.report;
  assert.deepEqual(frame.byGroup('selectionRate'), { a: 0.75, b: 0.5, c: 0.5 });
  assert.equal(round4(frame.difference('selectionRate')), 0.25);
  assert.equal(round4(frame.ratio('selectionRate')), 0.6667);
  const eoDifference = Math.max(frame.difference('tpr')!, frame.difference('fpr')!);
  const eoRatio = Math.min(frame.ratio('tpr')!, frame.ratio('fpr')!);
  assert.equal(round4(eoDifference), 1.0);
  assert.equal(round4(eoRatio), 0.0);
  // The same floats as computeMetrics, not merely close.
  assert.equal(frame.difference('selectionRate'), fairness.demographicParityDifference);
  assert.equal(frame.ratio('selectionRate'), fairness.demographicParityRatio);
  assert.equal(eoDifference, fairness.equalizedOddsDifference);
  assert.equal(eoRatio, fairness.equalizedOddsRatio);
});

test('on every fixture, between-group gaps equal the fairness metrics defined by them', () => {
  let compared = 0;
  for (const c of cases) {
    const frame = new MetricFrame(evaluate(inputOf(c)));
    const f = frame.report.fairness;
    const both = (a: number | null, b: number | null, combine: (a: number, b: number) => number) =>
      a === null || b === null ? null : combine(a, b);
    const fromFrame = {
      demographicParityDifference: frame.difference('selectionRate'),
      demographicParityRatio: frame.ratio('selectionRate'),
      equalizedOddsDifference: both(frame.difference('tpr'), frame.difference('fpr'), Math.max),
      equalizedOddsRatio: both(frame.ratio('tpr'), frame.ratio('fpr'), Math.min),
      equalizedOddsSum: both(frame.difference('tpr'), frame.difference('fpr'), (a, b) => a + b),
      equalOpportunityDifference: frame.difference('tpr'),
      ...(f.averageOddsDifference === undefined ? { equalOpportunityRatio: frame.ratio('tpr') } : {}),
    };
    for (const [name, value] of Object.entries(fromFrame)) {
      assert.equal(value, f[name as keyof typeof f], `${c.name}: ${name}`);
      assert.equal(frame.fairness(name), value);
      compared++;
    }
  }
  assert.ok(compared >= 90, `only ${compared} comparisons`);
});

test('toOverall compares each group with all rows', () => {
  const frame = new MetricFrame(evaluate(inputOf(golden)));
  // 10 of 18 rows are predicted positive; groups a, b, c select 0.75, 0.5, 0.5.
  assert.equal(frame.overall('selectionRate'), 10 / 18);
  assert.ok(Math.abs(frame.difference('selectionRate', { method: 'toOverall' })! - (0.75 - 10 / 18)) < 1e-15);
  assert.ok(Math.abs(frame.ratio('selectionRate', { method: 'toOverall' })! - 10 / 18 / 0.75) < 1e-15);
  // Groups a, b, c have 4, 6 and 8 rows.
  assert.equal(frame.difference('count', { method: 'betweenGroups' }), 4);
});

test('undefined values are null with a warning naming the group, never 0', () => {
  const c = cases.find((k) => k.name.includes('g2 has no positives'))!;
  const frame = new MetricFrame(evaluate(inputOf(c)));
  assert.equal(frame.byGroup('tpr').g2, null);
  assert.equal(frame.difference('tpr'), null);
  assert.equal(frame.ratio('tpr', { method: 'toOverall' }), null);
  assert.ok(frame.warnings.includes("difference of tpr: null, because tpr is undefined for group 'g2'"), frame.warnings.join('\n'));
  assert.ok(frame.warnings.some((w) => w.startsWith('ratio of tpr to overall: null') && w.includes("'g2'")));
  assert.notEqual(frame.difference('fpr'), null);
});

test('a ratio of zeros is null with a warning; a metric missing from the report says what it needs', () => {
  const frame = new MetricFrame(
    evaluate({ yTrue: [0, 1, 0, 1], yPred: [0, 0, 0, 0], groupIds: [0, 0, 1, 1], groups: { keys: ['a', 'b'], values: [{}, {}] } }),
  );
  assert.equal(frame.difference('selectionRate'), 0);
  assert.equal(frame.ratio('selectionRate'), null);
  assert.ok(frame.warnings.includes('ratio of selectionRate: null, because the selectionRate is 0 in every group (0/0)'));
  assert.equal(frame.ratio('tpr', { method: 'toOverall' }), null);
  assert.equal(frame.overall('ap'), null);
  assert.ok(frame.warnings.some((w) => w.startsWith('ap (overall): null') && w.includes('a score for every row')));
  assert.equal(frame.fairness('abcc'), null);
  const before = frame.warnings.length;
  frame.overall('ap');
  assert.equal(frame.warnings.length, before, 'a warning is given once');
});

test('names are checked against the registry', () => {
  const frame = new MetricFrame(evaluate(inputOf(golden)));
  assert.throws(() => frame.overall('acuracy'), (e: Error) => e instanceof FairkitError && e.message.includes('accuracy'));
  assert.throws(() => frame.difference('demographicParityDifference'), /is a fairness metric/);
  assert.throws(() => frame.fairness('accuracy'), /is a performance metric/);
});

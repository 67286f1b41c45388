import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairkitError } from '../errors.js';
import { evaluate } from './compute.js';
import { inputOf, loadFixtureCases } from './fixture-cases.js';
import { getMetric, listMetrics, metricDirection } from './registry.js';

const cases = loadFixtureCases();

test('the registry holds exactly the metrics a full report has, each under its kind', () => {
  // A report with scores, two groups and a privileged one has every key (averageOddsDifference and abcc included).
  const full = evaluate(inputOf(cases.find((c) => c.name.startsWith('two groups, scores, privileged'))!));
  const reported = [
    ...Object.keys(full.overall).map((name) => [name, 'performance']),
    ...Object.keys(full.fairness).map((name) => [name, 'fairness']),
  ];
  const groupKeys = Object.keys(full.groups[0]).filter((key) => key !== 'key' && key !== 'values');
  assert.deepEqual(groupKeys, Object.keys(full.overall), 'groups have the overall performance keys');
  assert.ok(reported.length >= 20, `only ${reported.length} keys in the report`);
  assert.deepEqual(
    listMetrics().map((metric) => [metric.name, metric.kind]),
    reported,
    'registry order is report order',
  );
});

test('every metric has a direction, a one-line description and its needs', () => {
  for (const metric of listMetrics()) {
    assert.ok(['higher', 'lower', 'one', 'zero', 'none'].includes(metric.better), metric.name);
    assert.ok(metric.description.length > 5 && !metric.description.includes('\n'), metric.name);
    assert.equal(typeof metric.needs, 'object', metric.name);
  }
  const needsScores = listMetrics().filter((metric) => metric.needs.scores !== undefined).map((m) => m.name);
  assert.deepEqual(needsScores, ['ap', 'rocAuc', 'logLoss', 'abcc']);
  assert.deepEqual(getMetric('averageOddsDifference').needs, { groups: 'exactlyTwo', privileged: true });
});

test('directions of known metrics', () => {
  const expected: [string, string][] = [
    ['accuracy', 'higher'],
    ['ap', 'higher'],
    ['fpr', 'lower'],
    ['logLoss', 'lower'],
    ['selectionRate', 'none'],
    ['demographicParityDifference', 'lower'],
    ['equalizedOddsSum', 'lower'],
    ['tprStd', 'lower'],
    ['demographicParityRatio', 'one'],
    ['equalOpportunityRatio', 'one'],
    ['averageOddsDifference', 'zero'],
    ['abcc', 'lower'],
  ];
  assert.deepEqual(
    expected.map(([name]) => [name, metricDirection(name)]),
    expected,
  );
});

test('fairness metrics name the per-group values they are derived from', () => {
  const performance = new Set(listMetrics().filter((m) => m.kind === 'performance').map((m) => m.name));
  for (const metric of listMetrics()) {
    if (metric.kind !== 'fairness') continue;
    for (const rate of metric.from) assert.ok(performance.has(rate), `${metric.name} from ${rate}`);
  }
  const dp = getMetric('demographicParityDifference');
  assert.equal(dp.kind === 'fairness' && dp.from.join(), 'selectionRate');
});

test('an unknown metric is a FairkitError that lists the known ones', () => {
  assert.throws(
    () => getMetric('demographicParity'),
    (e: Error) =>
      e instanceof FairkitError &&
      e.message.includes("unknown metric 'demographicParity'") &&
      e.message.includes('demographicParityDifference') &&
      e.message.includes('rocAuc'),
  );
  assert.throws(() => metricDirection('auc'), FairkitError);
});

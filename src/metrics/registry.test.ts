import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairkitError } from '../errors.js';
import { evaluate } from './compute.js';
import { inputOf, loadFixtureCases } from './fixture-cases.js';
import { evaluateRegression } from './regression-compute.js';
import { getMetric, isMetricName, isRegressionMetricName, listMetrics, metricDirection, regressionGapValues } from './registry.js';

const cases = loadFixtureCases();

test('the registry holds exactly the metrics a full report has, each under its kind', () => {
  // A report with scores, logits, two groups and a privileged one has every key (averageOddsDifference, abcc and
  // meanLogitGap included).
  const input = inputOf(cases.find((c) => c.name.startsWith('two groups, scores, privileged'))!);
  const full = evaluate({ ...input, logits: Array.from(input.scores!, (p) => Math.log(p / (1 - p))) });
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
  assert.deepEqual(getMetric('meanLogitGap').needs, { groups: 'several', logits: true });
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
    ['meanLogitGap', 'lower'],
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

test('the regression registry holds exactly the keys of a regression report, in report order', () => {
  const report = evaluateRegression({
    yTrue: [1, 2, 3, 4],
    yPred: [1, 3, 3, 5],
    groupIds: [0, 1, 0, 1],
    groups: { keys: ['a', 'b'], values: [{ g: 'a' }, { g: 'b' }] },
  });
  const reported = [
    ...Object.keys(report.overall).map((name) => [name, 'performance']),
    ...Object.keys(report.fairness).map((name) => [name, 'fairness']),
  ];
  assert.deepEqual(Object.keys(report.groups[0]).filter((key) => key !== 'key' && key !== 'values'), Object.keys(report.overall));
  assert.deepEqual(listMetrics('regression').map((metric) => [metric.name, metric.kind]), reported);
  assert.ok(listMetrics('regression').every((metric) => metric.task === 'regression'));
  assert.ok(listMetrics().every((metric) => metric.task === 'classification'));
  assert.deepEqual(regressionGapValues(), ['mse', 'mae', 'meanPrediction', 'meanResidual']);
});

test('directions of the regression metrics; metricDirection knows both tasks', () => {
  const expected: [string, string][] = [
    ['mse', 'lower'],
    ['rmse', 'lower'],
    ['mae', 'lower'],
    ['r2', 'higher'],
    ['meanPrediction', 'none'],
    ['meanResidual', 'zero'],
    ['mseDifference', 'lower'],
    ['mseRatio', 'one'],
    ['maeDifference', 'lower'],
    ['maeRatio', 'one'],
    ['mseStd', 'lower'],
    ['meanPredictionDifference', 'lower'],
    ['meanResidualDifference', 'lower'],
    ['ksDistance', 'lower'],
  ];
  assert.deepEqual(expected.map(([name]) => [name, metricDirection(name)]), expected);
  assert.deepEqual(expected.map(([name]) => [name, getMetric(name, 'regression').better]), expected);
  assert.deepEqual(getMetric('ksDistance', 'regression').needs, { groups: 'several', keptRows: true });
  assert.ok(isRegressionMetricName('mse') && !isMetricName('mse') && isMetricName('count') && isRegressionMetricName('count'));
});

test('asking the wrong task for a metric says which task has it', () => {
  assert.throws(() => getMetric('mse'), (e: Error) => e instanceof FairkitError && e.message.includes("unknown metric 'mse' ('mse' is a regression metric)"));
  assert.throws(() => getMetric('accuracy', 'regression'), (e: Error) => e.message.includes("'accuracy' is a classification metric") && e.message.includes('ksDistance'));
  assert.throws(() => metricDirection('msee'), (e: Error) => e.message.includes('mseDifference') && e.message.includes('accuracy'));
});

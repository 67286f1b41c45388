import assert from 'node:assert/strict';
import { test } from 'node:test';

test("the package imports by its name and its entry point audits a table", async () => {
  // Self-reference through package.json "exports": what `import ... from 'fairkit'` gives a user.
  const fairkit = await import('fairkit');
  for (const name of ['readTable', 'loadDataset', 'prepareDataset', 'evaluate', 'auditTable', 'initBackend', 'fit', 'trainAndEvaluate', 'getMethod', 'saveFittedModel', 'FittedModel', 'readModelFolder', 'runTrials', 'buildReport', 'GroupMixNormLayer', 'ContributionTracker', 'getMetric', 'listMetrics', 'metricDirection', 'MetricFrame', 'GroupLabelMoments', 'modelFromConfig', 'predictProba', 'predictFile', 'fineTuningSubset', 'startingFrom', 'evaluateOn', 'scoresOn', 'openDataset', 'binCuts', 'FairStream', 'spreadByAttribute', 'fairInference', 'fairPredict']) {
    assert.equal(typeof (fairkit as Record<string, unknown>)[name], 'function', name);
  }
  assert.deepEqual([fairkit.groupMixNormDebias.name, fairkit.groupMixNorm.name], ['groupmixnorm-debias', 'groupmixnorm']);
  const table = fairkit.parseTable('label,pred,group\n1,1,a\n0,1,a\n1,0,b\n0,0,b\n');
  const audit = fairkit.auditTable(table, { label: 'label', pred: 'pred', sensitive: ['group'], source: 'inline' });
  assert.equal(audit.fairness.demographicParityDifference, 1);
  assert.deepEqual(fairkit.listMethods().map((method) => method.name).slice(0, 2), ['erm', 'oversample']);
});

test("'fairkit/stream' gives the browser-safe stream on its own", async () => {
  const { FairStream } = await import('fairkit/stream');
  const stream = new FairStream({ epsilon: 0.1, eta0: 0.5, groups: 2 });
  assert.deepEqual(stream.update([1, 0], Int32Array.of(0, 1)), Float64Array.of(1, 0));
  assert.equal(stream.report().rows, 2);
});

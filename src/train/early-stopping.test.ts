import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listMetrics } from '../metrics/registry.js';
import { defaultMode, EarlyStopping } from './early-stopping.js';

test('defaultMode follows the registered direction of every metric', () => {
  const expected = { higher: 'max', one: 'max', lower: 'min' } as const;
  let checked = 0;
  for (const metric of listMetrics()) {
    if (metric.better === 'zero' || metric.better === 'none') {
      assert.throws(() => defaultMode(metric.name), (e: Error) => e.name === 'FairkitError' && e.message.includes('needs a mode'));
    } else {
      assert.equal(defaultMode(metric.name), expected[metric.better], metric.name);
      checked++;
    }
  }
  assert.ok(checked >= 15);
  // The names the regex used to misjudge: ratios are fair at 1 (max), logLoss is a loss (min).
  assert.equal(defaultMode('equalizedOddsRatio'), 'max');
  assert.equal(defaultMode('abcc'), 'min');
  assert.equal(defaultMode('fpr'), 'min');
});

test('an unknown metric is a FairkitError naming the known ones', () => {
  assert.throws(() => defaultMode('valLoss'), (e: Error) => e.name === 'FairkitError' && e.message.includes("unknown metric 'valLoss'") && e.message.includes('accuracy'));
});

test('EarlyStopping keeps the best epoch in its mode and stops after patience', () => {
  const stopper = new EarlyStopping('equalizedOddsSum', 2, defaultMode('equalizedOddsSum'));
  assert.equal(stopper.observe(0, 0.3), true);
  assert.equal(stopper.observe(1, 0.2), true);
  assert.equal(stopper.observe(2, null), false);
  assert.equal(stopper.shouldStop, false);
  assert.equal(stopper.observe(3, 0.25), false);
  assert.equal(stopper.shouldStop, true);
  assert.equal(stopper.bestEpochIndex, 1);
});

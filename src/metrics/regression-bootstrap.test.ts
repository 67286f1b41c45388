import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { bootstrapRegressionIntervals } from './regression-bootstrap.js';
import { evaluateRegression, type RegressionInput } from './regression-compute.js';

/** Three groups with different error levels and a few zero-weight rows. */
function input(n: number, seed: number, weighted: boolean): RegressionInput {
  const rng = new Rng(seed);
  const groupIds = Array.from({ length: n }, () => rng.int(3));
  const yTrue = groupIds.map((g) => 50 + 5 * g + 10 * rng.normal());
  const yPred = yTrue.map((y, i) => Math.round(y + (1 + groupIds[i]) * rng.normal() - groupIds[i]));
  const weights = weighted ? groupIds.map((_, i) => (i % 17 === 0 ? 0 : 0.5 + rng.uniform())) : undefined;
  return { yTrue, yPred, groupIds, weights, groups: { keys: ['a', 'b', 'c'], values: [{ g: 'a' }, { g: 'b' }, { g: 'c' }] } };
}

for (const weighted of [false, true]) {
  test(`one replicate is the report of the materialised resample (${weighted ? 'weighted' : 'unweighted'})`, () => {
    const data = input(120, 1, weighted);
    const seed = 42;
    // The same draws the bootstrap makes: n uniform row indices from Rng(seed).
    const rng = new Rng(seed);
    const picks = Array.from({ length: 120 }, () => rng.int(120));
    const pick = <T>(values: ArrayLike<T>) => picks.map((i) => values[i]);
    const resample = evaluateRegression({
      yTrue: pick(data.yTrue),
      yPred: pick(data.yPred),
      groupIds: pick(data.groupIds),
      weights: data.weights && pick(data.weights),
      groups: data.groups,
    });
    const result = bootstrapRegressionIntervals(data, { replicates: 1, seed });
    for (const [section, values] of [['overall', resample.overall], ['fairness', resample.fairness]] as const) {
      for (const [metric, value] of Object.entries(values)) {
        if (metric === 'count') continue;
        const interval = result[section][metric];
        assert.ok(interval !== null && value !== null, `${section}.${metric}`);
        for (const end of interval) assert.ok(Math.abs(end - value) <= 1e-9 * Math.max(1, Math.abs(value)), `${section}.${metric}: ${end} vs ${value}`);
      }
    }
    resample.groups.forEach((group, g) => {
      assert.ok(Math.abs(result.groups[g].intervals.mse![0] - group.mse!) <= 1e-9 * group.mse!);
    });
  });
}

test('intervals are seeded, bracket the point estimates and cover every metric', () => {
  const data = input(300, 2, true);
  const first = bootstrapRegressionIntervals(data, { replicates: 200, seed: 7 });
  assert.deepEqual(bootstrapRegressionIntervals(data, { replicates: 200, seed: 7 }), first);
  assert.notDeepEqual(bootstrapRegressionIntervals(data, { replicates: 200, seed: 8 }).overall, first.overall);
  assert.deepEqual(first.point, evaluateRegression(data));
  assert.deepEqual(Object.keys(first.overall), ['mse', 'rmse', 'mae', 'r2', 'meanPrediction', 'meanResidual']);
  assert.deepEqual(Object.keys(first.fairness), Object.keys(first.point.fairness));
  for (const [metric, interval] of Object.entries(first.overall)) {
    const value = first.point.overall[metric as keyof typeof first.point.overall] as number;
    assert.ok(interval !== null && interval[0] <= value && value <= interval[1], `${metric}: ${String(interval)} around ${value}`);
  }
  const [low, high] = first.fairness.mseDifference!;
  assert.ok(low < first.point.fairness.mseDifference! && first.point.fairness.mseDifference! < high);
});

test('a small group that draws no rows leaves the fairness values of that replicate out, with a warning', () => {
  const data: RegressionInput = {
    yTrue: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    yPred: [1.5, 2, 2.5, 4, 5.5, 6, 7, 7.5, 9, 12],
    groupIds: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    groups: { keys: ['big', 'tiny'], values: [{ g: 'big' }, { g: 'tiny' }] },
  };
  const result = bootstrapRegressionIntervals(data, { replicates: 100, seed: 3 });
  assert.ok(result.warnings.some((w) => /^fairness mseDifference is undefined in \d+ of 100 replicates/.test(w)), result.warnings.join('\n'));
  assert.ok(result.warnings.some((w) => w.startsWith("group 'tiny' mse is undefined")));
});

test('bad options are refused', () => {
  const data = input(10, 3, false);
  assert.throws(() => bootstrapRegressionIntervals(data, { replicates: 0, seed: 1 }), FairkitError);
  assert.throws(() => bootstrapRegressionIntervals(data, { replicates: 5, seed: 1.5 }), FairkitError);
  assert.throws(() => bootstrapRegressionIntervals(data, { replicates: 5, seed: 1, level: 1 }), FairkitError);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricDirection } from '../metrics/registry.js';
import { aggregate, REGRESSION_SUMMARY_METRICS, REGRESSION_TRADEOFFS } from './aggregate.js';
import { fakeEntry, fakeRegressionEntry } from './test-entries.js';

const close = (actual: number | null | undefined, expected: number, message?: string) =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-12, `${message ?? ''}: ${actual} vs ${expected}`);

// Two seeds of erm, reweigh λ=1 and penalty at two λ; per group [MSE, mean prediction]. The gaps are max − min.
type Run = { rmse: number; r2: number; groups: Record<string, [mse: number, meanPrediction: number]> };
const runs: Record<'erm' | 'reweigh' | 'penalty1' | 'penalty4', Run[]> = {
  erm: [{ rmse: 0.2, r2: 0.6, groups: { A: [0.02, 0.3], B: [0.06, 0.5] } }, { rmse: 0.22, r2: 0.58, groups: { A: [0.03, 0.32], B: [0.05, 0.48] } }],
  reweigh: [{ rmse: 0.21, r2: 0.59, groups: { A: [0.03, 0.35], B: [0.045, 0.45] } }, { rmse: 0.23, r2: 0.57, groups: { A: [0.035, 0.36], B: [0.045, 0.44] } }],
  penalty1: [{ rmse: 0.25, r2: 0.5, groups: { A: [0.06, 0.4], B: [0.07, 0.42] } }, { rmse: 0.25, r2: 0.5, groups: { A: [0.06, 0.4], B: [0.07, 0.42] } }],
  penalty4: [{ rmse: 0.3, r2: 0.3, groups: { A: [0.05, 0.4], B: [0.08, 0.41] } }, { rmse: 0.3, r2: 0.3, groups: { A: [0.05, 0.4], B: [0.08, 0.41] } }],
};

const entries = [0, 1].flatMap((seed) => [
  fakeRegressionEntry({ seed, method: 'erm' }, runs.erm[seed]),
  fakeRegressionEntry({ seed, method: 'reweigh', params: { lambda: 1 } }, runs.reweigh[seed]),
  // An entry without `task` (hand-made, or from before the field) is still read as regression.
  fakeRegressionEntry({ seed, method: 'penalty', params: { lambda: 0.1 } }, runs.penalty1[seed], { legacy: seed === 1 }),
  fakeRegressionEntry({ seed, method: 'penalty', params: { lambda: 0.4 } }, runs.penalty4[seed]),
]);
const summary = aggregate(entries);
const study = summary.studies[0];
const config = (label: string) => study.configs.find((candidate) => candidate.label === label)!;

test('a regression journal forms one regression study with the regression metrics', () => {
  assert.equal(summary.studies.length, 1);
  assert.equal(study.task, 'regression');
  assert.deepEqual(study.configs.map((c) => [c.label, c.runs]), [['erm', 2], ['penalty λ=0.1', 2], ['penalty λ=0.4', 2], ['reweigh λ=1', 2]]);
  for (const name of ['rmse', 'r2', 'mse', 'mae', 'mseDifference', 'meanPredictionDifference', 'ksDistance']) assert.ok(REGRESSION_SUMMARY_METRICS.includes(name), name);
  assert.equal('accuracy' in study.reference!.metrics, false, 'no classification metric in a regression summary');
});

test('means and standard deviations over seeds, overall, gaps, groups and curves', () => {
  const erm = study.reference!;
  close(erm.metrics.rmse.mean, (0.2 + 0.22) / 2, 'RMSE');
  close(erm.metrics.rmse.std, Math.sqrt((0.01 ** 2 + 0.01 ** 2) / 1), 'RMSE sd');
  close(erm.metrics.r2.mean, 0.59, 'R²');
  close(erm.metrics.mseDifference.mean, ((0.06 - 0.02) + (0.05 - 0.03)) / 2, 'ΔMSE');
  close(erm.metrics.meanPredictionDifference.mean, ((0.5 - 0.3) + (0.48 - 0.32)) / 2, 'Δ mean prediction');
  const groupA = erm.groups.find((group) => group.key === 'A')!;
  close(groupA.metrics.meanPrediction.mean, (0.3 + 0.32) / 2, 'group A mean prediction');
  close(groupA.metrics.mse.mean, (0.02 + 0.03) / 2, 'group A MSE');
  assert.deepEqual(Object.keys(groupA.metrics), ['mse', 'mae', 'meanPrediction', 'meanResidual']);
  const rmseAt = (epoch: number) => erm.curves.find((point) => point.metric === 'rmse' && point.epoch === epoch)!;
  close(rmseAt(1).mean, (0.2 + 0.1 + 0.22 + 0.1) / 2, 'validation RMSE, epoch 1');
  assert.deepEqual(erm.contribution, []);
});

test('RMSE is an error: lower is better on the Pareto front, normalised by ERM as error / ERM error', () => {
  for (const tradeoff of REGRESSION_TRADEOFFS) assert.equal(tradeoff.utilityBetter, metricDirection(tradeoff.utility), 'the registry decides the direction');
  const plane = study.tradeoffs.find((tradeoff) => tradeoff.tradeoff.id === 'rmse-mse')!;
  const point = (label: string) => plane.points.find((candidate) => candidate.label === label)!;
  const ermRmse = 0.21;
  const ermGap = 0.03;
  close(point('reweigh λ=1').normalisedUtility, 0.22 / ermRmse, 'RMSE/ERM');
  close(point('reweigh λ=1').normalisedGap, ((0.045 - 0.03) + (0.045 - 0.035)) / 2 / ermGap, 'ΔMSE/ERM');
  // (RMSE, ΔMSE): erm (0.21, 0.03), reweigh (0.22, 0.0125), penalty 0.1 (0.25, 0.01), penalty 0.4 (0.30, 0.03):
  // penalty 0.4 has erm's gap at a higher error, so it alone is dominated. The front runs by increasing gap.
  assert.deepEqual(plane.front.map((key) => study.configs.find((c) => c.key === key)!.label), ['penalty λ=0.1', 'reweigh λ=1', 'erm']);
  assert.equal(point('penalty λ=0.4').onFront, false);
  // Hypervolume scores an error as 2 − RMSE/ERM's; ERM (gap 1) and penalty 0.4 (gap 1) add nothing.
  const u = (rmse: number) => 2 - rmse / ermRmse;
  const gReweigh = 0.0125 / ermGap;
  const gPenalty = 0.01 / ermGap;
  close(plane.hypervolume.byMethod.reweigh, u(0.22) * (1 - gReweigh), 'reweigh hypervolume');
  close(plane.hypervolume.byMethod.penalty, u(0.25) * (1 - gPenalty), 'penalty hypervolume');
  assert.equal(plane.hypervolume.byMethod.erm, 0);
  close(plane.hypervolume.all, u(0.25) * (gReweigh - gPenalty) + u(0.22) * (1 - gReweigh), 'all methods');
  // In the mean-prediction plane penalty 0.4 has the smallest gap (0.01), so it is on that front.
  const prediction = study.tradeoffs.find((tradeoff) => tradeoff.tradeoff.id === 'rmse-mean-prediction')!;
  assert.ok(prediction.points.find((candidate) => candidate.label === 'penalty λ=0.4')!.onFront);
});

test('a classification study beside it keeps its own metrics and keys', () => {
  const mixed = aggregate([...entries, fakeEntry({ seed: 0 }, { accuracy: 0.8, ap: 0.7, dp: 0.2, eo: 0.4 })]);
  assert.deepEqual(mixed.studies.map((s) => s.task), ['regression', 'classification']);
  const classification = mixed.studies[1];
  assert.equal(classification.reference!.metrics.accuracy.mean, 0.8);
  assert.deepEqual(classification.tradeoffs.map((t) => t.tradeoff.id), ['ap-eo', 'accuracy-dp']);
  assert.equal(classification.key, aggregate([fakeEntry({ seed: 0 }, { accuracy: 0.8, ap: 0.7, dp: 0.2, eo: 0.4 })]).studies[0].key);
});

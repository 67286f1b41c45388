import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregate } from './aggregate.js';
import { compareWithFfb } from './ffb-reference.js';
import { fakeEntry } from './test-entries.js';

const close = (actual: number | null | undefined, expected: number, message?: string) =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-12, `${message ?? ''}: ${actual} vs ${expected}`);

// Two seeds each: erm, eor at two λ, and oversample; a second study (other protocol) that must stay apart.
const metrics = {
  erm: [{ accuracy: 0.8, ap: 0.7, dp: 0.2, eo: 0.4 }, { accuracy: 0.82, ap: 0.72, dp: 0.22, eo: 0.36 }],
  eor1: [{ accuracy: 0.78, ap: 0.69, dp: 0.1, eo: 0.1 }, { accuracy: 0.8, ap: 0.69, dp: 0.12, eo: 0.14 }],
  eor10: [{ accuracy: 0.7, ap: 0.6, dp: 0.05, eo: 0.3 }, { accuracy: 0.7, ap: 0.6, dp: 0.05, eo: 0.3 }],
  oversample: [{ accuracy: 0.81, ap: 0.75, dp: 0.3, eo: 0.5 }, { accuracy: 0.81, ap: 0.75, dp: 0.3, eo: 0.5 }],
};
const entries = [0, 1].flatMap((seed) => [
  fakeEntry({ seed, method: 'erm' }, metrics.erm[seed]),
  fakeEntry({ seed, method: 'eor', params: { lambda: 1 } }, metrics.eor1[seed]),
  fakeEntry({ seed, method: 'eor', params: { lambda: 10 } }, metrics.eor10[seed]),
  fakeEntry({ seed, method: 'oversample' }, metrics.oversample[seed]),
  fakeEntry({ seed, method: 'erm', protocol: 'ffb' }, metrics.erm[1 - seed]),
]);
const summary = aggregate(entries);
const study = summary.studies.find((candidate) => candidate.protocol === 'gcm')!;

test('trials that differ only in seed form one configuration; studies differ by protocol', () => {
  assert.equal(summary.trials, entries.length);
  assert.equal(summary.studies.length, 2);
  assert.deepEqual(study.configs.map((config) => [config.label, config.runs]), [['erm', 2], ['eor λ=1', 2], ['eor λ=10', 2], ['oversample', 2]]);
  assert.equal(study.reference?.label, 'erm');
});

test('per-configuration means and standard deviations over seeds', () => {
  const eor1 = study.configs[1];
  close(eor1.metrics.accuracy.mean, 0.79, 'accuracy mean');
  close(eor1.metrics.accuracy.std, Math.sqrt(((0.78 - 0.79) ** 2 + (0.8 - 0.79) ** 2) / 1), 'accuracy sd');
  close(eor1.metrics.equalizedOddsSum.mean, 0.12, 'ΔEO mean');
  assert.equal(eor1.lambda, 1);
  const minority = eor1.groups.find((group) => group.key === 'minority')!;
  close(minority.metrics.tpr.mean, 0.6, 'group TPR');
  assert.equal(minority.metrics.tpr.std, 0);
});

test('points are normalised by ERM (FFB) and the Pareto front and hypervolume follow from them', () => {
  const apEo = study.tradeoffs.find((tradeoff) => tradeoff.tradeoff.id === 'ap-eo')!;
  const point = (label: string) => apEo.points.find((candidate) => candidate.label === label)!;
  close(point('eor λ=1').normalisedUtility, 0.69 / 0.71, 'AP/ERM');
  close(point('eor λ=1').normalisedGap, 0.12 / 0.38, 'ΔEO/ERM');
  // eor λ=10 (AP 0.6, ΔEO 0.3) is dominated by eor λ=1 (0.69, 0.12); oversample has the best AP.
  assert.deepEqual(apEo.front.map((key) => study.configs.find((config) => config.key === key)!.label), ['eor λ=1', 'erm', 'oversample']);
  assert.equal(point('eor λ=10').onFront, false);
  // Only eor λ=1 is better than the reference (0, 1) on both axes: its rectangle is the eor hypervolume.
  close(apEo.hypervolume.byMethod.eor, (0.69 / 0.71) * (1 - 0.12 / 0.38), 'eor hypervolume');
  assert.equal(apEo.hypervolume.byMethod.erm, 0);
  assert.equal(apEo.hypervolume.byMethod.oversample, 0);
  close(apEo.hypervolume.all, apEo.hypervolume.byMethod.eor!, 'all');
});

test('training curves and contribution ratios are averaged per epoch over runs', () => {
  const erm = study.reference!;
  const accuracyAt = (epoch: number) => erm.curves.find((point) => point.metric === 'accuracy' && point.epoch === epoch)!;
  close(accuracyAt(1).mean, (0.8 - 0.1 + 0.82 - 0.1) / 2, 'epoch 1');
  close(accuracyAt(2).mean, (0.8 - 0.05 + 0.82 - 0.05) / 2, 'epoch 2');
  assert.equal(accuracyAt(2).runs, 2);
  const at = (statistic: string) => erm.contribution.find((point) => point.epoch === 2 && point.label === 1 && point.statistic === statistic)!;
  close(at('mean').mean, 0.6, 'ratio');
  close(at('median').mean, 0.5, 'median');
  assert.equal(at('mean').group, 'minority');
});

test('without an ERM run nothing is normalised and no hypervolume is given', () => {
  const alone = aggregate(entries.filter((entry) => entry.trial.method === 'eor')).studies[0];
  assert.equal(alone.reference, null);
  assert.equal(alone.tradeoffs[0].points[0].normalisedGap, null);
  assert.equal(alone.tradeoffs[0].hypervolume.all, null);
  assert.equal(alone.tradeoffs[0].front.length, 1);
  assert.ok(alone.configs.every((config) => config.versusReference === null));
});

test('seed runs and fold runs of the same setup are separate studies, and only the full FFB protocol meets FFB', () => {
  const seeds = [0, 1].map((seed) => fakeEntry({ seed }, metrics.erm[seed]));
  const folds = [0, 1].map((index) => fakeEntry({ fold: { index, of: 2 } }, metrics.erm[index]));
  const studies = aggregate([...seeds, ...folds]).studies;
  assert.deepEqual(studies.map((study) => [study.repeats, study.reference!.runs]), [['seeds', 2], ['2-fold', 2]]);
  const ffb = (training: Record<string, unknown>) =>
    aggregate([0, 1].map((seed) => fakeEntry({ seed, dataset: 'adult', sensitive: ['sex'], protocol: 'ffb', training }, metrics.erm[seed]))).studies[0];
  assert.notEqual(compareWithFfb(ffb({})), null);
  assert.equal(compareWithFfb(ffb({ epochs: 1 })), null, 'a shortened run is not set beside FFB Table 4');
});

test('each configuration\'s change against ERM pairs runs by seed and carries a t interval', () => {
  const eor1 = study.configs.find((config) => config.label === 'eor λ=1')!;
  assert.equal(study.reference!.versusReference, null);
  // Accuracy is 0.02 lower in both seeds: no spread, so the interval is the point and the change is beyond noise.
  close(eor1.versusReference!.accuracy.mean, -0.02, 'accuracy difference');
  assert.equal(eor1.versusReference!.accuracy.beyondNoise, true);
  // ΔEO differences −0.3 and −0.22: mean −0.26 ± t(0.975, 1)·sd/√2, with t(0.975, 1) = 12.7062047361747 (scipy).
  const eo = eor1.versusReference!.equalizedOddsSum;
  const half = 12.706204736174707 * (Math.sqrt(2 * 0.04 ** 2) / Math.sqrt(2));
  close(eo.mean, -0.26, 'ΔEO difference');
  close(eo.interval![0], -0.26 - half, 'lower end');
  close(eo.interval![1], -0.26 + half, 'upper end');
  assert.equal(eo.beyondNoise, false);
  assert.equal(eo.n, 2);
  // Pairing follows the seed, not the order of the journal.
  const shuffled = aggregate([...entries].reverse()).studies.find((candidate) => candidate.protocol === 'gcm')!;
  assert.deepEqual(shuffled.configs.find((config) => config.label === 'eor λ=1')!.versusReference, eor1.versusReference);
});

test('folds are runs: repeated folds pool per (seed, fold); cluster splits and a chosen cluster column are studies of their own', () => {
  const m = metrics.erm[0];
  const folds = (extra: Record<string, unknown>, seeds = [0]) =>
    seeds.flatMap((seed) => [0, 1].flatMap((index) => ['erm', 'oversample'].map((method) => fakeEntry({ seed, method, fold: { index, of: 2, ...extra } }, { ...m, accuracy: m.accuracy + index / 100 + seed / 10 }))));
  const byRepeats = aggregate([...folds({}, [0, 1]), ...folds({ clusterSplit: 'unseen' }), ...folds({ clusterSplit: 'seen' }), ...folds({}).map(({ trial: { id: _, ...spec } }) => fakeEntry({ ...spec, clusters: 'region' }, m))]).studies;
  assert.deepEqual(byRepeats.map((candidate) => [candidate.repeats, candidate.clusters ?? null, candidate.configs[0].runs]), [
    ['2-fold', null, 4],
    ['2-fold unseen-cluster', null, 2],
    ['2-fold seen-cluster', null, 2],
    ['2-fold', 'region', 2],
  ]);
  // Pairing by (seed, fold): oversample equals ERM in each of the 4 runs of the repeated study.
  assert.equal(byRepeats[0].configs[1].versusReference!.accuracy.n, 4);
});

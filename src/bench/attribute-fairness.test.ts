import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spreadByAttribute } from '../medl/attribute-spread.js';
import { aggregate } from './aggregate.js';
import { fairnessByAttribute } from './attribute-fairness.js';
import { fakeEntry } from './test-entries.js';
import { journalEntrySchema } from './trial.js';

// 120 rows over the intersections of sex {F, M} and race {A, B, C}, with labels and scores from a fixed LCG.
const keys = ['F|A', 'F|B', 'F|C', 'M|A', 'M|B', 'M|C'];
const groups = {
  attributes: ['sex', 'race'],
  keys,
  values: keys.map((key): Record<string, string> => ({ sex: key.split('|')[0], race: key.split('|')[1] })),
  ids: new Int32Array(120),
};
const yTrue = new Float64Array(120);
const scores = new Float64Array(120);
let state = 12345;
const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
for (let i = 0; i < 120; i++) {
  groups.ids[i] = i % 6;
  yTrue[i] = next() < 0.3 + 0.08 * (i % 6) ? 1 : 0;
  scores[i] = Math.min(0.99, Math.max(0.01, 0.25 * yTrue[i] + 0.1 * (i % 6 >= 3 ? 1 : 0) + 0.6 * next()));
}

/** TPR, FPR and selection rate per value of `attribute`, counted straight from the rows (prediction: score ≥ 0.5). */
function ratesByValue(attribute: string) {
  const counts = new Map<string, { tp: number; fn: number; fp: number; tn: number }>();
  for (let i = 0; i < yTrue.length; i++) {
    const value = groups.values[groups.ids[i]][attribute];
    const c = counts.get(value) ?? { tp: 0, fn: 0, fp: 0, tn: 0 };
    const predicted = scores[i] >= 0.5;
    if (yTrue[i] === 1) predicted ? c.tp++ : c.fn++;
    else predicted ? c.fp++ : c.tn++;
    counts.set(value, c);
  }
  return [...counts.values()].map((c) => {
    assert.ok(c.tp + c.fn > 0 && c.fp + c.tn > 0, 'every value has positives and negatives');
    return { tpr: c.tp / (c.tp + c.fn), fpr: c.fp / (c.fp + c.tn), selection: (c.tp + c.fp) / (c.tp + c.fn + c.fp + c.tn) };
  });
}
const populationStd = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
};
const range = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
const close = (actual: unknown, expected: number, message: string) =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-12, `${message}: ${actual} vs ${expected}`);

test('with two attributes, each attribute gets the metrics of its own values, counted independently from the rows', () => {
  const result = fairnessByAttribute({ yTrue, scores, groups })!;
  assert.deepEqual(Object.keys(result.byAttribute), ['sex', 'race']);
  for (const attribute of groups.attributes) {
    const rates = ratesByValue(attribute);
    const tprs = rates.map((r) => r.tpr);
    const fprs = rates.map((r) => r.fpr);
    const got = result.byAttribute[attribute];
    close(got.tprStd, populationStd(tprs), `${attribute} SD-TPR`);
    close(got.fprStd, populationStd(fprs), `${attribute} SD-FPR`);
    close(got.demographicParityDifference, range(rates.map((r) => r.selection)), `${attribute} DP difference`);
    close(got.equalizedOddsSum, range(tprs) + range(fprs), `${attribute} ΔEO`);
  }
  // The same SD-TPR and SD-FPR as `fairkit train` reports for the medl methods.
  for (const spread of spreadByAttribute({ yTrue, scores, groupIds: groups.ids, groups })) {
    assert.equal(result.byAttribute[spread.attribute].tprStd, spread.tprStd);
    assert.equal(result.byAttribute[spread.attribute].fprStd, spread.fprStd);
  }
  // The two attributes differ, so this is not the intersection's value copied.
  assert.notEqual(result.byAttribute.sex.tprStd, result.byAttribute.race.tprStd);
  assert.deepEqual(result.warnings, []);
});

test('with one attribute there is nothing to add: the trial\'s own metrics are that attribute\'s', () => {
  const single = { attributes: ['sex'], keys: ['F', 'M'], values: [{ sex: 'F' }, { sex: 'M' }], ids: Int32Array.from(groups.ids, (g) => (g >= 3 ? 1 : 0)) };
  assert.equal(fairnessByAttribute({ yTrue, scores, groups: single }), undefined);
});

test('journal rows with and without byAttribute both read and aggregate to the same tables', () => {
  const metrics = { accuracy: 0.8, ap: 0.7, dp: 0.2, eo: 0.4 };
  const old = [0, 1].map((seed) => fakeEntry({ seed }, metrics));
  const withField = old.map((entry) => {
    const byAttribute = fairnessByAttribute({ yTrue, scores, groups })!.byAttribute;
    return journalEntrySchema.parse({ ...entry, result: { ...entry.result, test: { ...entry.result.test, byAttribute } } });
  });
  assert.ok(old.every((entry) => journalEntrySchema.safeParse(entry).success && !('byAttribute' in entry.result.test)));
  assert.ok(withField.every((entry) => entry.result.test.byAttribute?.race !== undefined));
  const summary = aggregate(old);
  assert.equal(summary.trials, 2);
  close(summary.studies[0].configs[0].metrics.equalizedOddsSum.mean, 0.4, 'ΔEO mean of old rows');
  assert.deepEqual(aggregate(withField), summary);
});

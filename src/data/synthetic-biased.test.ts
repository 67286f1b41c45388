import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairkitError } from '../errors.js';
import { normalCdf } from './normal-quantile.js';
import { openDataset } from './open-dataset.js';
import { generateSynthetic } from './synthetic.js';
import { generateSyntheticBiased, LABEL_NOISE, type SyntheticBiasedTruth } from './synthetic-biased.js';
import type { LoadedDataset } from './types.js';
import { pearson } from './pearson.test-helper.js';

const strings = (d: LoadedDataset, name: string) => d.table.columns.get(name)!.values as string[];
const numbers = (d: LoadedDataset, name: string) => d.table.columns.get(name)!.values as Float64Array;

/** Share of rows with label 1 among the rows where `where` holds, with four standard errors of that share. */
function positiveRate(d: LoadedDataset, where: (row: number) => boolean, planted: number): { rate: number; tolerance: number } {
  const label = strings(d, 'label');
  let n = 0;
  let positives = 0;
  for (let row = 0; row < d.table.nRows; row++) {
    if (!where(row)) continue;
    n++;
    if (label[row] === '1') positives++;
  }
  return { rate: positives / n, tolerance: 4 * Math.sqrt((planted * (1 - planted)) / n) };
}

const large = generateSyntheticBiased({ rows: 40000, seed: 7 });
const truth = large.meta!.syntheticBiased as SyntheticBiasedTruth;
const group = strings(large, 'group');
const region = strings(large, 'region');

test('synthetic-biased: the same seed gives the same table, another seed another one', () => {
  assert.deepEqual(generateSyntheticBiased({ rows: 500, seed: 3 }).table, generateSyntheticBiased({ rows: 500, seed: 3 }).table);
  assert.notDeepEqual(generateSyntheticBiased({ rows: 500, seed: 3 }).table, generateSyntheticBiased({ rows: 500, seed: 4 }).table);
});

test('synthetic-biased: the planted rates follow from the options in closed form', () => {
  const { baseRate: p, underLabelling: q, southUnderLabelling: extra } = truth.options;
  assert.equal(truth.rates['minority|north'], p * (1 - q));
  assert.equal(truth.rates['minority|south'], p * (1 - q - extra));
  assert.ok(Math.abs(truth.rates.minority - p * (1 - 0.5 * q - 0.3 * (q + extra) - 0.2 * q)) < 1e-15);
  // The intercept makes the sites' rates average to the base rate.
  const siteRates = truth.siteEffects.map((_, k) => truth.rates[`majority|site-${k}`]);
  assert.ok(Math.abs(siteRates.reduce((a, b) => a + b, 0) / siteRates.length - p) < 1e-9);
  const withinSd = Math.sqrt(truth.weights.reduce((sum, w) => sum + w * w, 0) + LABEL_NOISE ** 2);
  assert.equal(truth.rates['majority|site-0'], normalCdf((truth.intercept + truth.siteEffects[0]) / withinSd));
});

test('synthetic-biased: recorded label rates by group and by group × region within four standard errors', () => {
  for (const key of ['majority', 'minority']) {
    const { rate, tolerance } = positiveRate(large, (row) => group[row] === key, truth.rates[key]);
    assert.ok(Math.abs(rate - truth.rates[key]) < tolerance, `${key}: ${rate} vs ${truth.rates[key]} ± ${tolerance}`);
  }
  for (const cell of ['majority|south', 'minority|north', 'minority|south', 'minority|east']) {
    const [g, r] = cell.split('|');
    const { rate, tolerance } = positiveRate(large, (row) => group[row] === g && region[row] === r, truth.rates[cell]);
    assert.ok(Math.abs(rate - truth.rates[cell]) < tolerance, `${cell}: ${rate} vs ${truth.rates[cell]} ± ${tolerance}`);
  }
});

test('synthetic-biased: the sites\' random intercepts show in the majority\'s label rates', () => {
  const site = strings(large, 'site');
  const last = truth.options.sites - 1;
  for (const k of [0, last]) {
    const planted = truth.rates[`majority|site-${k}`];
    const { rate, tolerance } = positiveRate(large, (row) => group[row] === 'majority' && site[row] === `site-${k}`, planted);
    assert.ok(Math.abs(rate - planted) < tolerance, `site-${k}: ${rate} vs ${planted} ± ${tolerance}`);
  }
  assert.ok(truth.rates[`majority|site-${last}`] - truth.rates['majority|site-0'] > 0.5, 'the sites differ widely');
});

test('synthetic-biased: proxy correlation and the groups\' measurement noise match the planted values', () => {
  const n = large.table.nRows;
  const isMajority = Float64Array.from(group, (g) => (g === 'majority' ? 1 : 0));
  const rho = truth.proxyCorrelation;
  // The sample correlation's standard error is about (1 − ρ²)/√n.
  assert.ok(Math.abs(pearson(numbers(large, 'proxy'), isMajority) - rho) < 4 * (1 - rho ** 2) / Math.sqrt(n));
  const x1 = numbers(large, 'x1');
  for (const key of ['majority', 'minority'] as const) {
    const values = x1.filter((_, row) => group[row] === key);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
    const planted = truth.featureVariance[key];
    // A normal sample variance has standard error σ²·√(2/(n − 1)).
    assert.ok(Math.abs(variance - planted) < 4 * planted * Math.sqrt(2 / (values.length - 1)), `${key}: ${variance} vs ${planted}`);
  }
});

test('synthetic-biased: spec keeps group and site out of the inputs; site is the cluster column', async () => {
  const opened = await openDataset({ dataset: 'synthetic-biased' });
  assert.equal(opened.table.nRows, 10000);
  assert.deepEqual(opened.spec.features, ['x1', 'x2', 'x3', 'x4', 'proxy', 'region']);
  assert.equal(opened.spec.cluster, 'site');
  assert.deepEqual(opened.table, generateSyntheticBiased({ seed: 42 }).table);
  const intersectional = await openDataset({ dataset: 'synthetic-biased', sensitive: ['group', 'region'] });
  assert.deepEqual(intersectional.spec.privileged, { group: 'majority', region: 'north' });
});

test('synthetic-biased: the old generator is unchanged and still the `synthetic` data set', async () => {
  const old = await openDataset({ dataset: 'synthetic' });
  assert.equal(old.table.nRows, 5000);
  assert.deepEqual(old.table, generateSynthetic({ seed: 42 }).table);
  // A fingerprint of the data behind the numbers documented for `synthetic` (as generated before synthetic-biased).
  const x1 = numbers(old, 'x1');
  assert.equal(strings(old, 'label').filter((label) => label === '1').length, 2168);
  assert.equal(x1[0], -1.5977705269839046);
  assert.equal(x1[4999], -0.5491765509656014);
});

test('synthetic-biased: invalid options are errors naming the option', () => {
  assert.throws(() => generateSyntheticBiased({ underLabelling: 0.6, southUnderLabelling: 0.5 }), (error: unknown) => error instanceof FairkitError && /southUnderLabelling/.test(error.message));
  assert.throws(() => generateSyntheticBiased({ minorityNoise: -1 }), /minorityNoise/);
  assert.throws(() => generateSyntheticBiased({ sites: 0 }), /sites/);
});

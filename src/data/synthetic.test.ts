import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairkitError } from '../errors.js';
import { generateSynthetic, syntheticScores, type SyntheticTruth } from './synthetic.js';
import type { LoadedDataset } from './types.js';
import { pearson } from './pearson.test-helper.js';

const strings = (d: LoadedDataset, name: string) => d.table.columns.get(name)!.values as string[];
const numbers = (d: LoadedDataset, name: string) => d.table.columns.get(name)!.values as Float64Array;

/** Share of rows with label 1 among rows where `where` holds, and how many such rows. */
function positiveRate(d: LoadedDataset, where: (row: number) => boolean): { rate: number; n: number } {
  const label = strings(d, 'label');
  let n = 0;
  let positives = 0;
  for (let row = 0; row < d.table.nRows; row++) {
    if (!where(row)) continue;
    n++;
    if (label[row] === '1') positives++;
  }
  return { rate: positives / n, n };
}

/** Four standard errors of a difference of two proportions. */
const gapTolerance = (p1: number, n1: number, p2: number, n2: number) => 4 * Math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);

function checkPlanted(options: Parameters<typeof generateSynthetic>[0]): void {
  const d = generateSynthetic(options);
  const truth = d.meta!.synthetic as SyntheticTruth;
  const { groupImbalance, labelShift, proxyStrength, majorityRate } = truth.options;
  const group = strings(d, 'group');
  const n = d.table.nRows;

  const minorityShare = group.filter((g) => g === 'minority').length / n;
  assert.ok(Math.abs(minorityShare - groupImbalance) < 4 * Math.sqrt(groupImbalance * (1 - groupImbalance) / n),
    `minority share ${minorityShare} vs ${groupImbalance}`);

  const majority = positiveRate(d, (row) => group[row] === 'majority');
  const minority = positiveRate(d, (row) => group[row] === 'minority');
  const tolerance = gapTolerance(majority.rate, majority.n, minority.rate, minority.n);
  assert.ok(Math.abs(majority.rate - majorityRate) < tolerance, `majority rate ${majority.rate} vs ${majorityRate}`);
  assert.ok(Math.abs(majority.rate - minority.rate - labelShift) < tolerance,
    `base-rate gap ${majority.rate - minority.rate} vs planted ${labelShift} (±${tolerance})`);

  const isMajority = Float64Array.from(group, (g) => (g === 'majority' ? 1 : 0));
  const correlation = pearson(numbers(d, 'proxy'), isMajority);
  assert.ok(Math.abs(correlation - proxyStrength) < 4 * (1 - proxyStrength ** 2) / Math.sqrt(n) + 4 / n,
    `proxy correlation ${correlation} vs ${proxyStrength}`);
}

test('the planted disparities appear with the default options', () => checkPlanted({ rows: 40000, seed: 7 }));

test('the planted disparities follow the options', () => {
  checkPlanted({ rows: 40000, seed: 8, groupImbalance: 0.1, labelShift: 0.35, majorityRate: 0.6, proxyStrength: 0.5 });
  checkPlanted({ rows: 40000, seed: 9, labelShift: 0, proxyStrength: 0, nFeatures: 1, noise: 0 });
  checkPlanted({ rows: 40000, seed: 10, labelShift: -0.15, groupImbalance: 0.5, regions: false });
});

test('region is a second sensitive column: south has the planted lower rate, and so do the intersections', () => {
  const d = generateSynthetic({ rows: 60000, seed: 11, regionShift: 0.15 });
  const truth = d.meta!.synthetic as SyntheticTruth;
  const group = strings(d, 'group');
  const region = strings(d, 'region');
  assert.deepEqual([...new Set(region)].sort(), ['east', 'north', 'south']);
  const south = positiveRate(d, (row) => region[row] === 'south');
  const others = positiveRate(d, (row) => region[row] !== 'south');
  assert.ok(Math.abs(others.rate - south.rate - 0.15) < gapTolerance(south.rate, south.n, others.rate, others.n));
  assert.ok(Math.abs(south.n / d.table.nRows - 0.3) < 0.01);
  for (const g of ['majority', 'minority']) {
    for (const r of ['north', 'south', 'east']) {
      const cell = positiveRate(d, (row) => group[row] === g && region[row] === r);
      const planted = truth.rates[`${g}|${r}`];
      assert.ok(Math.abs(cell.rate - planted) < 4 * Math.sqrt(planted * (1 - planted) / cell.n), `${g}|${r}: ${cell.rate} vs ${planted}`);
    }
  }
  assert.equal(generateSynthetic({ rows: 10, regions: false }).table.columns.has('region'), false);
});

test('features carry the latent signal; the proxy acts only through the group', () => {
  const d = generateSynthetic({ rows: 40000, seed: 12 });
  const label = Float64Array.from(strings(d, 'label'), (v) => Number(v));
  assert.ok(pearson(numbers(d, 'x1'), label) > 0.2);
  assert.ok(pearson(numbers(d, 'x2'), label) < -0.15);
  const segment = strings(d, 'segment');
  const rateA = positiveRate(d, (row) => segment[row] === 'A').rate;
  const rateD = positiveRate(d, (row) => segment[row] === 'D').rate;
  assert.ok(rateD - rateA > 0.2, `segment D ${rateD} vs A ${rateA}`);
  const group = strings(d, 'group');
  const rows = [...group.keys()].filter((row) => group[row] === 'majority');
  const withinGroup = pearson(rows.map((row) => numbers(d, 'proxy')[row]), rows.map((row) => label[row]));
  assert.ok(Math.abs(withinGroup) < 4 / Math.sqrt(rows.length), `proxy-label correlation within the majority: ${withinGroup}`);
  assert.equal(d.spec.features!.includes('group'), false);
  assert.ok(d.spec.features!.includes('proxy'));
});

test('same seed gives the identical table, another seed a different one', () => {
  const a = generateSynthetic({ rows: 500, seed: 3 });
  const b = generateSynthetic({ rows: 500, seed: 3 });
  const c = generateSynthetic({ rows: 500, seed: 4 });
  assert.deepEqual(a.table, b.table);
  assert.notDeepEqual(a.table.columns.get('x1'), c.table.columns.get('x1'));
  assert.notDeepEqual(a.table.columns.get('label'), c.table.columns.get('label'));
});

test('bad options are FairkitErrors naming the option', () => {
  const cases: [Parameters<typeof generateSynthetic>[0], RegExp][] = [
    [{ rows: 0 }, /rows/],
    [{ rows: 2.5 }, /rows/],
    [{ seed: 0.5 }, /seed/],
    [{ groupImbalance: 1 }, /groupImbalance/],
    [{ proxyStrength: 1 }, /proxyStrength/],
    [{ noise: -1 }, /noise/],
    [{ nFeatures: 0 }, /nFeatures/],
    [{ labelShift: Number.NaN }, /labelShift/],
    [{ majorityRate: 0.5, labelShift: 0.5 }, /minority in region south/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => generateSynthetic(options), (error: unknown) => error instanceof FairkitError && message.test(error.message),
      JSON.stringify(options));
  }
});

test('syntheticScores ranks by the signal but over-scores the majority beyond the label gap', () => {
  const d = generateSynthetic({ rows: 20000, seed: 13 });
  const group = strings(d, 'group');
  const label = strings(d, 'label');
  /** Mean over the majority minus mean over the minority. */
  const gapOf = (values: ArrayLike<number>) => {
    const sums = { majority: 0, minority: 0 };
    const counts = { majority: 0, minority: 0 };
    for (let row = 0; row < d.table.nRows; row++) {
      const g = group[row] as 'majority' | 'minority';
      sums[g] += values[row];
      counts[g]++;
    }
    return sums.majority / counts.majority - sums.minority / counts.minority;
  };
  const labelGap = gapOf(Float64Array.from(label, Number));
  const scores = syntheticScores(d);
  const fairer = syntheticScores(d, { majorityBonus: 0 });
  assert.ok(scores.every((s) => s > 0 && s < 1));
  assert.ok(gapOf(scores) > labelGap + 0.05, `score gap ${gapOf(scores)} vs label gap ${labelGap}`);
  assert.ok(gapOf(scores.map((s) => (s >= 0.5 ? 1 : 0))) > labelGap + 0.05);
  assert.ok(gapOf(fairer) < gapOf(scores) - 0.05);

  // AUC by ranks (Mann–Whitney): the score must carry the signal.
  const order = [...scores.keys()].sort((i, j) => scores[i] - scores[j]);
  let rankSum = 0;
  let positives = 0;
  order.forEach((row, rank) => { if (label[row] === '1') { rankSum += rank + 1; positives++; } });
  const negatives = order.length - positives;
  const auc = (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
  assert.ok(auc > 0.75, `AUC ${auc}`);

  const notSynthetic: LoadedDataset = { ...d, name: 'other', meta: undefined };
  assert.throws(() => syntheticScores(notSynthetic), /not made by generateSynthetic/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairkitError } from '../errors.js';
import {
  F_LAYER_REGRESSION_GRID,
  fLayerRegressionDataset,
  generateRegressionSynthetic,
  type RegressionSyntheticOptions,
  type RegressionSyntheticTruth,
} from './synthetic-regression.js';
import type { LoadedDataset } from './types.js';

const truthOf = (dataset: LoadedDataset) => dataset.meta!.syntheticRegression as RegressionSyntheticTruth;
const numeric = (dataset: LoadedDataset, name: string) => dataset.table.columns.get(name)!.values as Float64Array;
const groups = (dataset: LoadedDataset) => dataset.table.columns.get('x_protected')!.values as string[];

test('the grid is the paper\'s 32 data sets in the source\'s order, seeded 2i', () => {
  assert.equal(F_LAYER_REGRESSION_GRID.length, 32);
  assert.equal(new Set(F_LAYER_REGRESSION_GRID.map((e) => e.name)).size, 32);
  const first = F_LAYER_REGRESSION_GRID[0];
  assert.equal(first.name, 'dataset_01_low_low-medium_medium_loose_linear');
  assert.deepEqual(first.options, {
    rows: 40000, features: 150, groupShare: 0.2, signalStrength: 0.3, bias: 3, noise: 0.125, shape: 'linear',
    box: [-3.5, 3.5], seed: 0,
  });
  assert.equal(F_LAYER_REGRESSION_GRID[1].name, 'dataset_02_low_low-medium_medium_loose_nonlinear');
  assert.equal(F_LAYER_REGRESSION_GRID[31].name, 'dataset_32_balanced_high_high_tight_nonlinear');
  const last = F_LAYER_REGRESSION_GRID[31].options;
  assert.deepEqual([last.groupShare, last.signalStrength, last.bias, last.noise, last.box, last.seed], [0.5, 0.7, 6, 0.6, [0, 3.5], 62]);
  for (const entry of F_LAYER_REGRESSION_GRID) {
    // "Predictive power" moves the signal strength and the bias together.
    assert.equal(entry.options.bias, entry.options.signalStrength === 0.7 ? 6 : 3);
    assert.equal(entry.options.seed, 2 * entry.index);
  }
});

test('same seed, same data; another seed, other data; the model does not depend on the number of rows', () => {
  const options: RegressionSyntheticOptions = { rows: 300, features: 20, shape: 'nonlinear', seed: 7 };
  const a = generateRegressionSynthetic(options);
  const b = generateRegressionSynthetic(options);
  assert.deepEqual(a.table, b.table);
  assert.deepEqual(a.meta, b.meta);
  const c = generateRegressionSynthetic({ ...options, seed: 8 });
  assert.notDeepEqual(numeric(a, 'y_cont'), numeric(c, 'y_cont'));
  const bigger = truthOf(generateRegressionSynthetic({ ...options, rows: 500 }));
  const { signalColumns, linear, squares, interactions } = truthOf(a);
  assert.deepEqual({ signalColumns, linear, squares, interactions },
    { signalColumns: bigger.signalColumns, linear: bigger.linear, squares: bigger.squares, interactions: bigger.interactions });
});

test('shapes: x_protected, x0..x{d-1}, y_cont; counts of blocks, signal columns and terms follow the source', () => {
  const dataset = generateRegressionSynthetic({ rows: 1000, features: 150, shape: 'nonlinear', seed: 3 });
  const { table, spec } = dataset;
  assert.equal(table.nRows, 1000);
  assert.deepEqual(table.names, ['x_protected', ...Array.from({ length: 150 }, (_, j) => `x${j}`), 'y_cont']);
  assert.equal(table.columns.get('x_protected')!.kind, 'categorical');
  assert.ok(groups(dataset).every((g) => g === '0' || g === '1'));
  assert.equal(table.columns.get('y_cont')!.kind, 'numeric');
  assert.deepEqual(spec.sensitive, ['x_protected']);
  assert.equal(spec.target, 'y_cont');
  assert.equal(spec.positive, '');
  assert.equal(spec.features![0], 'x_protected');
  assert.equal(spec.features!.length, 151);
  assert.equal(dataset.spec.task, 'regression');
  const truth = truthOf(dataset);
  // 150 features: 7 blocks of 21 columns, then 3 independent ones; 25 signal columns; 10 linear, 15 squared, 7 pairs.
  assert.deepEqual(truth.blocks, Array.from({ length: 7 }, (_, b) => [21 * b, 21 * b + 21]));
  assert.equal(new Set(truth.signalColumns).size, 25);
  assert.equal(new Set(truth.linear.columns).size, 10);
  assert.equal(new Set(truth.squares.columns).size, 15);
  assert.equal(truth.interactions.length, 7);
  assert.ok(truth.interactions.every(({ a, b }) => a !== b));
  const linearOnly = truthOf(generateRegressionSynthetic({ rows: 50, features: 150, seed: 3 }));
  assert.deepEqual([linearOnly.squares.columns, linearOnly.interactions], [[], []]);
  // Features standardised; the target standardised before group 0 is multiplied by 0.85.
  for (const name of ['x0', 'x77', 'x149']) {
    const { mean, sd } = moments(numeric(dataset, name));
    assert.ok(Math.abs(mean) < 1e-12 && Math.abs(sd - 1) < 1e-12, name);
  }
  const g = groups(dataset);
  const unscaled = numeric(dataset, 'y_cont').map((v, i) => (g[i] === '0' ? v / 0.85 : v));
  const { mean, sd } = moments(unscaled);
  assert.ok(Math.abs(mean) < 1e-12 && Math.abs(sd - 1) < 1e-12);
  let outside = 0;
  for (const v of numeric(dataset, 'y_cont')) if (v < -3.5 || v > 3.5) outside++;
  assert.equal(truth.boxViolationRate, outside / 1000);
});

/**
 * The planted bias, against a closed form from the spec's distributions. Features are jointly normal, zero-mean,
 * unit-variance, with correlation R (0.3 within a block, divided by the signal columns' extra variance
 * 1 + (0.5·s)²), and independent of the group (the signal is symmetric noise). So, with S the score,
 * y_raw = S + b(2A − 1) + e has var V = Var S + σ² + 4b²p(1 − p), and after standardising and shrinking group 0
 * the group means are 2b(1 − p)/√V (group 1) and −0.85·2bp/√V (group 0): gap = 2b(1 − 0.15p)/√V.
 * p is the observed group share (conditioning on the group counts, which the target does not affect).
 */
function expectedGap(truth: RegressionSyntheticTruth, p: number): { gap: number; withinVar: number; totalVar: number } {
  const { bias: b, noise, signalStrength, features: d } = truth.options;
  const R = correlation(truth, d, signalStrength);
  const scoreVar = scoreVariance(truth, R);
  const totalVar = scoreVar + noise ** 2 + 4 * b * b * p * (1 - p);
  return { gap: (2 * b * (1 - 0.15 * p)) / Math.sqrt(totalVar), withinVar: (scoreVar + noise ** 2) / totalVar, totalVar };
}

function correlation(truth: RegressionSyntheticTruth, d: number, strength: number): number[][] {
  const variance = new Array<number>(d).fill(1);
  for (const j of truth.signalColumns) variance[j] = 1 + (0.5 * strength) ** 2;
  const blockOf = new Array<number>(d).fill(-1);
  truth.blocks.forEach(([start, end], b) => { for (let j = start; j < end; j++) blockOf[j] = b; });
  return Array.from({ length: d }, (_, j) => Array.from({ length: d }, (_, k) =>
    j === k ? 1 : blockOf[j] >= 0 && blockOf[j] === blockOf[k] ? 0.3 / Math.sqrt(variance[j] * variance[k]) : 0));
}

/** Var of 0.7·L + 0.2·Σa x² + 0.1·Σc x x′ for jointly normal x (Isserlis), or of L alone for a linear score. */
function scoreVariance(truth: RegressionSyntheticTruth, R: number[][]): number {
  const { linear, squares, interactions } = truth;
  let varLinear = 0;
  linear.columns.forEach((j, m) => linear.columns.forEach((k, n) => { varLinear += linear.coefficients[m] * linear.coefficients[n] * R[j][k]; }));
  if (truth.options.shape === 'linear') return varLinear;
  let varSquares = 0;
  squares.columns.forEach((j, m) => squares.columns.forEach((k, n) => {
    varSquares += squares.coefficients[m] * squares.coefficients[n] * 2 * R[j][k] ** 2;
  }));
  let varInteractions = 0;
  for (const u of interactions) {
    for (const v of interactions) varInteractions += u.coefficient * v.coefficient * (R[u.a][v.a] * R[u.b][v.b] + R[u.a][v.b] * R[u.b][v.a]);
  }
  let covSquaresInteractions = 0;
  squares.columns.forEach((k, m) => {
    for (const u of interactions) covSquaresInteractions += squares.coefficients[m] * u.coefficient * 2 * R[k][u.a] * R[k][u.b];
  });
  // The linear part is uncorrelated with both (odd moments of a zero-mean normal vanish).
  return 0.49 * varLinear + 0.04 * varSquares + 0.01 * varInteractions + 2 * 0.2 * 0.1 * covSquaresInteractions;
}

for (const index of [0, 1, 22, 31]) {
  test(`the planted gap of grid data set ${index} matches the closed form within sampling error`, () => {
    const dataset = fLayerRegressionDataset(index);
    const truth = truthOf(dataset);
    const g = groups(dataset);
    const y = numeric(dataset, 'y_cont');
    const n1 = g.filter((v) => v === '1').length;
    const n0 = g.length - n1;
    const p = n1 / g.length;
    // The group shares themselves: binomial, within 4 standard errors of the configured share.
    const share = truth.options.groupShare;
    assert.ok(Math.abs(p - share) < 4 * Math.sqrt((share * (1 - share)) / g.length));
    const mean1 = y.reduce((sum, v, i) => sum + (g[i] === '1' ? v : 0), 0) / n1;
    const mean0 = y.reduce((sum, v, i) => sum + (g[i] === '0' ? v : 0), 0) / n0;
    const { gap, withinVar, totalVar } = expectedGap(truth, p);
    // Standard error: the two group means (within-group variance withinVar, ×0.85² for group 0), plus the error
    // of the sample sd used to standardise (relative sd ≈ √((κ − 1)/4n); κ ≤ 9 bounds the kurtosis here).
    const se = Math.sqrt(withinVar / n1 + (0.85 ** 2 * withinVar) / n0) + gap * Math.sqrt(8 / (4 * g.length));
    assert.ok(Math.abs(mean1 - mean0 - gap) < 4 * se, `gap ${mean1 - mean0} vs closed form ${gap} ± ${4 * se}`);
    // Undoing the standardisation recovers the raw bias 2b between the groups, to the noise of the group means.
    const rawGap = (mean1 - mean0 / 0.85) * truth.rawTargetSd;
    const rawSe = Math.sqrt(withinVar * totalVar * (1 / n1 + 1 / n0));
    assert.ok(Math.abs(rawGap - 2 * truth.options.bias) < 4 * rawSe, `raw gap ${rawGap} vs ${2 * truth.options.bias}`);
    // The sample sd used to standardise agrees with the closed-form √V.
    assert.ok(Math.abs(truth.rawTargetSd / Math.sqrt(totalVar) - 1) < 4 * Math.sqrt(8 / (4 * g.length)));
  });
}

test('no bias, no gap: with bias 0 the group means agree (within sampling error)', () => {
  const dataset = generateRegressionSynthetic({ rows: 20000, features: 30, bias: 0, groupShare: 0.5, seed: 11 });
  const g = groups(dataset);
  const y = numeric(dataset, 'y_cont');
  const n1 = g.filter((v) => v === '1').length;
  const mean1 = y.reduce((s, v, i) => s + (g[i] === '1' ? v : 0), 0) / n1;
  const mean0 = y.reduce((s, v, i) => s + (g[i] === '0' ? v : 0), 0) / (g.length - n1);
  assert.ok(Math.abs(mean1 - mean0) < 4 * Math.sqrt(1 / n1 + 1 / (g.length - n1)));
});

test('the group signal leaves the features\' law the same in both groups (as in the source)', () => {
  const dataset = generateRegressionSynthetic({ rows: 40000, features: 30, signalStrength: 0.7, groupShare: 0.5, seed: 5 });
  const g = groups(dataset);
  for (const j of truthOf(dataset).signalColumns) {
    const x = numeric(dataset, `x${j}`);
    const by = (value: string) => moments(x.filter((_, i) => g[i] === value));
    const [a, b] = [by('0'), by('1')];
    assert.ok(Math.abs(a.mean - b.mean) < 4 * Math.sqrt(2 / 20000), `x${j} means ${a.mean} ${b.mean}`);
    assert.ok(Math.abs(a.sd - b.sd) < 0.04, `x${j} sds ${a.sd} ${b.sd}`);
  }
});

test('invalid options are FairkitErrors naming the option and the rule', () => {
  const cases: [RegressionSyntheticOptions, RegExp][] = [
    [{ rows: 1 }, /option rows must be an integer >= 2/],
    [{ rows: 10.5 }, /option rows/],
    [{ features: 9 }, /option features must be an integer >= 10, got 9/],
    [{ groupShare: 1 }, /option groupShare must be in \(0, 1\), got 1/],
    [{ groupShare: 0 }, /option groupShare/],
    [{ signalStrength: -0.1 }, /option signalStrength must be a finite number >= 0/],
    [{ bias: -3 }, /option bias must be a finite number >= 0/],
    [{ noise: Number.NaN }, /option noise/],
    [{ shape: 'cubic' as 'linear' }, /option shape must be "linear" or "nonlinear", got "cubic"/],
    [{ box: [3.5, 0] }, /option box must be two finite numbers/],
    [{ seed: 0.5 }, /option seed must be an integer/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => generateRegressionSynthetic({ rows: 10, ...options }), (error: unknown) =>
      error instanceof FairkitError && message.test(error.message) && /generateRegressionSynthetic/.test(error.message),
    JSON.stringify(options));
  }
  assert.throws(() => fLayerRegressionDataset(32), (error: unknown) =>
    error instanceof FairkitError && /no F-Layer regression data set 32/.test(error.message) && /from 0 to 31/.test(error.message));
  assert.throws(() => fLayerRegressionDataset('dataset_99'), FairkitError);
  // A grid entry with overrides keeps its name and grid facts.
  const small = fLayerRegressionDataset('dataset_05_low_low-medium_high_loose_linear', { rows: 100 });
  assert.equal(small.name, 'dataset_05_low_low-medium_high_loose_linear');
  assert.equal(small.table.nRows, 100);
  assert.equal(truthOf(small).options.seed, 8);
  assert.equal(truthOf(small).options.noise, 0.6);
});

function moments(values: ArrayLike<number>): { mean: number; sd: number } {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / values.length) };
}

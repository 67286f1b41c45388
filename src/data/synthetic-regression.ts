import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import type { Column, LoadedDataset, ProblemSpec, Table } from './types.js';

/**
 * The F-Layer paper's synthetic regression data with a planted group bias (docs/datasets.md,
 * "Synthetic regression"; specs/methods.md §3 (v); the authors' FairDL-ICML-2026 @0e9a898,
 * synthetic_experiments/data_generation.py, which this follows step by step).
 *
 * Per data set: a binary group A ~ Bernoulli(groupShare); `features` standard-normal columns in equicorrelated
 * blocks (correlation 0.3); a "group signal" added to some columns; every column standardised; a linear or
 * nonlinear score of the features; target = score + bias·(2A − 1) + N(0, noise²), standardised, then group 0
 * multiplied by 0.85. The box is the F-Layer's output bound, recorded (with how often the target leaves it)
 * but not applied to the data, as in the source.
 *
 * numpy's random streams cannot be reproduced, so the data sets match the paper's in distribution, not value.
 */
export interface RegressionSyntheticOptions {
  /** Number of rows (paper: 40,000). */
  rows?: number;
  /** Number of numeric features x0..x{d-1} (paper: 150). */
  features?: number;
  /** P(A = 1), the share of group 1 (paper: 0.2 "low" or 0.5 "balanced"). */
  groupShare?: number;
  /** Scale of the group-signed noise added to the signal columns (paper: 0.3 "low-medium" or 0.7 "high"). */
  signalStrength?: number;
  /** Raw target shift: +bias for group 1, −bias for group 0, before standardising (paper: 3 or 6). */
  bias?: number;
  /** Standard deviation of the target noise, before standardising (paper: 0.125 "medium" or 0.6 "high"). */
  noise?: number;
  /** Score of the features: 'linear' (sparse) or 'nonlinear' (0.7·linear + 0.2·squares + 0.1·interactions). */
  shape?: 'linear' | 'nonlinear';
  /** The F-Layer's output box [lower, upper] (paper: [−3.5, 3.5] "loose" or [0, 3.5] "tight"); metadata only. */
  box?: [number, number];
  /** Seed of the random source (paper: 2i for data set i). */
  seed?: number;
}

export const regressionSyntheticDefaults: Required<RegressionSyntheticOptions> = {
  rows: 40_000,
  features: 150,
  groupShare: 0.2,
  signalStrength: 0.3,
  bias: 3,
  noise: 0.125,
  shape: 'linear',
  box: [-3.5, 3.5],
  seed: 0,
};

/** Fixed constants of the source generator. */
export const REGRESSION_SYNTHETIC_CONSTANTS = {
  /** Within-block correlation of the base features. */
  blockCorrelation: 0.3,
  /** Standard deviation of the noise that the group signal multiplies. */
  signalNoiseSd: 0.5,
  /** Standard deviation of the squared-term and interaction coefficients (linear ones: 1). */
  nonlinearCoefficientSd: 0.4,
  /** Weights of the linear, squared and interaction parts of the nonlinear score. */
  nonlinearWeights: [0.7, 0.2, 0.1] as const,
  /** Group 0's target is multiplied by this after standardising ("slightly lower variance for group 0"). */
  group0Scale: 0.85,
};

/** The column names of the source's DataFrame: `x_protected` (0/1), `x0..x{d-1}`, `y_cont`. */
export const REGRESSION_SENSITIVE = 'x_protected';
export const REGRESSION_TARGET = 'y_cont';

/** What was drawn and planted, stored as `meta.syntheticRegression`, enough to recompute the target's law. */
export interface RegressionSyntheticTruth {
  options: Required<RegressionSyntheticOptions>;
  /** Feature blocks as [start, end) column ranges; columns after the last block are independent. */
  blocks: [number, number][];
  /** Columns that received the group signal. */
  signalColumns: number[];
  linear: { columns: number[]; coefficients: number[] };
  /** Squared terms and interactions (empty for 'linear'). */
  squares: { columns: number[]; coefficients: number[] };
  interactions: { a: number; b: number; coefficient: number }[];
  /** Mean and population standard deviation of the raw target, used to standardise it. */
  rawTargetMean: number;
  rawTargetSd: number;
  /** Share of rows whose final target lies outside the box (the source's `violation_rate`). */
  boxViolationRate: number;
}

/** Generate one F-Layer synthetic regression data set. All randomness comes from `Rng(seed)`. */
export function generateRegressionSynthetic(options: RegressionSyntheticOptions = {}): LoadedDataset {
  const settings = validate({ ...regressionSyntheticDefaults, ...definedOnly(options) });
  const { rows, features: d, groupShare, signalStrength, bias, noise, shape, seed } = settings;
  const C = REGRESSION_SYNTHETIC_CONSTANTS;
  const root = new Rng(seed);
  // The model (which columns matter, coefficients) has its own stream, drawn first, so that it depends on the
  // seed and the dimension only, not on the number of rows (the source also reseeds before drawing it).
  const modelRng = root.fork();
  const dataRng = root.fork();
  const model = drawModel(modelRng, d, shape);

  // 1. Groups.
  const group = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) group[i] = dataRng.uniform() < groupShare ? 1 : 0;

  // 2. Base features in blocks: n_blocks = max(1, ⌊d/20⌋) blocks of ⌊d/n_blocks⌋ columns (150 → 7 blocks of 21,
  // plus 3 independent columns). One shared factor gives exactly the equicorrelated normal law of the source's
  // Cholesky draw: x_j = √ρ·w + √(1−ρ)·z_j.
  const x = Array.from({ length: d }, () => new Float64Array(rows));
  const nBlocks = Math.max(1, Math.floor(d / 20));
  const blockSize = Math.floor(d / nBlocks);
  const blocks: [number, number][] = Array.from({ length: nBlocks }, (_, b) => [b * blockSize, (b + 1) * blockSize]);
  const shared = Math.sqrt(C.blockCorrelation);
  const own = Math.sqrt(1 - C.blockCorrelation);
  for (let i = 0; i < rows; i++) {
    for (const [start, end] of blocks) {
      const w = dataRng.normal();
      for (let j = start; j < end; j++) x[j][i] = shared * w + own * dataRng.normal();
    }
    for (let j = nBlocks * blockSize; j < d; j++) x[j][i] = dataRng.normal();
  }

  // 3. Group signal, as in the source: x_j += strength·(2A − 1)·N(0, 0.5²). The noise is symmetric, so this
  // widens the column but leaves its law the same in both groups (see docs: the features carry no group signal).
  for (const j of model.signalColumns) {
    for (let i = 0; i < rows; i++) x[j][i] += signalStrength * (2 * group[i] - 1) * C.signalNoiseSd * dataRng.normal();
  }

  // 4. Standardise every column (population standard deviation, as sklearn's StandardScaler).
  for (const column of x) standardise(column);

  // 5. Score, group bias and noise; standardise; shrink group 0.
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = score(model, x, i) + bias * (2 * group[i] - 1) + noise * dataRng.normal();
  }
  const { mean: rawTargetMean, sd: rawTargetSd } = standardise(y);
  if (!(rawTargetSd > 0)) {
    throw new FairkitError('the target is constant, so it cannot be standardised', {
      where: 'generateRegressionSynthetic',
      fix: 'Use more rows or a positive noise or bias',
    });
  }
  for (let i = 0; i < rows; i++) if (group[i] === 0) y[i] *= C.group0Scale;
  const [lower, upper] = settings.box;
  let outside = 0;
  for (let i = 0; i < rows; i++) if (y[i] < lower || y[i] > upper) outside++;

  const featureNames = x.map((_, j) => `x${j}`);
  const columns: [string, Column][] = [
    [REGRESSION_SENSITIVE, { kind: 'categorical', values: Array.from(group, (a) => String(a)) }],
    ...featureNames.map((name, j): [string, Column] => [name, { kind: 'numeric', values: x[j] }]),
    [REGRESSION_TARGET, { kind: 'numeric', values: y }],
  ];
  const table: Table = { names: columns.map(([name]) => name), columns: new Map(columns), nRows: rows };
  const spec: ProblemSpec = {
    target: REGRESSION_TARGET,
    task: 'regression',
    // Regression: no positive value.
    positive: '',
    sensitive: [REGRESSION_SENSITIVE],
    // Group 1 is the one the bias raises.
    privileged: { [REGRESSION_SENSITIVE]: '1' },
    // As in the paper: the protected attribute is an input, column 0 of X (151 inputs for d = 150).
    features: [REGRESSION_SENSITIVE, ...featureNames],
    sensitiveAsFeature: true,
  };
  const truth: RegressionSyntheticTruth = {
    options: settings,
    blocks,
    ...model,
    rawTargetMean,
    rawTargetSd,
    boxViolationRate: outside / rows,
  };
  return {
    name: 'synthetic-regression',
    table,
    spec,
    description: describe(settings),
    meta: { syntheticRegression: truth },
  };
}

type Model = Pick<RegressionSyntheticTruth, 'signalColumns' | 'linear' | 'squares' | 'interactions'>;

/** Column choices and coefficients, with the source's counts: min(50, ⌊d/6⌋) signal columns, etc. */
function drawModel(rng: Rng, d: number, shape: 'linear' | 'nonlinear'): Model {
  const signalColumns = choose(rng, d, Math.min(50, Math.floor(d / 6)));
  const linearColumns = choose(rng, d, Math.min(10, Math.floor(d / 10)));
  const linear = { columns: linearColumns, coefficients: linearColumns.map(() => rng.normal()) };
  if (shape === 'linear') return { signalColumns, linear, squares: { columns: [], coefficients: [] }, interactions: [] };
  const sd = REGRESSION_SYNTHETIC_CONSTANTS.nonlinearCoefficientSd;
  const squareColumns = choose(rng, d, Math.min(15, Math.floor(d / 10)));
  const squares = { columns: squareColumns, coefficients: squareColumns.map(() => sd * rng.normal()) };
  // Each interaction is a pair of distinct columns, drawn independently (pairs may repeat, as in the source).
  const interactions = Array.from({ length: Math.min(10, Math.floor(d / 20)) }, () => {
    const [a, b] = choose(rng, d, 2);
    return { a, b, coefficient: sd * rng.normal() };
  });
  return { signalColumns, linear, squares, interactions };
}

function score(model: Model, x: Float64Array[], i: number): number {
  let linear = 0;
  for (let k = 0; k < model.linear.columns.length; k++) linear += model.linear.coefficients[k] * x[model.linear.columns[k]][i];
  if (model.squares.columns.length === 0 && model.interactions.length === 0) return linear;
  let squares = 0;
  for (let k = 0; k < model.squares.columns.length; k++) squares += model.squares.coefficients[k] * x[model.squares.columns[k]][i] ** 2;
  let interactions = 0;
  for (const { a, b, coefficient } of model.interactions) interactions += coefficient * x[a][i] * x[b][i];
  const [wLinear, wSquares, wInteractions] = REGRESSION_SYNTHETIC_CONSTANTS.nonlinearWeights;
  return wLinear * linear + wSquares * squares + wInteractions * interactions;
}

/** k distinct indices of 0..n-1 in random order (a partial Fisher–Yates shuffle, as numpy's choice without replacement). */
function choose(rng: Rng, n: number, k: number): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k);
}

/** In place: (v − mean)/sd with the population sd; a constant column becomes 0 (as StandardScaler). */
function standardise(values: Float64Array): { mean: number; sd: number } {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let sumSquares = 0;
  for (const v of values) sumSquares += (v - mean) ** 2;
  const sd = Math.sqrt(sumSquares / values.length);
  const scale = sd > 0 ? sd : 1;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] - mean) / scale;
  return { mean, sd };
}

/** One configuration of the paper's 32-data-set grid. */
export interface RegressionGridEntry {
  /** 0-based index i, as in the source. */
  index: number;
  /** The source's name, e.g. `dataset_01_low_low-medium_medium_loose_linear`. */
  name: string;
  groupSplit: 'low' | 'balanced';
  predictivePower: 'low-medium' | 'high';
  noiseLevel: 'medium' | 'high';
  constraint: 'loose' | 'tight';
  shape: 'linear' | 'nonlinear';
  /** The generator options, with the paper's seed 2i, 40,000 rows and 150 features. */
  options: Required<RegressionSyntheticOptions>;
}

/**
 * The paper's 2⁵ = 32 data sets, in the source's order (itertools.product of group split, predictive power,
 * noise, constraint tightness, shape; the last varies fastest). "Predictive power" sets two things at once:
 * low-medium = signal strength 0.3 and bias ±3, high = 0.7 and ±6.
 */
export const F_LAYER_REGRESSION_GRID: readonly RegressionGridEntry[] = buildGrid();

function buildGrid(): RegressionGridEntry[] {
  const entries: RegressionGridEntry[] = [];
  for (const groupSplit of ['low', 'balanced'] as const) {
    for (const predictivePower of ['low-medium', 'high'] as const) {
      for (const noiseLevel of ['medium', 'high'] as const) {
        for (const constraint of ['loose', 'tight'] as const) {
          for (const shape of ['linear', 'nonlinear'] as const) {
            const index = entries.length;
            const high = predictivePower === 'high';
            entries.push({
              index,
              name: `dataset_${String(index + 1).padStart(2, '0')}_${groupSplit}_${predictivePower}_${noiseLevel}_${constraint}_${shape}`,
              groupSplit, predictivePower, noiseLevel, constraint, shape,
              options: {
                rows: 40_000,
                features: 150,
                groupShare: groupSplit === 'low' ? 0.2 : 0.5,
                signalStrength: high ? 0.7 : 0.3,
                bias: high ? 6 : 3,
                noise: noiseLevel === 'medium' ? 0.125 : 0.6,
                shape,
                box: constraint === 'loose' ? [-3.5, 3.5] : [0, 3.5],
                // The source runs generate_dataset_by_index(i, random_state=i), which seeds with random_state + i.
                seed: 2 * index,
              },
            });
          }
        }
      }
    }
  }
  return entries;
}

/** Data set `index` (0..31) of the grid, or the one with that name; `overrides` e.g. `{ rows: 5000 }` for tests. */
export function fLayerRegressionDataset(
  which: number | string,
  overrides: RegressionSyntheticOptions = {},
): LoadedDataset {
  const entry = typeof which === 'number'
    ? F_LAYER_REGRESSION_GRID[which]
    : F_LAYER_REGRESSION_GRID.find((candidate) => candidate.name === which);
  if (!entry || (typeof which === 'number' && !Number.isInteger(which))) {
    throw new FairkitError(`no F-Layer regression data set ${JSON.stringify(which)}`, {
      where: 'fLayerRegressionDataset',
      fix: `Use an index from 0 to ${F_LAYER_REGRESSION_GRID.length - 1} or a name such as ${F_LAYER_REGRESSION_GRID[0].name}`,
    });
  }
  const dataset = generateRegressionSynthetic({ ...entry.options, ...definedOnly(overrides) });
  return { ...dataset, name: entry.name, meta: { ...dataset.meta, grid: entry } };
}

function describe(s: Required<RegressionSyntheticOptions>): string {
  return (
    `F-Layer synthetic regression (seed ${s.seed}, ${s.rows} rows, ${s.features} numeric features x0..x${s.features - 1} ` +
    `standardised, in equicorrelated blocks of correlation 0.3): group x_protected = "1" with probability ${s.groupShare}, ` +
    `group-signed noise of strength ${s.signalStrength} on ${Math.min(50, Math.floor(s.features / 6))} features, ` +
    `a ${s.shape} score, a planted bias of +${s.bias} for group 1 and -${s.bias} for group 0 and noise sd ${s.noise}; ` +
    `the target y_cont is then standardised and group 0's values multiplied by 0.85. Regression (no positive value); ` +
    `sensitive x_protected (0/1 as strings), also an input; box [${s.box.join(', ')}] recorded for the F-Layer, not applied.`
  );
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function validate(s: Required<RegressionSyntheticOptions>): Required<RegressionSyntheticOptions> {
  const fail = (option: string, rule: string, value: unknown): never => {
    throw new FairkitError(`option ${option} must be ${rule}, got ${JSON.stringify(value)}`, {
      where: 'generateRegressionSynthetic',
    });
  };
  const finiteAtLeastZero = (value: number) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
  if (!Number.isInteger(s.rows) || s.rows < 2) fail('rows', 'an integer >= 2 (the target is standardised)', s.rows);
  // At least 10 features, so that the sparse linear part (⌊d/10⌋ columns) is not empty.
  if (!Number.isInteger(s.features) || s.features < 10) fail('features', 'an integer >= 10', s.features);
  if (!(s.groupShare > 0 && s.groupShare < 1)) fail('groupShare', 'in (0, 1)', s.groupShare);
  if (!finiteAtLeastZero(s.signalStrength)) fail('signalStrength', 'a finite number >= 0', s.signalStrength);
  if (!finiteAtLeastZero(s.bias)) fail('bias', 'a finite number >= 0 (group 1 is raised, group 0 lowered)', s.bias);
  if (!finiteAtLeastZero(s.noise)) fail('noise', 'a finite number >= 0', s.noise);
  if (s.shape !== 'linear' && s.shape !== 'nonlinear') fail('shape', '"linear" or "nonlinear"', s.shape);
  if (!Array.isArray(s.box) || s.box.length !== 2 || !s.box.every(Number.isFinite) || !(s.box[0] < s.box[1])) {
    fail('box', 'two finite numbers [lower, upper] with lower < upper', s.box);
  }
  if (!Number.isInteger(s.seed)) fail('seed', 'an integer', s.seed);
  return s;
}

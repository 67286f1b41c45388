import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { normalDensity, normalQuantile } from './normal-quantile.js';
import type { Column, LoadedDataset, ProblemSpec, Table } from './types.js';

/**
 * Biased synthetic tabular data with known, planted disparities (docs/datasets.md, "synthetic").
 *
 * Per row: group ~ Bernoulli(groupImbalance) ("minority" / "majority"); region ∈ {north, south, east} with
 * probabilities 0.5 / 0.3 / 0.2, independent of group; informative features x_j ~ N(0, 1) and a hidden
 * u ~ N(0, 1) observed only as its quartile `segment` (A < B < C < D); noise ε ~ N(0, noise²). The latent
 * score z = Σ w_j x_j + w_u u + ε is N(0, σ²) in every group and region, so with the intercept
 * b = σ Φ⁻¹(p) the label 1[z + b > 0] has P(label = 1) = p exactly. p is the planted base rate:
 * majorityRate for the majority, majorityRate − labelShift for the minority, and in region south
 * regionShift lower than in north and east (the region offsets average to zero, so the group rates hold).
 * The proxy = ρ·standardised(1[majority]) + √(1−ρ²)·N(0, 1) has correlation ρ = proxyStrength with
 * 1[majority] and no direct effect on the label: a model denied `group` recovers the gap through it.
 */
export interface SyntheticOptions {
  /** Number of rows (default 5000). */
  rows?: number;
  /** Seed of the random source (default 42). */
  seed?: number;
  /** Share of the minority group, in (0, 1) (default 0.3). */
  groupImbalance?: number;
  /** P(label=1 | majority) − P(label=1 | minority) (default 0.2). */
  labelShift?: number;
  /** P(label=1 | majority) (default 0.5). */
  majorityRate?: number;
  /** Correlation of the `proxy` column with 1[group = majority], in [0, 1) (default 0.8). */
  proxyStrength?: number;
  /** Number of informative numeric features x1..xk (default 4). */
  nFeatures?: number;
  /** Standard deviation of the latent noise; larger means labels are harder to predict (default 1). */
  noise?: number;
  /** Add the three-valued `region` column, a second sensitive attribute for intersectional work (default true). */
  regions?: boolean;
  /** How much lower P(label=1) is in region south than in north and east (default 0.1). */
  regionShift?: number;
}

export const REGIONS = ['north', 'south', 'east'] as const;
export const REGION_SHARES = [0.5, 0.3, 0.2];
const SEGMENTS = ['A', 'B', 'C', 'D'];
const SEGMENT_WEIGHT = 0.8;

/** Everything needed to know what was planted; stored as `meta.synthetic`. */
export interface SyntheticTruth {
  options: Required<SyntheticOptions>;
  /** Weights of x1..xk in the latent score. */
  weights: number[];
  segmentWeight: number;
  /** Standard deviation of the latent score z (the same in every group). */
  latentSd: number;
  /** Planted P(label = 1) per group, per region and per "group|region" cell. */
  rates: Record<string, number>;
  /** Expected correlation of `proxy` with 1[group = majority]. */
  proxyCorrelation: number;
}

export const syntheticDefaults: Required<SyntheticOptions> = {
  rows: 5000,
  seed: 42,
  groupImbalance: 0.3,
  labelShift: 0.2,
  majorityRate: 0.5,
  proxyStrength: 0.8,
  nFeatures: 4,
  noise: 1,
  regions: true,
  regionShift: 0.1,
};

/** Generate a synthetic data set with planted group imbalance, label shift and a proxy feature. */
export function generateSynthetic(options: SyntheticOptions = {}): LoadedDataset {
  const settings = validate({ ...syntheticDefaults, ...definedOnly(options) });
  const { rows, groupImbalance, proxyStrength, nFeatures, noise } = settings;
  const weights = Array.from({ length: nFeatures }, (_, j) => (j % 2 === 0 ? 1 : -1) * 0.7 ** j);
  const latentSd = Math.sqrt(weights.reduce((sum, w) => sum + w * w, 0) + SEGMENT_WEIGHT ** 2 + noise ** 2);
  const rates = plantedRates(settings);
  // b = σ Φ⁻¹(p) makes P(z + b > 0) = p for z ~ N(0, σ²).
  const intercepts = new Map(
    Object.entries(rates).filter(([key]) => key.includes('|')).map(([key, p]) => [key, latentSd * normalQuantile(p)]),
  );
  const rng = new Rng(settings.seed);

  const group = new Array<string>(rows);
  const region = new Array<string>(rows);
  const segment = new Array<string>(rows);
  const label = new Array<string>(rows);
  const proxy = new Float64Array(rows);
  const features = weights.map(() => new Float64Array(rows));
  const quartiles = [normalQuantile(0.25), 0, normalQuantile(0.75)];
  const spread = Math.sqrt(groupImbalance * (1 - groupImbalance));

  for (let i = 0; i < rows; i++) {
    const isMajority = rng.uniform() >= groupImbalance;
    group[i] = isMajority ? 'majority' : 'minority';
    region[i] = settings.regions ? pickRegion(rng.uniform()) : 'all';
    let latent = 0;
    for (let j = 0; j < nFeatures; j++) {
      features[j][i] = rng.normal();
      latent += weights[j] * features[j][i];
    }
    const hidden = rng.normal();
    segment[i] = SEGMENTS[quartiles.filter((q) => hidden >= q).length];
    latent += SEGMENT_WEIGHT * hidden + noise * rng.normal();
    label[i] = latent + intercepts.get(`${group[i]}|${region[i]}`)! > 0 ? '1' : '0';
    const standardisedGroup = ((isMajority ? 1 : 0) - (1 - groupImbalance)) / spread;
    proxy[i] = proxyStrength * standardisedGroup + Math.sqrt(1 - proxyStrength ** 2) * rng.normal();
  }

  const featureNames = weights.map((_, j) => `x${j + 1}`);
  const columns: [string, Column][] = [
    ...featureNames.map((name, j): [string, Column] => [name, { kind: 'numeric', values: features[j] }]),
    ['segment', { kind: 'categorical', values: segment }],
    ['proxy', { kind: 'numeric', values: proxy }],
    ['group', { kind: 'categorical', values: group }],
    ...(settings.regions ? [['region', { kind: 'categorical', values: region }] as [string, Column]] : []),
    ['label', { kind: 'categorical', values: label }],
  ];
  const table: Table = { names: columns.map(([name]) => name), columns: new Map(columns), nRows: rows };
  const spec: ProblemSpec = {
    target: 'label',
    positive: '1',
    sensitive: ['group'],
    privileged: settings.regions ? { group: 'majority', region: 'north' } : { group: 'majority' },
    // group is left out of the inputs (listed features are used as given), so its effect reaches a model only via proxy.
    features: table.names.filter((name) => name !== 'label' && name !== 'group'),
    sensitiveAsFeature: false,
  };
  const truth: SyntheticTruth = {
    options: settings,
    weights,
    segmentWeight: SEGMENT_WEIGHT,
    latentSd,
    rates,
    proxyCorrelation: proxyStrength,
  };
  return { name: 'synthetic', table, spec, description: describe(settings), meta: { synthetic: truth } };
}

export interface SyntheticScoreOptions {
  /** Extra log-odds the score gives every majority row on top of the planted base-rate gap (default 1). */
  majorityBonus?: number;
}

/**
 * A biased "model score" in (0, 1) for audit demos, from a data set made by generateSynthetic:
 * logit = 1.7·s/σ + logit(p_group) + majorityBonus·1[majority], where s = Σ w_j x_j + w_u·E[u | segment] is
 * the observable part of the latent score and p_group the planted base rate of the row's group. The score
 * thus ranks rows sensibly but over-scores the majority: its gap in mean score and in selection rate at 0.5
 * exceeds the label gap. It is not calibrated. No randomness.
 */
export function syntheticScores(dataset: LoadedDataset, options: SyntheticScoreOptions = {}): Float64Array {
  const truth = dataset.meta?.synthetic as SyntheticTruth | undefined;
  if (!truth) {
    throw new FairkitError(`data set "${dataset.name}" was not made by generateSynthetic`, {
      where: 'syntheticScores',
      fix: 'Pass the result of generateSynthetic (its meta.synthetic records the planted model)',
    });
  }
  const majorityBonus = options.majorityBonus ?? 1;
  if (!Number.isFinite(majorityBonus)) {
    throw new FairkitError(`majorityBonus must be a finite number, got ${majorityBonus}`, { where: 'syntheticScores' });
  }
  const { table } = dataset;
  const column = (name: string): Column => {
    const found = table.columns.get(name);
    if (!found) throw new FairkitError(`column "${name}" is missing`, { where: 'syntheticScores' });
    return found;
  };
  const features = truth.weights.map((_, j) => column(`x${j + 1}`).values as Float64Array);
  const segment = column('segment').values as string[];
  const group = column('group').values as string[];
  const segmentMeans = quartileMeans();
  const logit = (p: number) => Math.log(p / (1 - p));
  const scores = new Float64Array(table.nRows);
  for (let i = 0; i < table.nRows; i++) {
    let observable = truth.segmentWeight * segmentMeans[SEGMENTS.indexOf(segment[i])];
    for (let j = 0; j < features.length; j++) observable += truth.weights[j] * features[j][i];
    const isMajority = group[i] === 'majority';
    const z = (1.7 * observable) / truth.latentSd + logit(truth.rates[group[i]]) + (isMajority ? majorityBonus : 0);
    scores[i] = 1 / (1 + Math.exp(-z));
  }
  return scores;
}

/** E[u | u in quartile k] of a standard normal: 4·(φ(lower) − φ(upper)). */
function quartileMeans(): number[] {
  const edges = [-Infinity, normalQuantile(0.25), 0, normalQuantile(0.75), Infinity];
  return SEGMENTS.map((_, k) => 4 * (normalDensity(edges[k]) - normalDensity(edges[k + 1])));
}

function plantedRates(settings: Required<SyntheticOptions>): Record<string, number> {
  const { majorityRate, labelShift, regionShift } = settings;
  const groupRates: Record<string, number> = { majority: majorityRate, minority: majorityRate - labelShift };
  const southShare = REGION_SHARES[1];
  const regionOffsets: Record<string, number> = settings.regions
    ? { north: regionShift * southShare, south: regionShift * (southShare - 1), east: regionShift * southShare }
    : { all: 0 };
  const rates: Record<string, number> = { ...groupRates };
  const overall = majorityRate - settings.groupImbalance * labelShift;
  for (const [region, offset] of Object.entries(regionOffsets)) {
    if (settings.regions) rates[region] = overall + offset;
    for (const [group, rate] of Object.entries(groupRates)) {
      const cell = rate + offset;
      if (!(cell > 0 && cell < 1)) {
        throw new FairkitError(
          `the planted positive rate of ${group} in region ${region} would be ${cell.toFixed(3)}, outside (0, 1)`,
          { where: 'generateSynthetic', fix: 'Choose majorityRate, labelShift and regionShift so that every rate stays inside (0, 1)' },
        );
      }
      rates[`${group}|${region}`] = cell;
    }
  }
  return rates;
}

/** A region drawn from a uniform u with the REGION_SHARES (shared by the synthetic generators). */
export function pickRegion(u: number): string {
  return u < REGION_SHARES[0] ? REGIONS[0] : u < REGION_SHARES[0] + REGION_SHARES[1] ? REGIONS[1] : REGIONS[2];
}

function describe(s: Required<SyntheticOptions>): string {
  return (
    `Synthetic biased data (seed ${s.seed}, ${s.rows} rows): group "minority" with probability ${s.groupImbalance}, ` +
    `label positive rate ${s.majorityRate} for the majority and ${+(s.majorityRate - s.labelShift).toFixed(6)} for ` +
    `the minority (planted gap ${s.labelShift}), proxy correlated ${s.proxyStrength} with the majority indicator, ` +
    `${s.nFeatures} informative numeric features x1..x${s.nFeatures} and the categorical segment, latent noise sd ${s.noise}` +
    (s.regions ? `, region north/south/east (0.5/0.3/0.2) with south ${s.regionShift} lower in positive rate.` : '.') +
    ' Target label, positive "1"; sensitive group (privileged majority); group is not a model input by default.'
  );
}

/** The options a caller gave (an explicit undefined keeps the default). */
export function definedOnly<Options extends object>(options: Options): Options {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Options;
}

function validate(s: Required<SyntheticOptions>): Required<SyntheticOptions> {
  const fail = (option: string, rule: string, value: unknown): never => {
    throw new FairkitError(`option ${option} must be ${rule}, got ${String(value)}`, { where: 'generateSynthetic' });
  };
  if (!Number.isInteger(s.rows) || s.rows < 1) fail('rows', 'a positive integer', s.rows);
  if (!Number.isInteger(s.seed)) fail('seed', 'an integer', s.seed);
  if (!(s.groupImbalance > 0 && s.groupImbalance < 1)) fail('groupImbalance', 'in (0, 1)', s.groupImbalance);
  if (!(s.proxyStrength >= 0 && s.proxyStrength < 1)) fail('proxyStrength', 'in [0, 1)', s.proxyStrength);
  if (!Number.isInteger(s.nFeatures) || s.nFeatures < 1) fail('nFeatures', 'a positive integer', s.nFeatures);
  if (!(s.noise >= 0 && Number.isFinite(s.noise))) fail('noise', 'a finite number >= 0', s.noise);
  if (!(s.majorityRate > 0 && s.majorityRate < 1)) fail('majorityRate', 'in (0, 1)', s.majorityRate);
  if (!Number.isFinite(s.labelShift)) fail('labelShift', 'a finite number', s.labelShift);
  if (!(s.regionShift >= 0 && s.regionShift < 1)) fail('regionShift', 'in [0, 1)', s.regionShift);
  if (typeof s.regions !== 'boolean') fail('regions', 'true or false', s.regions);
  return s;
}

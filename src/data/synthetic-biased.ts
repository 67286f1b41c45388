import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { normalCdf, normalQuantile } from './normal-quantile.js';
import { definedOnly, pickRegion, REGION_SHARES, REGIONS } from './synthetic.js';
import type { Column, LoadedDataset, ProblemSpec, Table } from './types.js';

/**
 * Synthetic data with several kinds of planted bias at known sizes (docs/datasets.md, "synthetic-biased"), so
 * that ERM's gaps stand well clear of seed noise and each method has something to act on.
 *
 * Per row: group ~ Bernoulli(groupImbalance) ("minority" / "majority"); region ∈ {north, south, east} with
 * probabilities 0.5 / 0.3 / 0.2; site s uniform over `sites` clusters; true features x_j ~ N(0, 1); noise
 * ε ~ N(0, LABEL_NOISE²). The true outcome is 1[Σ w_j x_j + c_s + ε + b > 0], with the site's random intercept
 * c_s = siteSd·Φ⁻¹((s + ½)/sites) and b chosen so that P(true outcome = 1) = baseRate in every group and region.
 * Then, in this order:
 * - historical under-labelling: a minority row's true positive is recorded as 0 with probability
 *   underLabelling (north, east) or underLabelling + southUnderLabelling (south: the intersection bears more);
 * - group-dependent measurement noise: the recorded features are x_j + s_g·η, η ~ N(0, 1), with s_g =
 *   majorityNoise or minorityNoise;
 * - proxy = ρ·standardised(1[majority]) + √(1−ρ²)·N(0, 1), correlation ρ = proxyStrength with 1[majority].
 * The recorded label is the target; `group` is not an input, `site` is the cluster column (not an input either).
 */
export interface SyntheticBiasedOptions {
  /** Number of rows (default 10000). */
  rows?: number;
  /** Seed of the random source (default 42). */
  seed?: number;
  /** Share of the minority group, in (0, 1) (default 0.3). */
  groupImbalance?: number;
  /** P(true outcome = 1), the same in every group and region, in (0, 1) (default 0.5). */
  baseRate?: number;
  /** P(a minority row's true positive is recorded as 0), in north and east, in [0, 1) (default 0.3). */
  underLabelling?: number;
  /** How much more often a minority true positive is recorded as 0 in region south (default 0.3). */
  southUnderLabelling?: number;
  /** Correlation of the `proxy` column with 1[group = majority], in [0, 1) (default 0.7). */
  proxyStrength?: number;
  /** Standard deviation of the measurement noise on the majority's features (default 0.3). */
  majorityNoise?: number;
  /** Standard deviation of the measurement noise on the minority's features (default 1.2). */
  minorityNoise?: number;
  /** Number of informative numeric features x1..xk (default 4). */
  nFeatures?: number;
  /** Number of sites, the clusters of the `site` column (default 20). */
  sites?: number;
  /** Spread of the sites' random intercepts in the latent score (default 0.8). */
  siteSd?: number;
}

/** Standard deviation of the latent noise ε: the true outcome is nearly, not quite, a function of x and site. */
export const LABEL_NOISE = 0.5;

/** Everything needed to know what was planted; stored as `meta.syntheticBiased`. */
export interface SyntheticBiasedTruth {
  options: Required<SyntheticBiasedOptions>;
  /** Weights of x1..xk in the latent score. */
  weights: number[];
  /** Random intercept of each site, site-0 … site-(k−1). */
  siteEffects: number[];
  /** The intercept b that makes P(true outcome = 1) = baseRate. */
  intercept: number;
  /** Planted P(recorded label = 1) per group, per "group|region" cell, and for the majority per site ("majority|site-3"). */
  rates: Record<string, number>;
  /** Variance of each recorded feature x_j per group: 1 + s_g². */
  featureVariance: Record<'majority' | 'minority', number>;
  /** Expected correlation of `proxy` with 1[group = majority]. */
  proxyCorrelation: number;
}

export const syntheticBiasedDefaults: Required<SyntheticBiasedOptions> = {
  rows: 10000,
  seed: 42,
  groupImbalance: 0.3,
  baseRate: 0.5,
  underLabelling: 0.3,
  southUnderLabelling: 0.3,
  proxyStrength: 0.7,
  majorityNoise: 0.3,
  minorityNoise: 1.2,
  nFeatures: 4,
  sites: 20,
  siteSd: 0.8,
};

/** Generate the data set with planted label bias, proxy, measurement noise, cluster effects and an intersection. */
export function generateSyntheticBiased(options: SyntheticBiasedOptions = {}): LoadedDataset {
  const settings = validate({ ...syntheticBiasedDefaults, ...definedOnly(options) });
  const { rows, groupImbalance, proxyStrength, nFeatures, sites } = settings;
  const weights = Array.from({ length: nFeatures }, (_, j) => (j % 2 === 0 ? 1 : -1) * 0.7 ** j);
  const withinSd = Math.sqrt(weights.reduce((sum, w) => sum + w * w, 0) + LABEL_NOISE ** 2);
  const siteEffects = Array.from({ length: sites }, (_, s) => settings.siteSd * normalQuantile((s + 0.5) / sites));
  const intercept = solveIntercept(settings.baseRate, siteEffects, withinSd);
  const lost = (region: string) => settings.underLabelling + (region === 'south' ? settings.southUnderLabelling : 0);
  const rng = new Rng(settings.seed);

  const group = new Array<string>(rows);
  const region = new Array<string>(rows);
  const site = new Array<string>(rows);
  const label = new Array<string>(rows);
  const proxy = new Float64Array(rows);
  const features = weights.map(() => new Float64Array(rows));
  const spread = Math.sqrt(groupImbalance * (1 - groupImbalance));

  for (let i = 0; i < rows; i++) {
    const isMajority = rng.uniform() >= groupImbalance;
    group[i] = isMajority ? 'majority' : 'minority';
    region[i] = pickRegion(rng.uniform());
    const s = rng.int(sites);
    site[i] = `site-${s}`;
    const measurementSd = isMajority ? settings.majorityNoise : settings.minorityNoise;
    let latent = siteEffects[s] + intercept + LABEL_NOISE * rng.normal();
    for (let j = 0; j < nFeatures; j++) {
      const truth = rng.normal();
      latent += weights[j] * truth;
      features[j][i] = truth + measurementSd * rng.normal();
    }
    const recordedAsNegative = !isMajority && rng.uniform() < lost(region[i]);
    label[i] = latent > 0 && !recordedAsNegative ? '1' : '0';
    const standardisedGroup = ((isMajority ? 1 : 0) - (1 - groupImbalance)) / spread;
    proxy[i] = proxyStrength * standardisedGroup + Math.sqrt(1 - proxyStrength ** 2) * rng.normal();
  }

  const columns: [string, Column][] = [
    ...weights.map((_, j): [string, Column] => [`x${j + 1}`, { kind: 'numeric', values: features[j] }]),
    ['proxy', { kind: 'numeric', values: proxy }],
    ['region', { kind: 'categorical', values: region }],
    ['site', { kind: 'categorical', values: site }],
    ['group', { kind: 'categorical', values: group }],
    ['label', { kind: 'categorical', values: label }],
  ];
  const table: Table = { names: columns.map(([name]) => name), columns: new Map(columns), nRows: rows };
  const spec: ProblemSpec = {
    target: 'label',
    positive: '1',
    sensitive: ['group'],
    privileged: { group: 'majority', region: 'north' },
    // group reaches a model only through proxy and the noise pattern; site is the cluster id, not an input.
    features: table.names.filter((name) => !['label', 'group', 'site'].includes(name)),
    sensitiveAsFeature: false,
    cluster: 'site',
  };
  const truth: SyntheticBiasedTruth = {
    options: settings,
    weights,
    siteEffects,
    intercept,
    rates: plantedRates(settings, siteEffects, intercept, withinSd),
    featureVariance: { majority: 1 + settings.majorityNoise ** 2, minority: 1 + settings.minorityNoise ** 2 },
    proxyCorrelation: proxyStrength,
  };
  return { name: 'synthetic-biased', table, spec, description: describe(settings), meta: { syntheticBiased: truth } };
}

/** P(true outcome = 1 | site s) = Φ((b + c_s)/σ); b such that their mean over the (equally likely) sites is p. */
function solveIntercept(p: number, siteEffects: number[], withinSd: number): number {
  const rate = (b: number) => siteEffects.reduce((sum, c) => sum + normalCdf((b + c) / withinSd), 0) / siteEffects.length;
  let low = -20;
  let high = 20;
  for (let k = 0; k < 200 && high - low > 1e-12; k++) {
    const middle = (low + high) / 2;
    if (rate(middle) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

function plantedRates(s: Required<SyntheticBiasedOptions>, siteEffects: number[], intercept: number, withinSd: number): Record<string, number> {
  const p = s.baseRate;
  const rates: Record<string, number> = { majority: p };
  let minority = 0;
  REGIONS.forEach((region, k) => {
    const kept = 1 - s.underLabelling - (region === 'south' ? s.southUnderLabelling : 0);
    rates[`majority|${region}`] = p;
    rates[`minority|${region}`] = p * kept;
    minority += REGION_SHARES[k] * p * kept;
  });
  rates.minority = minority;
  siteEffects.forEach((c, k) => {
    rates[`majority|site-${k}`] = normalCdf((intercept + c) / withinSd);
  });
  return rates;
}

function describe(s: Required<SyntheticBiasedOptions>): string {
  return (
    `Synthetic data with planted biases (seed ${s.seed}, ${s.rows} rows): group "minority" with probability ${s.groupImbalance}; ` +
    `true positive rate ${s.baseRate} in every group; a minority positive recorded as 0 with probability ${s.underLabelling} ` +
    `(${+(s.underLabelling + s.southUnderLabelling).toFixed(6)} in region south); feature measurement noise sd ${s.majorityNoise} ` +
    `(majority) vs ${s.minorityNoise} (minority); proxy correlated ${s.proxyStrength} with the majority indicator; ` +
    `${s.sites} sites with random intercepts (sd ${s.siteSd}, cluster column site); region north/south/east (0.5/0.3/0.2). ` +
    'Target label, positive "1"; sensitive group (privileged majority); group and site are not model inputs.'
  );
}

function validate(s: Required<SyntheticBiasedOptions>): Required<SyntheticBiasedOptions> {
  const fail = (option: string, rule: string, value: unknown): never => {
    throw new FairkitError(`option ${option} must be ${rule}, got ${String(value)}`, { where: 'generateSyntheticBiased' });
  };
  const isSd = (value: number) => value >= 0 && Number.isFinite(value);
  if (!Number.isInteger(s.rows) || s.rows < 1) fail('rows', 'a positive integer', s.rows);
  if (!Number.isInteger(s.seed)) fail('seed', 'an integer', s.seed);
  if (!(s.groupImbalance > 0 && s.groupImbalance < 1)) fail('groupImbalance', 'in (0, 1)', s.groupImbalance);
  if (!(s.baseRate > 0 && s.baseRate < 1)) fail('baseRate', 'in (0, 1)', s.baseRate);
  if (!(s.underLabelling >= 0 && s.underLabelling < 1)) fail('underLabelling', 'in [0, 1)', s.underLabelling);
  if (!(s.southUnderLabelling >= 0 && s.underLabelling + s.southUnderLabelling < 1)) {
    fail('southUnderLabelling', '>= 0 with underLabelling + southUnderLabelling < 1', s.southUnderLabelling);
  }
  if (!(s.proxyStrength >= 0 && s.proxyStrength < 1)) fail('proxyStrength', 'in [0, 1)', s.proxyStrength);
  if (!isSd(s.majorityNoise)) fail('majorityNoise', 'a finite number >= 0', s.majorityNoise);
  if (!isSd(s.minorityNoise)) fail('minorityNoise', 'a finite number >= 0', s.minorityNoise);
  if (!Number.isInteger(s.nFeatures) || s.nFeatures < 1) fail('nFeatures', 'a positive integer', s.nFeatures);
  if (!Number.isInteger(s.sites) || s.sites < 1) fail('sites', 'a positive integer', s.sites);
  if (!isSd(s.siteSd)) fail('siteSd', 'a finite number >= 0', s.siteSd);
  return s;
}

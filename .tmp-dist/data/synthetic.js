import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { normalDensity, normalQuantile } from './normal-quantile.js';
export const REGIONS = ['north', 'south', 'east'];
const REGION_SHARES = [0.5, 0.3, 0.2];
const SEGMENTS = ['A', 'B', 'C', 'D'];
const SEGMENT_WEIGHT = 0.8;
export const syntheticDefaults = {
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
export function generateSynthetic(options = {}) {
    const settings = validate({ ...syntheticDefaults, ...definedOnly(options) });
    const { rows, groupImbalance, proxyStrength, nFeatures, noise } = settings;
    const weights = Array.from({ length: nFeatures }, (_, j) => (j % 2 === 0 ? 1 : -1) * 0.7 ** j);
    const latentSd = Math.sqrt(weights.reduce((sum, w) => sum + w * w, 0) + SEGMENT_WEIGHT ** 2 + noise ** 2);
    const rates = plantedRates(settings);
    // b = σ Φ⁻¹(p) makes P(z + b > 0) = p for z ~ N(0, σ²).
    const intercepts = new Map(Object.entries(rates).filter(([key]) => key.includes('|')).map(([key, p]) => [key, latentSd * normalQuantile(p)]));
    const rng = new Rng(settings.seed);
    const group = new Array(rows);
    const region = new Array(rows);
    const segment = new Array(rows);
    const label = new Array(rows);
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
        label[i] = latent + intercepts.get(`${group[i]}|${region[i]}`) > 0 ? '1' : '0';
        const standardisedGroup = ((isMajority ? 1 : 0) - (1 - groupImbalance)) / spread;
        proxy[i] = proxyStrength * standardisedGroup + Math.sqrt(1 - proxyStrength ** 2) * rng.normal();
    }
    const featureNames = weights.map((_, j) => `x${j + 1}`);
    const columns = [
        ...featureNames.map((name, j) => [name, { kind: 'numeric', values: features[j] }]),
        ['segment', { kind: 'categorical', values: segment }],
        ['proxy', { kind: 'numeric', values: proxy }],
        ['group', { kind: 'categorical', values: group }],
        ...(settings.regions ? [['region', { kind: 'categorical', values: region }]] : []),
        ['label', { kind: 'categorical', values: label }],
    ];
    const table = { names: columns.map(([name]) => name), columns: new Map(columns), nRows: rows };
    const spec = {
        target: 'label',
        positive: '1',
        sensitive: ['group'],
        privileged: settings.regions ? { group: 'majority', region: 'north' } : { group: 'majority' },
        // group is left out of the inputs (listed features are used as given), so its effect reaches a model only via proxy.
        features: table.names.filter((name) => name !== 'label' && name !== 'group'),
        sensitiveAsFeature: false,
    };
    const truth = {
        options: settings,
        weights,
        segmentWeight: SEGMENT_WEIGHT,
        latentSd,
        rates,
        proxyCorrelation: proxyStrength,
    };
    return { name: 'synthetic', table, spec, description: describe(settings), meta: { synthetic: truth } };
}
/**
 * A biased "model score" in (0, 1) for audit demos, from a data set made by generateSynthetic:
 * logit = 1.7·s/σ + logit(p_group) + majorityBonus·1[majority], where s = Σ w_j x_j + w_u·E[u | segment] is
 * the observable part of the latent score and p_group the planted base rate of the row's group. The score
 * thus ranks rows sensibly but over-scores the majority: its gap in mean score and in selection rate at 0.5
 * exceeds the label gap. It is not calibrated. No randomness.
 */
export function syntheticScores(dataset, options = {}) {
    const truth = dataset.meta?.synthetic;
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
    const column = (name) => {
        const found = table.columns.get(name);
        if (!found)
            throw new FairkitError(`column "${name}" is missing`, { where: 'syntheticScores' });
        return found;
    };
    const features = truth.weights.map((_, j) => column(`x${j + 1}`).values);
    const segment = column('segment').values;
    const group = column('group').values;
    const segmentMeans = quartileMeans();
    const logit = (p) => Math.log(p / (1 - p));
    const scores = new Float64Array(table.nRows);
    for (let i = 0; i < table.nRows; i++) {
        let observable = truth.segmentWeight * segmentMeans[SEGMENTS.indexOf(segment[i])];
        for (let j = 0; j < features.length; j++)
            observable += truth.weights[j] * features[j][i];
        const isMajority = group[i] === 'majority';
        const z = (1.7 * observable) / truth.latentSd + logit(truth.rates[group[i]]) + (isMajority ? majorityBonus : 0);
        scores[i] = 1 / (1 + Math.exp(-z));
    }
    return scores;
}
/** E[u | u in quartile k] of a standard normal: 4·(φ(lower) − φ(upper)). */
function quartileMeans() {
    const edges = [-Infinity, normalQuantile(0.25), 0, normalQuantile(0.75), Infinity];
    return SEGMENTS.map((_, k) => 4 * (normalDensity(edges[k]) - normalDensity(edges[k + 1])));
}
function plantedRates(settings) {
    const { majorityRate, labelShift, regionShift } = settings;
    const groupRates = { majority: majorityRate, minority: majorityRate - labelShift };
    const southShare = REGION_SHARES[1];
    const regionOffsets = settings.regions
        ? { north: regionShift * southShare, south: regionShift * (southShare - 1), east: regionShift * southShare }
        : { all: 0 };
    const rates = { ...groupRates };
    const overall = majorityRate - settings.groupImbalance * labelShift;
    for (const [region, offset] of Object.entries(regionOffsets)) {
        if (settings.regions)
            rates[region] = overall + offset;
        for (const [group, rate] of Object.entries(groupRates)) {
            const cell = rate + offset;
            if (!(cell > 0 && cell < 1)) {
                throw new FairkitError(`the planted positive rate of ${group} in region ${region} would be ${cell.toFixed(3)}, outside (0, 1)`, { where: 'generateSynthetic', fix: 'Choose majorityRate, labelShift and regionShift so that every rate stays inside (0, 1)' });
            }
            rates[`${group}|${region}`] = cell;
        }
    }
    return rates;
}
function pickRegion(u) {
    return u < REGION_SHARES[0] ? REGIONS[0] : u < REGION_SHARES[0] + REGION_SHARES[1] ? REGIONS[1] : REGIONS[2];
}
function describe(s) {
    return (`Synthetic biased data (seed ${s.seed}, ${s.rows} rows): group "minority" with probability ${s.groupImbalance}, ` +
        `label positive rate ${s.majorityRate} for the majority and ${+(s.majorityRate - s.labelShift).toFixed(6)} for ` +
        `the minority (planted gap ${s.labelShift}), proxy correlated ${s.proxyStrength} with the majority indicator, ` +
        `${s.nFeatures} informative numeric features x1..x${s.nFeatures} and the categorical segment, latent noise sd ${s.noise}` +
        (s.regions ? `, region north/south/east (0.5/0.3/0.2) with south ${s.regionShift} lower in positive rate.` : '.') +
        ' Target label, positive "1"; sensitive group (privileged majority); group is not a model input by default.');
}
function definedOnly(options) {
    return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
function validate(s) {
    const fail = (option, rule, value) => {
        throw new FairkitError(`option ${option} must be ${rule}, got ${String(value)}`, { where: 'generateSynthetic' });
    };
    if (!Number.isInteger(s.rows) || s.rows < 1)
        fail('rows', 'a positive integer', s.rows);
    if (!Number.isInteger(s.seed))
        fail('seed', 'an integer', s.seed);
    if (!(s.groupImbalance > 0 && s.groupImbalance < 1))
        fail('groupImbalance', 'in (0, 1)', s.groupImbalance);
    if (!(s.proxyStrength >= 0 && s.proxyStrength < 1))
        fail('proxyStrength', 'in [0, 1)', s.proxyStrength);
    if (!Number.isInteger(s.nFeatures) || s.nFeatures < 1)
        fail('nFeatures', 'a positive integer', s.nFeatures);
    if (!(s.noise >= 0 && Number.isFinite(s.noise)))
        fail('noise', 'a finite number >= 0', s.noise);
    if (!(s.majorityRate > 0 && s.majorityRate < 1))
        fail('majorityRate', 'in (0, 1)', s.majorityRate);
    if (!Number.isFinite(s.labelShift))
        fail('labelShift', 'a finite number', s.labelShift);
    if (!(s.regionShift >= 0 && s.regionShift < 1))
        fail('regionShift', 'in [0, 1)', s.regionShift);
    if (typeof s.regions !== 'boolean')
        fail('regions', 'true or false', s.regions);
    return s;
}
//# sourceMappingURL=synthetic.js.map
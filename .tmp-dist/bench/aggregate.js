import { canonicalJson } from './canonical-json.js';
import { hypervolume, paretoFront } from './pareto.js';
import { REFERENCE_METHOD } from './plan.js';
import { DEFAULT_INTERVAL_OPTIONS, summarize } from './stats.js';
/** Test metrics summarised per configuration (keys of `fairkit audit`'s JSON, overall then fairness). */
export const SUMMARY_METRICS = [
    'accuracy', 'balancedAccuracy', 'ap', 'rocAuc', 'f1',
    'demographicParityDifference', 'demographicParityRatio', 'equalizedOddsSum', 'equalizedOddsDifference',
    'equalOpportunityDifference', 'equalOpportunityRatio', 'abcc',
];
export const GROUP_METRICS = ['selectionRate', 'tpr', 'fpr', 'accuracy'];
/** The two trade-off planes of the report: GCM's AP vs ΔEO (sum form) and accuracy vs ΔDP. */
export const TRADEOFFS = [
    { id: 'ap-eo', utility: 'ap', gap: 'equalizedOddsSum', title: 'AP vs −ΔEO (sum)', utilityTitle: 'AP', gapTitle: 'ΔEO (sum)' },
    { id: 'accuracy-dp', utility: 'accuracy', gap: 'demographicParityDifference', title: 'accuracy vs −ΔDP', utilityTitle: 'accuracy', gapTitle: 'ΔDP' },
];
/** Hypervolume reference in ERM-normalised units: zero utility, ERM's gap. */
export const HYPERVOLUME_REFERENCE = { utility: 0, gap: 1 };
/** Aggregates journal entries: statistics per configuration, Pareto fronts, ERM normalisation, hypervolume. */
export function aggregate(entries, options = DEFAULT_INTERVAL_OPTIONS) {
    const studies = groupBy(entries, ({ trial }) => canonicalJson([trial.dataset, trial.sensitive, trial.protocol, trial.training]));
    return {
        trials: entries.length,
        studies: [...studies].map(([key, members]) => summarizeStudy(key, members, options)),
    };
}
function summarizeStudy(key, entries, options) {
    const { trial } = entries[0];
    const configs = [...groupBy(entries, ({ trial: t }) => canonicalJson([t.method, t.params]))]
        .map(([configKey, members]) => summarizeConfig(configKey, members, options))
        .sort(compareConfigs);
    const reference = configs.find((config) => config.method === REFERENCE_METHOD && Object.keys(config.params).length === 0) ?? null;
    return {
        key,
        dataset: trial.dataset,
        sensitive: trial.sensitive,
        protocol: trial.protocol,
        training: trial.training,
        configs,
        reference,
        tradeoffs: TRADEOFFS.map((tradeoff) => summarizeTradeoff(tradeoff, configs, reference)),
    };
}
function summarizeConfig(key, entries, options) {
    const { method, params } = entries[0].trial;
    const results = entries.map((entry) => entry.result);
    const metricOf = (name) => results.map((result) => numberOrNull(result.test.overall[name] ?? result.test.fairness[name]));
    const groupKeys = [...new Set(results.flatMap((result) => result.test.groups.map((group) => group.key)))].sort();
    return {
        key,
        method,
        params,
        lambda: typeof params.lambda === 'number' ? params.lambda : null,
        label: configLabel(method, params),
        runs: entries.length,
        metrics: Object.fromEntries(SUMMARY_METRICS.map((name) => [name, summarize(metricOf(name), options)])),
        groups: groupKeys.map((groupKey) => ({
            key: groupKey,
            metrics: Object.fromEntries(GROUP_METRICS.map((name) => [name, summarize(results.map((result) => numberOrNull(result.test.groups.find((group) => group.key === groupKey)?.[name])), options)])),
        })),
        trainSeconds: summarize(results.map((result) => result.trainSeconds), options),
        curves: meanCurves(results.map((result) => (result.history ?? []).flatMap(({ epoch, validation }) => Object.entries(validation ?? {}).map(([metric, value]) => ({ key: canonicalJson([epoch, metric]), epoch, metric, value }))))),
        contribution: meanCurves(results.map((result) => (result.contribution ?? []).map(({ epoch, label, group, reference, ratio }) => ({ key: canonicalJson([epoch, label, group, reference]), epoch, label, group, reference, value: ratio })))),
    };
}
/** Per key, the mean of the runs' values (each run counted once per key) and how many runs had one. */
function meanCurves(runs) {
    const sums = new Map();
    for (const run of runs) {
        for (const sample of run) {
            if (typeof sample.value !== 'number' || !Number.isFinite(sample.value))
                continue;
            const entry = sums.get(sample.key) ?? { sample, sum: 0, runs: 0 };
            entry.sum += sample.value;
            entry.runs++;
            sums.set(sample.key, entry);
        }
    }
    return [...sums.values()].map(({ sample, sum, runs: count }) => {
        const { key: _key, value: _value, ...rest } = sample;
        return { ...rest, mean: sum / count, runs: count };
    });
}
function summarizeTradeoff(tradeoff, configs, reference) {
    const ratio = (value, base) => (typeof base === 'number' && base !== 0 ? value / base : null);
    const points = configs.flatMap((config) => {
        const utility = config.metrics[tradeoff.utility].mean;
        const gap = config.metrics[tradeoff.gap].mean;
        if (utility === null || gap === null)
            return [];
        return [{
                config: config.key,
                label: config.label,
                method: config.method,
                utility,
                gap,
                normalisedUtility: ratio(utility, reference?.metrics[tradeoff.utility].mean),
                normalisedGap: ratio(gap, reference?.metrics[tradeoff.gap].mean),
                onFront: false,
            }];
    });
    const front = paretoFront(points).map((i) => points[i]);
    for (const point of front)
        point.onFront = true;
    const normalised = (subset) => subset.every((p) => p.normalisedUtility !== null && p.normalisedGap !== null)
        ? hypervolume(subset.map((p) => ({ utility: p.normalisedUtility, gap: p.normalisedGap })), HYPERVOLUME_REFERENCE)
        : null;
    const methods = [...new Set(points.map((point) => point.method))];
    return {
        tradeoff,
        points,
        front: front.map((point) => point.config),
        hypervolume: {
            all: points.length > 0 ? normalised(points) : null,
            byMethod: Object.fromEntries(methods.map((method) => [method, normalised(points.filter((point) => point.method === method))])),
        },
    };
}
export function configLabel(method, params) {
    const parts = Object.entries(params).map(([key, value]) => (key === 'lambda' ? `λ=${value}` : `${key}=${JSON.stringify(value)}`));
    return [method, ...parts].join(' ');
}
/** ERM first, then methods by name, each by increasing λ. */
function compareConfigs(a, b) {
    const rank = (config) => (config.method === REFERENCE_METHOD ? 0 : 1);
    return rank(a) - rank(b) || a.method.localeCompare(b.method) || (a.lambda ?? -Infinity) - (b.lambda ?? -Infinity) || a.key.localeCompare(b.key);
}
function groupBy(items, keyOf) {
    const groups = new Map();
    for (const item of items) {
        const key = keyOf(item);
        const members = groups.get(key);
        if (members)
            members.push(item);
        else
            groups.set(key, [item]);
    }
    return groups;
}
function numberOrNull(value) {
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
//# sourceMappingURL=aggregate.js.map
import { canonicalJson } from './canonical-json.js';
import { hypervolume, paretoFront } from './pareto.js';
import { REFERENCE_METHOD } from './conventions.js';
import { DEFAULT_INTERVAL_OPTIONS, pairedDifference, summarize, type IntervalOptions, type PairedDifference, type Stat } from './stats.js';
import { groupMetricsOf, summaryMetricsOf, tradeoffsOf, type SummaryMetric, type Tradeoff } from './task-metrics.js';
import { z } from 'zod';
import { taskOfResult, trialResultSchema, type JournalEntry, type ProtocolName } from './trial.js';
import type { Task } from '../data/types.js';

export {
  GROUP_METRICS, REGRESSION_GROUP_METRICS, REGRESSION_SUMMARY_METRICS, REGRESSION_TRADEOFFS, SUMMARY_METRICS, TRADEOFFS,
  type GroupMetric, type SummaryMetric, type Tradeoff,
} from './task-metrics.js';

/**
 * Hypervolume reference in ERM-normalised units: zero utility, ERM's gap. A utility where lower is better (an
 * error) enters as 2 − value/ERM's: ERM still sits at 1, and the reference 0 is twice ERM's error.
 */
export const HYPERVOLUME_REFERENCE = { utility: 0, gap: 1 };

export interface ConfigSummary {
  key: string;
  method: string;
  params: Record<string, unknown>;
  lambda: number | null;
  label: string;
  runs: number;
  /** The summary metrics of the study's task (summaryMetricsOf), by name. */
  metrics: Record<SummaryMetric, Stat>;
  /** The group metrics of the study's task (groupMetricsOf), by name. */
  groups: { key: string; metrics: Record<string, Stat> }[];
  trainSeconds: Stat;
  /**
   * Change of each summary metric against ERM (without parameters) over paired runs, the same seed or fold: mean
   * difference (this − ERM) with its t interval. null for ERM itself and in a study without ERM.
   */
  versusReference: Record<SummaryMetric, PairedDifference> | null;
  /** Mean over runs of each per-epoch validation metric (training curves). */
  curves: { epoch: number; metric: string; mean: number; runs: number }[];
  /**
   * Mean over runs of the group contribution ratios, per epoch (empty when not recorded): of Eq. 8's mean over
   * weights (`statistic` 'mean') and, where recorded, of the median over weights ('median').
   */
  contribution: { epoch: number; label: 0 | 1; group: string; reference: string; statistic: 'mean' | 'median'; mean: number; runs: number }[];
}

export interface TradeoffPointSummary {
  config: string;
  label: string;
  method: string;
  lambda: number | null;
  utility: number;
  gap: number;
  /**
   * Divided by ERM's mean (FFB's normalisation); null without an ERM reference or when ERM's value is 0. For an
   * error (utilityBetter 'lower') it stays error / ERM's error: below 1 is better than ERM.
   */
  normalisedUtility: number | null;
  normalisedGap: number | null;
  onFront: boolean;
}

export interface TradeoffSummary {
  tradeoff: Tradeoff;
  points: TradeoffPointSummary[];
  /** Config keys on the Pareto front, by increasing gap. */
  front: string[];
  /** Hypervolume of ERM-normalised points w.r.t. HYPERVOLUME_REFERENCE: of all points, and of each method's. */
  hypervolume: { all: number | null; byMethod: Record<string, number | null> };
}

/** Trials that differ only in seed or fold, grouped: one data set, attribute, protocol, training setup and repeat scheme. */
export interface StudySummary {
  key: string;
  dataset: string;
  /** From the trials' results (journals written before regression have none: classification). */
  task: Task;
  sensitive: string[];
  protocol: ProtocolName;
  training: Record<string, unknown>;
  /**
   * How the runs repeat: 'seeds' (a new split per seed) or 'K-fold', 'K-fold seen-cluster' or 'K-fold
   * unseen-cluster' (--cluster-split); these are never pooled. Each fold (of each seed, when repeated) is one run.
   */
  repeats: string;
  /** The cluster column chosen with --clusters, when it is not the data set's own. */
  clusters?: string;
  configs: ConfigSummary[];
  reference: ConfigSummary | null;
  tradeoffs: TradeoffSummary[];
}

export interface BenchSummary {
  studies: StudySummary[];
  trials: number;
}

/** Aggregates journal entries: statistics per configuration, Pareto fronts, ERM normalisation, hypervolume. */
export function aggregate(journal: readonly JournalEntry[], options: IntervalOptions = DEFAULT_INTERVAL_OPTIONS): BenchSummary {
  const entries = journal.flatMap(withPostprocessed);
  // The task joins the key only for regression, so classification study keys stay what they were.
  const studies = groupBy(entries, ({ trial, result }) => {
    const task = taskOfResult(result);
    // A cluster column chosen with --clusters takes an input away from every method: such runs are a study of their own.
    return canonicalJson([trial.dataset, trial.sensitive, trial.protocol, trial.training, repeatsOf(trial), ...(task === 'regression' ? [task] : []), ...(trial.clusters ? [{ clusters: trial.clusters }] : [])]);
  });
  return {
    trials: journal.length,
    studies: [...studies].map(([key, members]) => summarizeStudy(key, members, options)),
  };
}

/**
 * An entry, then one per post-processor it ran (`fairkit bench --postprocess`): the same trial under the method
 * name 'erm+thresholds:eo', with the post-processed test report and the training time of the trained model.
 */
function withPostprocessed(entry: JournalEntry): JournalEntry[] {
  const parsed = postprocessedSchema.safeParse(entry.result.postprocessed);
  if (!parsed.success) return [entry];
  return [entry, ...parsed.data.map(({ spec, test }) => ({ trial: { ...entry.trial, method: `${entry.trial.method}+${spec}` }, result: { ...entry.result, test, history: [], contribution: [] } }))];
}

const postprocessedSchema = z.array(z.object({ spec: z.string(), test: trialResultSchema.shape.test }));

/** Which run of a study a trial is: its seed, or its fold and seed (the seed draws the fold assignment). */
function runOf(trial: JournalEntry['trial']): string {
  return trial.fold ? `${trial.seed}/${trial.fold.index}` : String(trial.seed);
}

/**
 * How a study repeats: 'seeds', or 'K-fold' (optionally with its cluster split). Folds take the place of seeds:
 * repeated cross-validation (--folds with --seeds) pools every seed's folds, each fold of each seed one run.
 */
function repeatsOf(trial: JournalEntry['trial']): string {
  if (!trial.fold) return 'seeds';
  return `${trial.fold.of}-fold${trial.fold.clusterSplit ? ` ${trial.fold.clusterSplit}-cluster` : ''}`;
}

function summarizeStudy(key: string, entries: JournalEntry[], options: IntervalOptions): StudySummary {
  const { trial } = entries[0];
  const task = taskOfResult(entries[0].result);
  const byConfig = groupBy(entries, ({ trial: t }) => canonicalJson([t.method, t.params]));
  const referenceEntries = byConfig.get(canonicalJson([REFERENCE_METHOD, {}])) ?? null;
  const configs = [...byConfig]
    .map(([configKey, members]) => summarizeConfig(configKey, members, task, members === referenceEntries ? null : referenceEntries, options))
    .sort(compareConfigs);
  const reference = configs.find((config) => config.method === REFERENCE_METHOD && Object.keys(config.params).length === 0) ?? null;
  return {
    key,
    dataset: trial.dataset,
    task,
    sensitive: trial.sensitive,
    protocol: trial.protocol,
    training: trial.training,
    repeats: repeatsOf(trial),
    ...(trial.clusters ? { clusters: trial.clusters } : {}),
    configs,
    reference,
    tradeoffs: tradeoffsOf(task).map((tradeoff) => summarizeTradeoff(tradeoff, configs, reference)),
  };
}

function summarizeConfig(key: string, entries: JournalEntry[], task: Task, referenceEntries: JournalEntry[] | null, options: IntervalOptions): ConfigSummary {
  const { method, params } = entries[0].trial;
  const results = entries.map((entry) => entry.result);
  const valueOf = (result: JournalEntry['result'], name: string) => numberOrNull(result.test.overall[name] ?? result.test.fairness[name]);
  const metricOf = (name: string) => results.map((result) => valueOf(result, name));
  const byRun = (members: JournalEntry[], name: string) => new Map(members.map((entry) => [runOf(entry.trial), valueOf(entry.result, name)]));
  const groupKeys = [...new Set(results.flatMap((result) => result.test.groups.map((group) => group.key)))].sort();
  return {
    key,
    method,
    params,
    lambda: typeof params.lambda === 'number' ? params.lambda : null,
    label: configLabel(method, params),
    runs: entries.length,
    metrics: Object.fromEntries(summaryMetricsOf(task).map((name) => [name, summarize(metricOf(name), options)])),
    groups: groupKeys.map((groupKey) => ({
      key: groupKey,
      metrics: Object.fromEntries(
        groupMetricsOf(task).map((name) => [name, summarize(results.map((result) => numberOrNull(result.test.groups.find((group) => group.key === groupKey)?.[name])), options)]),
      ),
    })),
    trainSeconds: summarize(results.map((result) => result.trainSeconds), options),
    versusReference: referenceEntries
      ? Object.fromEntries(summaryMetricsOf(task).map((name) => [name, pairedDifference(byRun(entries, name), byRun(referenceEntries, name))]))
      : null,
    curves: meanCurves(results.map((result) => (result.history ?? []).flatMap(({ epoch, validation }) => Object.entries(validation ?? {}).map(([metric, value]) => ({ key: canonicalJson([epoch, metric]), epoch, metric, value }))))),
    contribution: meanCurves(
      results.map((result) =>
        (result.contribution ?? []).flatMap(({ epoch, label, group, reference, ratio, median }) =>
          (['mean', 'median'] as const).map((statistic) => ({ key: canonicalJson([epoch, label, group, reference, statistic]), epoch, label, group, reference, statistic, value: statistic === 'mean' ? ratio : (median ?? null) })),
        ),
      ),
    ),
  };
}

/** Per key, the mean of the runs' values (each run counted once per key) and how many runs had one. */
function meanCurves<T extends { key: string; value: number | null }>(runs: T[][]): (Omit<T, 'key' | 'value'> & { mean: number; runs: number })[] {
  const sums = new Map<string, { sample: T; sum: number; runs: number }>();
  for (const run of runs) {
    for (const sample of run) {
      if (typeof sample.value !== 'number' || !Number.isFinite(sample.value)) continue;
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

function summarizeTradeoff(tradeoff: Tradeoff, configs: ConfigSummary[], reference: ConfigSummary | null): TradeoffSummary {
  const ratio = (value: number, base: number | null | undefined) => (typeof base === 'number' && base !== 0 ? value / base : null);
  const points = configs.flatMap((config) => {
    const utility = config.metrics[tradeoff.utility]?.mean ?? null;
    const gap = config.metrics[tradeoff.gap]?.mean ?? null;
    if (utility === null || gap === null) return [];
    return [{
      config: config.key,
      label: config.label,
      method: config.method,
      lambda: config.lambda,
      utility,
      gap,
      normalisedUtility: ratio(utility, reference?.metrics[tradeoff.utility]?.mean),
      normalisedGap: ratio(gap, reference?.metrics[tradeoff.gap]?.mean),
      onFront: false,
    }];
  });
  // The front and the hypervolume maximise utility: an error is turned around first (−RMSE; 2 − RMSE/ERM's).
  const lower = tradeoff.utilityBetter === 'lower';
  const front = paretoFront(points.map((p) => ({ utility: lower ? -p.utility : p.utility, gap: p.gap }))).map((i) => points[i]);
  for (const point of front) point.onFront = true;
  const normalised = (subset: TradeoffPointSummary[]) =>
    subset.every((p) => p.normalisedUtility !== null && p.normalisedGap !== null)
      ? hypervolume(subset.map((p) => ({ utility: lower ? 2 - p.normalisedUtility! : p.normalisedUtility!, gap: p.normalisedGap! })), HYPERVOLUME_REFERENCE)
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

export function configLabel(method: string, params: Record<string, unknown>): string {
  const parts = Object.entries(params).map(([key, value]) => (key === 'lambda' && typeof value === 'number' ? `λ=${formatLambda(value)}` : `${key}=${JSON.stringify(value)}`));
  return [method, ...parts].join(' ');
}

/** 0.5, 10, 3e-6: short enough for chart labels. */
export function formatLambda(value: number): string {
  return value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential() : String(value);
}

/** ERM first, then methods by name, each by increasing λ. */
function compareConfigs(a: ConfigSummary, b: ConfigSummary): number {
  const rank = (config: ConfigSummary) => (config.method === REFERENCE_METHOD ? 0 : 1);
  return rank(a) - rank(b) || a.method.localeCompare(b.method) || (a.lambda ?? -Infinity) - (b.lambda ?? -Infinity) || a.key.localeCompare(b.key);
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const members = groups.get(key);
    if (members) members.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

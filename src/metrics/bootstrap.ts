import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { abccPairOf, abccPairWithWeights, computeMetrics, stateOf, type EvaluateInput } from './compute.js';
import { rowLogLoss } from './log-loss.js';
import { orderByScore, rankingSums, type AbccPair, type ScoreOrder } from './ranking.js';
import { buildReport, presentGroups, type Summary } from './report.js';
import type { MetricReport } from './report-types.js';
import type { MetricState } from './state.js';

export interface BootstrapOptions {
  replicates: number;
  seed: number;
  /** Coverage of the percentile intervals (default 0.95). */
  level?: number;
}

/** [low, high], or null when the metric was undefined in every replicate. */
export type Interval = [number, number] | null;

export interface BootstrapIntervals {
  overall: Record<string, Interval>;
  groups: { key: string; intervals: Record<string, Interval> }[];
  fairness: Record<string, Interval>;
  warnings: string[];
  replicates: number;
  level: number;
  /** The point estimates (the report of `evaluate(input)`), computed on the way. */
  point: MetricReport;
}

/**
 * Percentile bootstrap intervals for every metric of `evaluate(input)`: rows are resampled with replacement
 * (n draws from the seeded Rng), each replicate is evaluated, and the interval runs between the (1 − level)/2
 * and (1 + level)/2 quantiles (numpy's default linear interpolation). A replicate counts as undefined for a
 * metric when the metric is null in it — and, for the fairness metrics, when a group that has rows in the data
 * drew none; the interval then uses the other replicates, with a warning giving the count.
 *
 * A replicate is a reweighting of the rows (weight × number of draws), so the scores are sorted once and each
 * replicate costs O(n); the draws are made on the input rows, so results do not depend on the sort.
 */
export function bootstrapIntervals(input: EvaluateInput, options: BootstrapOptions): BootstrapIntervals {
  const { replicates, seed } = options;
  const level = options.level ?? 0.95;
  checkOptions(replicates, seed, level);
  // Logits are summed, not kept per row, so replicates cannot be drawn for meanLogitGap: it is left out here.
  const state = stateOf({ ...input, logits: undefined });
  const labels = input.groups;
  const point = computeMetrics(state, labels);
  const rows = resamplingRows(state);
  const present = presentGroups(state.confusion, state.nGroups);
  const samples = new MetricSamples(point);
  const rng = new Rng(seed);
  const n = rows.codes.length;
  const drawsOfRow = new Float64Array(n);
  const draws = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let r = 0; r < replicates; r++) {
    drawsOfRow.fill(0);
    for (let k = 0; k < n; k++) drawsOfRow[rng.int(n)]++;
    for (let i = 0; i < n; i++) {
      draws[i] = rows.order === null ? drawsOfRow[i] : drawsOfRow[rows.order.rows![i]];
      weights[i] = rows.weights === null ? draws[i] : rows.weights[i] * draws[i];
    }
    const summary = summarizeReplicate(rows, state.nGroups, draws, weights);
    const report = buildReport(summary, labels, () => {});
    const groupsKept = present.every((g) => report.groups[g].selectionRate !== null);
    samples.add(report, groupsKept);
  }
  return { ...samples.intervals(level, replicates), replicates, level, point };
}

/** The kept rows, in score order when there are scores, with per-row log loss when the scores are probabilities. */
interface ResamplingRows {
  codes: Int32Array;
  weights: Float64Array | null;
  order: ScoreOrder | null;
  logLoss: Float64Array | null;
  abccPair: AbccPair | null;
}

function resamplingRows(state: MetricState): ResamplingRows {
  const kept = state.keptRows()!;
  if (!state.hasScores) return { codes: kept.codes, weights: kept.weights, order: null, logLoss: null, abccPair: null };
  const order = orderByScore(kept.codes, kept.scores, kept.weights, true);
  const probabilities = state.scoresOutsideUnitInterval === 0;
  let logLoss: Float64Array | null = null;
  if (probabilities) {
    logLoss = new Float64Array(order.codes.length);
    for (let i = 0; i < logLoss.length; i++) logLoss[i] = rowLogLoss((order.codes[i] >> 1) & 1, order.scores[i]);
  }
  return {
    codes: order.codes,
    weights: order.weights,
    order,
    logLoss,
    abccPair: probabilities ? abccPairOf(state.confusion, state.nGroups) : null,
  };
}

function summarizeReplicate(
  rows: ResamplingRows,
  nGroups: number,
  draws: Float64Array,
  weights: Float64Array,
): Summary {
  const rowCounts = new Float64Array(nGroups);
  const confusion = new Float64Array(4 * nGroups);
  const logLossSum = rows.logLoss === null ? null : new Float64Array(nGroups);
  const { codes, logLoss } = rows;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    const g = code >> 2;
    rowCounts[g] += draws[i];
    confusion[code] += weights[i];
    if (logLossSum !== null) logLossSum[g] += weights[i] * logLoss![i];
  }
  const pair = rows.abccPair && abccPairWithWeights(rows.abccPair.a, rows.abccPair.b, confusion);
  const ranking = rows.order === null ? null : rankingSums(rows.order, nGroups, pair, weights);
  return {
    nGroups,
    rows: rowCounts,
    confusion,
    scores: rows.order === null ? null : { logLossSum, ranking },
  };
}

type Section = 'overall' | 'fairness' | number;

/** The parts of a report (classification or regression) the samples are keyed by. */
export interface SampledReport {
  overall: object;
  groups: { key: string }[];
  fairness: object;
}

/** The intervals part of a bootstrap result, for a report of either task. */
export type SampleIntervals = Omit<BootstrapIntervals, 'replicates' | 'level' | 'point'>;

/** Per-metric replicate values, keyed like the point report (count, key and values left out). */
export class MetricSamples {
  private readonly values = new Map<string, { section: Section; metric: string; label: string; values: number[] }>();

  constructor(private readonly point: SampledReport) {
    this.track('overall', 'overall', point.overall);
    point.groups.forEach((g, index) => this.track(index, `group '${g.key}'`, g));
    this.track('fairness', 'fairness', point.fairness);
  }

  /** A replicate's report; with groupsKept false (a group with rows drew none) its fairness values are not used. */
  add(report: SampledReport, groupsKept: boolean): void {
    for (const entry of this.values.values()) {
      const { section, metric } = entry;
      const source =
        section === 'overall' ? report.overall : section === 'fairness' ? report.fairness : report.groups[section];
      const value = (source as unknown as Record<string, unknown>)[metric];
      if (typeof value === 'number' && (section !== 'fairness' || groupsKept)) entry.values.push(value);
    }
  }

  intervals(level: number, replicates: number): SampleIntervals {
    const result: SampleIntervals = {
      overall: {},
      groups: this.point.groups.map((g) => ({ key: g.key, intervals: {} })),
      fairness: {},
      warnings: [],
    };
    for (const { section, metric, label, values } of this.values.values()) {
      const target =
        section === 'overall'
          ? result.overall
          : section === 'fairness'
            ? result.fairness
            : result.groups[section].intervals;
      if (values.length < replicates) {
        result.warnings.push(
          `${label} ${metric} is undefined in ${replicates - values.length} of ${replicates} replicates` +
            (values.length > 0 ? `; its interval uses the other ${values.length}` : '; no interval'),
        );
      }
      target[metric] = values.length === 0 ? null : percentileInterval(values, level);
    }
    return result;
  }

  private track(section: Section, label: string, values: object): void {
    for (const metric of Object.keys(values)) {
      if (metric === 'count' || metric === 'key' || metric === 'values') continue;
      this.values.set(`${String(section)}.${metric}`, { section, metric, label, values: [] });
    }
  }
}

function percentileInterval(values: number[], level: number): [number, number] {
  const sorted = Float64Array.from(values).sort();
  return [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)];
}

/** numpy.quantile's default ('linear') on sorted values. */
export function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const below = Math.floor(h);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
}

/** Throws a FairkitError for replicates, seed or level out of range (shared with the regression bootstrap). */
export function checkOptions(replicates: number, seed: number, level: number): void {
  const where = 'bootstrap options';
  if (!Number.isInteger(replicates) || replicates < 1) {
    throw new FairkitError(`replicates must be a positive integer, got ${replicates}`, { where });
  }
  if (!Number.isInteger(seed)) throw new FairkitError(`seed must be an integer, got ${seed}`, { where });
  if (!(level > 0 && level < 1)) throw new FairkitError(`level must be in (0, 1), got ${level}`, { where });
}

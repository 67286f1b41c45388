import { fairnessValues, type GroupRates } from './fairness.js';
import { performanceValues, type SliceSums } from './performance.js';
import type { RankingSums } from './ranking.js';
import type { GroupLabels, MetricReport, Warn } from './report-types.js';

/** Everything the report is computed from: per-group sums over some weighting of the rows. */
export interface Summary {
  nGroups: number;
  /** Rows per group. */
  rows: Float64Array;
  /** Weighted tn, fp, fn, tp per group (index group·4 + 2·label + prediction). */
  confusion: Float64Array;
  /** Present when every row has a score. */
  scores: {
    /** Weighted log-loss sums per group; null when some score is not a probability. */
    logLossSum: Float64Array | null;
    /** Null when the rows were not kept. */
    ranking: RankingSums | null;
  } | null;
  /** Weighted sums of the logits per group, present when every row has a logit. */
  logitSums?: Float64Array | null;
}

export function buildReport(summary: Summary, labels: GroupLabels, warn: Warn): Omit<MetricReport, 'warnings'> {
  const { nGroups } = summary;
  const overall = performanceValues(sliceSums(summary, nGroups), 'overall', warn);
  const groups = labels.keys.map((key, g) => ({
    key,
    values: labels.values[g],
    ...performanceValues(sliceSums(summary, g), `group '${key}'`, warn),
  }));
  const present = presentGroups(summary.confusion, nGroups);
  const absent = labels.keys.filter((_, g) => !present.includes(g));
  if (absent.length > 0) {
    const names = absent.map((k) => `'${k}'`).join(', ');
    warn(`group ${names} has no rows with weight and is left out of the fairness metrics`);
  }
  const rates: GroupRates[] = present.map((g) => ({
    key: labels.keys[g],
    selectionRate: groups[g].selectionRate!,
    tpr: groups[g].tpr,
    fpr: groups[g].fpr,
  }));
  const privileged = labels.privileged === undefined ? -1 : present.indexOf(labels.privileged);
  const abccApplies = summary.scores !== null && present.length === 2;
  const fairness = fairnessValues(
    rates,
    {
      privileged: privileged < 0 ? null : privileged,
      abcc: abccApplies ? (summary.scores!.ranking?.abcc ?? null) : undefined,
      meanLogitGap: summary.logitSums ? meanGap(summary.logitSums, summary.confusion, present) : undefined,
    },
    warn,
  );
  return { overall, groups, fairness };
}

/** max − min over the present groups of the weighted mean (sum / the group's total weight). */
function meanGap(sums: Float64Array, confusion: Float64Array, present: number[]): number | null {
  if (present.length === 0) return null;
  const means = present.map((g) => sums[g] / (confusion[4 * g] + confusion[4 * g + 1] + confusion[4 * g + 2] + confusion[4 * g + 3]));
  return Math.max(...means) - Math.min(...means);
}

/** Groups with positive total weight, in id order. */
export function presentGroups(confusion: Float64Array, nGroups: number): number[] {
  const present: number[] = [];
  for (let g = 0; g < nGroups; g++) {
    if (confusion[4 * g] + confusion[4 * g + 1] + confusion[4 * g + 2] + confusion[4 * g + 3] > 0) present.push(g);
  }
  return present;
}

/** The sums of group g, or of all rows when g = nGroups. */
function sliceSums(summary: Summary, g: number): SliceSums {
  const { nGroups, rows, confusion, scores } = summary;
  const groupsInSlice = g === nGroups ? [...Array(nGroups).keys()] : [g];
  const sums: SliceSums = { count: 0, tn: 0, fp: 0, fn: 0, tp: 0 };
  let logLossSum = 0;
  for (const h of groupsInSlice) {
    sums.count += rows[h];
    sums.tn += confusion[4 * h];
    sums.fp += confusion[4 * h + 1];
    sums.fn += confusion[4 * h + 2];
    sums.tp += confusion[4 * h + 3];
    if (scores?.logLossSum) logLossSum += scores.logLossSum[h];
  }
  if (scores !== null) {
    sums.scores = {
      logLossSum: scores.logLossSum === null ? null : logLossSum,
      apSum: scores.ranking?.apSum[g] ?? null,
      aucSum: scores.ranking?.aucSum[g] ?? null,
    };
  }
  return sums;
}

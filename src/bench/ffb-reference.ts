import type { StudySummary, SummaryMetric } from './aggregate.js';

/** FFB's metric names and fairkit's keys. eodd is the sum form ΔTPR + ΔFPR. */
export const FFB_METRICS: readonly [ffb: string, key: SummaryMetric][] = [
  ['acc', 'accuracy'], ['AP', 'ap'], ['dp', 'demographicParityDifference'], ['eodd', 'equalizedOddsSum'], ['eopp', 'equalOpportunityDifference'],
];

interface ReferenceRow {
  dataset: string;
  /** fairkit's sensitive columns that FFB's attribute corresponds to (the FFB protocol codes both alike). */
  sensitive: readonly string[];
  title: string;
  /** mean and std over seeds, in %, per FFB metric. */
  values: Record<string, [number, number]>;
}

/** ERM MLP, FFB Table 4, test split, % (evaluation.md §4). */
export const FFB_ERM_REFERENCE: readonly ReferenceRow[] = [
  { dataset: 'adult', sensitive: ['sex'], title: 'Adult, gender', values: { acc: [85.35, 0.34], AP: [78.5, 0.72], dp: [16.67, 0.69], eodd: [14.16, 3.12], eopp: [7.93, 2.88] } },
  { dataset: 'adult', sensitive: ['race'], title: 'Adult, race', values: { acc: [85.21, 0.27], AP: [78.65, 0.35], dp: [12.23, 0.72], eodd: [13.12, 2.65], eopp: [8.81, 2.93] } },
  { dataset: 'compas', sensitive: ['sex'], title: 'COMPAS, gender', values: { acc: [67.07, 0.8], AP: [67.99, 0.93], dp: [13.43, 2.48], eodd: [19.67, 6.02], eopp: [11.54, 4.73] } },
  { dataset: 'compas', sensitive: ['race_binary', 'race'], title: 'COMPAS, race', values: { acc: [67.13, 1.06], AP: [68.24, 0.72], dp: [16.83, 3.48], eodd: [29.03, 6.66], eopp: [20.05, 3.95] } },
  { dataset: 'german', sensitive: ['sex'], title: 'German, gender', values: { acc: [75.42, 2.03], AP: [89.21, 1.06], dp: [7.36, 4.35], eodd: [14.45, 11.55], eopp: [2.74, 1.76] } },
  { dataset: 'bank', sensitive: ['age'], title: 'Bank, age', values: { acc: [91.17, 0.57], AP: [62.41, 1.83], dp: [10.88, 4.27], eodd: [10.71, 5.68], eopp: [6.16, 4.9] } },
];

export interface FfbComparisonRow {
  metric: string;
  ffb: [number, number];
  /** fairkit's ERM mean and std (std null with one run), in %. */
  fairkit: [number, number | null] | null;
  /** |fairkit − FFB| ≤ FFB's std. */
  withinOneSd: boolean | null;
}

/** fairkit's ERM under the FFB protocol beside FFB's Table 4, for a study that has a published row. */
export function compareWithFfb(study: StudySummary): { title: string; runs: number; rows: FfbComparisonRow[] } | null {
  // Only the full protocol compares: a run with overridden training options (e.g. --epochs 1) is not FFB's setup.
  if (study.task === 'regression' || study.protocol !== 'ffb' || !study.reference || study.sensitive.length !== 1 || Object.keys(study.training).length > 0) return null;
  const reference = FFB_ERM_REFERENCE.find((row) => row.dataset === study.dataset && row.sensitive.includes(study.sensitive[0]));
  if (!reference) return null;
  const erm = study.reference;
  return {
    title: reference.title,
    runs: erm.runs,
    rows: FFB_METRICS.map(([name, key]) => {
      const stat = erm.metrics[key];
      const ffb = reference.values[name];
      const fairkit: [number, number | null] | null = stat.mean === null ? null : [100 * stat.mean, stat.std === null ? null : 100 * stat.std];
      return { metric: name, ffb, fairkit, withinOneSd: fairkit === null ? null : Math.abs(fairkit[0] - ffb[0]) <= ffb[1] };
    }),
  };
}

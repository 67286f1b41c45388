import type { StudySummary } from '../bench/aggregate.js';
import type { Protocol } from '../bench/protocols.js';
import type { ChartSpec } from './charts.js';

export interface RenderedChart extends ChartSpec {
  /** Path of the SVG file relative to the report folder. */
  file: string;
  svg: string;
}

export interface StudyReport {
  study: StudySummary;
  /** File-name-safe and unique within the report. */
  slug: string;
  heading: string;
  protocol: Protocol;
  charts: RenderedChart[];
}

/** Everything the HTML and Markdown renderers show. */
export interface ReportModel {
  journal: string;
  generated: string;
  trials: number;
  /** The command line of the last bench run into the folder, when it left a manifest. */
  command: string | null;
  warnings: string[];
  studies: StudyReport[];
}

export const STATISTICS_NOTE =
  'Numbers are test-split metrics ×100, mean ± sample standard deviation over runs (seeds or folds). Intervals are ' +
  '95% percentile bootstrap intervals of the mean over runs (2,000 resamples), rough with few runs. "/ERM" columns ' +
  'divide by ERM\'s mean (FFB\'s normalisation); hypervolume is the area those normalised points dominate above ' +
  'zero utility and below ERM\'s gap (ERM alone scores 0). * marks a configuration on a Pareto front.';

/** What the top note adds when some studies are regression studies (their numbers are not ×100). */
export const REGRESSION_STATISTICS_NOTE =
  'Regression studies report their test metrics on the target\'s own scale (not ×100), mean ± sd over runs; their ' +
  'utility is RMSE, where lower is better: "RMSE/ERM" below 1 beats ERM, the Pareto fronts take lower RMSE as ' +
  'better, and the hypervolume scores RMSE as 2 − RMSE/ERM\'s (ERM at 1, the reference 0 at twice ERM\'s error).';

/** The statistics note of a report: the classification note, and the regression one when a study is regression. */
export function statisticsNote(model: Pick<ReportModel, 'studies'>): string {
  return model.studies.some((report) => report.study.task === 'regression') ? `${STATISTICS_NOTE} ${REGRESSION_STATISTICS_NOTE}` : STATISTICS_NOTE;
}

/**
 * How a protocol's setup reads for a regression study: the protocols describe their classifier (sigmoid output,
 * BCE, threshold 0.5); a regressor keeps the split, network and optimiser but not those.
 */
export const REGRESSION_PROTOCOL_NOTES = [
  'Regression: the same network with one linear output, trained on the target standardised with the training split\'s mean and deviation (MSE loss, or Huber with the training option regressionLoss); predictions and metrics are on the target\'s own scale.',
  'The split strata use whether the target lies above its median (over all rows) in place of the class label.',
];

export function trainingOverrides(study: StudySummary): string | null {
  const entries = Object.entries(study.training);
  return entries.length === 0 ? null : entries.map(([key, value]) => `${key} = ${JSON.stringify(value)}`).join(', ');
}

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

export function trainingOverrides(study: StudySummary): string | null {
  const entries = Object.entries(study.training);
  return entries.length === 0 ? null : entries.map(([key, value]) => `${key} = ${JSON.stringify(value)}`).join(', ');
}

/**
 * Post-processing inside a run: fit each `--postprocess` spec on the validation split's scores, then predict and
 * evaluate the test split with it. `fairkit train` and every bench trial go through here.
 */
import type { EncodedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { evaluate } from '../metrics/compute.js';
import type { MetricReport } from '../metrics/report-types.js';
import type { PostprocessSpec } from './spec.js';
import { fitThresholds, predictWithThresholds, type ThresholdsState } from './thresholds.js';

export interface PostprocessedRun {
  spec: string;
  state: ThresholdsState;
  /** The test split's report from the post-processed 0/1 predictions (no score metrics: AP, AUC, log loss). */
  test: MetricReport;
}

/**
 * Fits every spec on the validation split and evaluates it on the test split. `seed` seeds the random draws of a
 * randomised mixture (the run's seed).
 */
export function postprocessRun(specs: readonly PostprocessSpec[], splits: { validation: EncodedDataset; test: EncodedDataset }, scores: { validation: ArrayLike<number>; test: ArrayLike<number> }, seed: number): PostprocessedRun[] {
  if (specs.length === 0) return [];
  const { validation, test } = splits;
  if (validation.targets) throw new FairkitError('the thresholds post-processor needs a classification task (a 0/1 label to choose thresholds for), not a regression', { where: '--postprocess' });
  if (validation.nRows === 0) throw new FairkitError('the thresholds are fitted on the validation split, which is empty', { where: '--postprocess', fix: 'Give the split a validation fraction' });
  return specs.map((spec) => {
    const state = fitThresholds({ scores: scores.validation, labels: validation.y, groupIds: validation.groups.ids, keys: validation.groups.keys }, { constraint: spec.constraint, randomised: spec.randomised, seed });
    const keys = Array.from(test.groups.ids, (id) => test.groups.keys[id]);
    const { predictions } = predictWithThresholds(state, scores.test, keys);
    const report = evaluate({ yTrue: test.y, yPred: predictions as number[], groupIds: test.groups.ids, groups: test.groups });
    return { spec: spec.text, state, test: report };
  });
}

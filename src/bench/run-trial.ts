import { prepareDataset } from '../data/prepare.js';
import type { LoadedDataset } from '../data/types.js';
import { getMethod } from '../methods/registry.js';
import { evaluate } from '../metrics/compute.js';
import { fit, parseMethodParams } from '../train/fit.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { ContributionRecorder } from './contribution.js';
import { getProtocol } from './protocols.js';
import type { Trial, TrialResult } from './trial.js';

/**
 * One trial, as `fairkit train` does it (prepare, fit, evaluate on the test split) but with the protocol's split
 * and training setup. `dataset` is the trial's data set, opened with the trial's sensitive attributes.
 * The result keeps the per-epoch validation metrics (training curves) and the group contribution ratios.
 */
export function runTrial(trial: Trial, dataset: LoadedDataset): TrialResult {
  const protocol = getProtocol(trial.protocol);
  const method = getMethod(trial.method);
  const params = parseMethodParams(method, trial.params);
  const prepared = prepareDataset(protocol.adaptDataset(dataset), { seed: trial.seed, split: (strata) => protocol.split(strata, trial) });
  const options = { ...protocol.training(prepared.train.nRows), ...trial.training, seed: trial.seed, progress: 'silent' } as TrainingOptionsInput;
  const recorder = new ContributionRecorder(prepared.train.groups);
  const fitted = fit({ method, params, train: prepared.train, validation: prepared.validation, options, onBatchStart: recorder.observe });
  const { test } = prepared;
  try {
    const scores = fitted.model.predictProba(test.X, test.nRows, undefined, test.groups.ids);
    const report = evaluate({ yTrue: test.y, scores, groupIds: test.groups.ids, groups: test.groups });
    return {
      test: { overall: { ...report.overall }, fairness: { ...report.fairness }, groups: report.groups.map((group) => ({ ...group })) },
      trainSeconds: fitted.trainSeconds,
      epochs: fitted.epochsRun,
      params,
      rows: { train: prepared.train.nRows, validation: prepared.validation.nRows, test: test.nRows },
      history: fitted.history.map(({ epoch, loss, seconds, validation }) => ({ epoch, loss, seconds, ...(validation ? { validation } : {}) })),
      contribution: recorder.samples,
      notes: prepared.notes,
      warnings: report.warnings,
    };
  } finally {
    fitted.model.dispose();
  }
}

import { prepareDataset } from '../data/prepare.js';
import type { LoadedDataset } from '../data/types.js';
import { ContributionTracker } from '../methods/contribution.js';
import { getMethod } from '../methods/registry.js';
import { evaluate } from '../metrics/compute.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../nn/predict.js';
import { fit, parseMethodParams, parseTrainingOptions } from '../train/fit.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { getProtocol } from './protocols.js';
import type { Trial, TrialResult } from './trial.js';

/**
 * One trial, as `fairkit train` does it (prepare, fit, evaluate on the test split) but with the protocol's split
 * and training setup. `dataset` is the trial's data set, opened with the trial's sensitive attributes.
 * The result keeps the per-epoch validation metrics (training curves) and GCM's group contribution disparity.
 */
export function runTrial(trial: Trial, dataset: LoadedDataset): TrialResult {
  const protocol = getProtocol(trial.protocol);
  const method = getMethod(trial.method);
  const params = parseMethodParams(method, trial.params);
  const prepared = prepareDataset(protocol.adaptDataset(dataset), { seed: trial.seed, split: (strata) => protocol.split(strata, trial) });
  const options = { ...protocol.training(prepared.train.nRows), ...trial.training, seed: trial.seed, progress: 'silent' } as TrainingOptionsInput;
  // GCM's contribution disparity at the first step of every epoch (an epoch has ceil(rows / batch) steps).
  const stepsPerEpoch = Math.ceil(prepared.train.nRows / parseTrainingOptions(options).batchSize);
  const tracker = new ContributionTracker({ groups: prepared.train.groups, reference: prepared.train.groups.privileged ?? 0, every: stepsPerEpoch });
  const fitted = fit({ method, params, train: prepared.train, validation: prepared.validation, options, callbacks: [tracker] });
  const { test } = prepared;
  const { keys } = prepared.train.groups;
  try {
    const scores = predictProba(fitted.model, { X: test.X, nRows: test.nRows, groups: test.groups.ids, clusters: test.clusters }, { batchSize: DEFAULT_PREDICT_BATCH });
    const report = evaluate({ yTrue: test.y, scores, groupIds: test.groups.ids, groups: test.groups });
    return {
      test: { overall: { ...report.overall }, fairness: { ...report.fairness }, groups: report.groups.map((group) => ({ ...group })) },
      trainSeconds: fitted.trainSeconds,
      epochs: fitted.epochsRun,
      params,
      rows: { train: prepared.train.nRows, validation: prepared.validation.nRows, test: test.nRows },
      history: fitted.history.map(({ epoch, loss, seconds, validation }) => ({ epoch, loss, seconds, ...(validation ? { validation } : {}) })),
      contribution: tracker.records
        .filter((record) => Number.isFinite(record.overall))
        .map(({ step, epoch, y, group, reference, overall, median }) => ({ step, epoch, label: y, group: keys[group], reference: keys[reference], ratio: overall, ...(Number.isFinite(median) ? { median } : {}) })),
      notes: prepared.notes,
      warnings: report.warnings,
    };
  } finally {
    fitted.model.dispose();
  }
}

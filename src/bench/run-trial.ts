import { prepareDataset } from '../data/prepare.js';
import type { LoadedDataset } from '../data/types.js';
import { getMethod } from '../methods/registry.js';
import { postprocessRun } from '../postprocess/apply-to-split.js';
import { parsePostprocessSpec } from '../postprocess/spec.js';
import { scoresOn } from '../train/evaluation.js';
import { trainAndEvaluate } from '../pipeline/train-and-evaluate.js';
import { parseMethodParams, parseTrainingOptions } from '../train/fit.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { medlReport } from '../medl/output-report.js';
import { fairnessByAttribute } from './attribute-fairness.js';
import { getProtocol } from './protocols.js';
import type { Trial, TrialResult } from './trial.js';

/**
 * One trial, as `fairkit train` does it (the same train-and-evaluate flow) but with the protocol's split and
 * training setup. `dataset` is the trial's data set, opened with the trial's sensitive attributes.
 * The result keeps its task, the per-epoch validation metrics (training curves) and, for classification, GCM's
 * group contribution disparity (it is defined on the BCE of (group, label) cells, which a regressor does not train)
 * and, with several sensitive attributes, the fairness metrics of each attribute alone (`test.byAttribute`); for
 * the mixed-effects methods (classification), the FE and ME outputs' metrics and flip rates (`test.medl`, output-report.ts).
 */
export function runTrial(trial: Trial, dataset: LoadedDataset): TrialResult {
  const protocol = getProtocol(trial.protocol);
  parseMethodParams(getMethod(trial.method), trial.params);
  const prepared = prepareDataset(protocol.adaptDataset(dataset), {
    seed: trial.seed,
    split: (strata, clusters) => protocol.split(strata, trial, clusters),
    ...(trial.groups ? { trainingGroups: trial.groups } : {}),
  });
  const options = { ...protocol.training(prepared.train.nRows), ...trial.training, seed: trial.seed, progress: 'silent' } as TrainingOptionsInput;
  // GCM's contribution disparity at the first step of every epoch (an epoch has ceil(rows / batch) steps).
  const stepsPerEpoch = Math.ceil(prepared.train.nRows / parseTrainingOptions(options).batchSize);
  const regression = prepared.train.targets !== undefined;
  const outcome = trainAndEvaluate({
    prepared,
    method: trial.method,
    params: trial.params,
    options,
    ...(trial.inferenceBatchSize !== undefined ? { inferenceBatchSize: trial.inferenceBatchSize } : {}),
    ...(regression ? {} : { trackContribution: { reference: prepared.train.groups.privileged ?? 0, every: stepsPerEpoch } }),
  });
  const { fitted, params, test: report } = outcome;
  const records = outcome.contribution?.records ?? [];
  const { test } = prepared;
  const { keys } = prepared.train.groups;
  try {
    const specs = (trial.postprocess ?? []).map((text) => parsePostprocessSpec(text));
    const perAttribute = regression ? undefined : fairnessByAttribute({ yTrue: test.y, scores: outcome.testScores, groups: test.groups });
    // As `fairkit train` reports them: each output's spreads per attribute and the counterfactual flip rates.
    const medl = fitted.model.config.kind === 'medl' && !regression ? medlReport(fitted.model, test) : undefined;
    const postprocessed = postprocessRun(specs, prepared, { validation: specs.length > 0 ? scoresOn(fitted.model, prepared.validation) : [], test: outcome.testScores }, trial.seed);
    return {
      task: outcome.task,
      test: {
        overall: { ...report.overall },
        fairness: { ...report.fairness },
        groups: report.groups.map((group) => ({ ...group })),
        ...(perAttribute ? { byAttribute: perAttribute.byAttribute } : {}),
        ...(medl ? { medl } : {}),
      },
      trainSeconds: fitted.trainSeconds,
      epochs: fitted.epochsRun,
      params,
      rows: { train: prepared.train.nRows, validation: prepared.validation.nRows, test: test.nRows },
      history: fitted.history.map(({ epoch, loss, seconds, validation }) => ({ epoch, loss, seconds, ...(validation ? { validation } : {}) })),
      contribution: records
        .filter((record) => Number.isFinite(record.overall))
        .map(({ step, epoch, y, group, reference, overall, median }) => ({ step, epoch, label: y, group: keys[group], reference: keys[reference], ratio: overall, ...(Number.isFinite(median) ? { median } : {}) })),
      notes: prepared.notes,
      warnings: [...report.warnings, ...(perAttribute?.warnings ?? [])],
      ...(outcome.inference ? { inference: { ...outcome.inference } } : {}),
      ...(postprocessed.length > 0 ? { postprocessed: postprocessed.map(({ spec, test: p }) => ({ spec, test: { overall: { ...p.overall }, fairness: { ...p.fairness }, groups: p.groups.map((group) => ({ ...group })) } })) } : {}),
    };
  } finally {
    fitted.model.dispose();
  }
}

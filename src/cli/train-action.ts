import { randomUUID } from 'node:crypto';
import { dataSeedOf, openDataset } from '../data/open-dataset.js';
import { FairkitError } from '../errors.js';
import { checkOutFolder } from '../io/folder-swap.js';
import { initBackend } from '../nn/backend.js';
import { getMethod } from '../methods/registry.js';
import { saveFittedModel } from '../model-folder/fitted-model.js';
import { trainAndEvaluate } from '../pipeline/train-and-evaluate.js';
import { postprocessRun } from '../postprocess/apply-to-split.js';
import { parsePostprocessSpec } from '../postprocess/spec.js';
import { scoresOn } from '../train/evaluation.js';
import { medlReport, medlReportText } from '../medl/output-report.js';
import { csvOptionsFrom } from './read-options.js';
import { testSplitTable } from './run-output.js';
import type { TrainFlags } from './train.js';

/** `fairkit train`: loaded on demand so that the light commands do not pay for TensorFlow.js start-up. */
export async function runTrain(flags: TrainFlags): Promise<void> {
  if (flags.trackContribution && !flags.out) throw new FairkitError('--track-contribution writes contribution.json into the run folder, so it needs --out', { fix: 'Add --out DIR' });
  const postprocess = flags.postprocess === undefined ? undefined : parsePostprocessSpec(flags.postprocess);
  // Refused before any work: a file, a folder of other files, or a run folder without --force.
  if (flags.out) checkOutFolder(flags.out, { force: flags.force, option: '--out' });
  const dataset = await openDataset({ dataset: flags.dataset, dataDir: flags.dataDir, target: flags.target, positive: flags.positive, sensitive: flags.sensitive, drop: flags.drop, cluster: flags.clusters, task: flags.task, seed: flags.dataSeed, binning: flags.bin, read: csvOptionsFrom(flags) });
  await initBackend(flags.backend, { threads: flags.threads });
  const outcome = trainAndEvaluate({
    dataset,
    method: flags.method,
    params: flags.param,
    options: { epochs: flags.epochs, batchSize: flags.batchSize, learningRate: flags.lr, hidden: flags.hidden, seed: flags.seed, regressionLoss: flags.regressionLoss, huberDelta: flags.huberDelta, fusedStep: flags.fusedStep, progress: 'auto' },
    fractions: flags.split,
    splitSeed: flags.seed,
    trackContribution: flags.trackContribution,
  });
  const { prepared, fitted, test } = outcome;
  // Fitted on the validation split's scores, judged on the test split's.
  const [postprocessed] = postprocess ? postprocessRun([postprocess], prepared, { validation: scoresOn(fitted.model, prepared.validation), test: outcome.testScores }, flags.seed) : [];
  for (const note of prepared.notes) process.stderr.write(`note: ${note}\n`);
  for (const warning of prepared.warnings) process.stderr.write(`warning: ${warning}\n`);
  for (const warning of test.warnings) process.stderr.write(`warning: ${warning}\n`);
  // The medl methods also report their fixed- and mixed-effects outputs apart, and counterfactual flip rates.
  const medl = fitted.model.config.kind === 'medl' && !prepared.test.targetScale ? medlReport(fitted.model, prepared.test) : undefined;
  const summary = {
    dataset: dataset.name,
    sensitive: prepared.spec.sensitive,
    method: flags.method,
    params: outcome.params,
    seed: flags.seed,
    epochs: fitted.epochsRun,
    trainSeconds: fitted.trainSeconds,
    secondsPerEpoch: fitted.secondsPerEpoch,
    test: { overall: test.overall, fairness: test.fairness, groups: test.groups, ...(medl ? { medl } : {}) },
    ...(postprocessed ? { postprocessed: { spec: postprocessed.spec, validation: postprocessed.state.fitted, test: { overall: postprocessed.test.overall, fairness: postprocessed.test.fairness, groups: postprocessed.test.groups } } } : {}),
  };
  if (flags.out) {
    // One run, one folder: model, metrics and contribution are swapped in together, tagged with the same run id.
    const runId = randomUUID();
    const files = [{ name: 'metrics.json', data: `${JSON.stringify({ runId, ...summary, history: fitted.history }, null, 2)}\n` }];
    if (outcome.contribution) files.push({ name: 'contribution.json', data: `${JSON.stringify({ runId, ...outcome.contribution.toJSON() })}\n` });
    await saveFittedModel(
      flags.out,
      { model: fitted.model, method: getMethod(flags.method), params: outcome.params, prepared, dataset: dataset.name, postprocessor: postprocessed?.state, seeds: { split: flags.seed, training: flags.seed, data: dataSeedOf(flags.dataset, flags.dataSeed) }, fractions: flags.split, runId },
      { force: flags.force, files, option: '--out' },
    );
  }
  if (flags.format === 'json') process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    process.stdout.write(`${dataset.name}: ${flags.method} ${JSON.stringify(outcome.params)}, ${fitted.epochsRun} epochs in ${fitted.trainSeconds.toFixed(1)} s (seed ${flags.seed})\n\ntest split:\n`);
    process.stdout.write(testSplitTable(prepared, test));
    if (medl) process.stdout.write(`\ntest split, fixed-effects (FE) and mixed-effects (ME) outputs:\n${medlReportText(medl)}`);
    if (postprocessed) process.stdout.write(`\ntest split, post-processed with ${postprocessed.spec} (fitted on the validation split):\n${testSplitTable(prepared, postprocessed.test)}`);
    if (flags.out) process.stdout.write(`\nsaved to ${flags.out}\n`);
  }
  fitted.model.dispose();
}

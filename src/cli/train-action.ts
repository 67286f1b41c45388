import { join } from 'node:path';
import { openDataset } from '../data/open-dataset.js';
import { FairkitError } from '../errors.js';
import { ensureWritableFolder, writeFileAtomic } from '../io/atomic-write.js';
import { initBackend } from '../nn/backend.js';
import { getMethod } from '../methods/registry.js';
import { saveFittedModel } from '../model-folder/fitted-model.js';
import { trainAndEvaluate } from '../pipeline/train-and-evaluate.js';
import { testSplitTable } from './run-output.js';
import type { TrainFlags } from './train.js';

/** `fairkit train`: loaded on demand so that the light commands do not pay for TensorFlow.js start-up. */
export async function runTrain(flags: TrainFlags): Promise<void> {
  if (flags.trackContribution && !flags.out) throw new FairkitError('--track-contribution writes contribution.json into the run folder, so it needs --out', { fix: 'Add --out DIR' });
  if (flags.out) ensureWritableFolder(flags.out, '--out');
  const dataset = await openDataset({ dataset: flags.dataset, dataDir: flags.dataDir, target: flags.target, positive: flags.positive, sensitive: flags.sensitive, drop: flags.drop, cluster: flags.clusters, task: flags.task, seed: flags.dataSeed, binning: flags.bin });
  await initBackend(flags.backend);
  const outcome = trainAndEvaluate({
    dataset,
    method: flags.method,
    params: flags.param,
    options: { epochs: flags.epochs, batchSize: flags.batchSize, learningRate: flags.lr, hidden: flags.hidden, seed: flags.seed, progress: 'auto' },
    fractions: flags.split,
    splitSeed: flags.seed,
    trackContribution: flags.trackContribution,
  });
  const { prepared, fitted, test } = outcome;
  for (const note of prepared.notes) process.stderr.write(`note: ${note}\n`);
  for (const warning of prepared.warnings) process.stderr.write(`warning: ${warning}\n`);
  for (const warning of test.warnings) process.stderr.write(`warning: ${warning}\n`);
  const summary = {
    dataset: dataset.name,
    sensitive: prepared.spec.sensitive,
    method: flags.method,
    params: outcome.params,
    seed: flags.seed,
    epochs: fitted.epochsRun,
    trainSeconds: fitted.trainSeconds,
    secondsPerEpoch: fitted.secondsPerEpoch,
    test: { overall: test.overall, fairness: test.fairness, groups: test.groups },
  };
  if (flags.out) {
    await saveFittedModel(flags.out, {
      model: fitted.model,
      method: getMethod(flags.method),
      params: outcome.params,
      prepared,
      dataset: dataset.name,
      seeds: { split: flags.seed, training: flags.seed },
      fractions: flags.split,
    });
    writeFileAtomic(join(flags.out, 'metrics.json'), `${JSON.stringify({ ...summary, history: fitted.history }, null, 2)}\n`);
    outcome.contribution?.writeJson(join(flags.out, 'contribution.json'));
  }
  if (flags.format === 'json') process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    process.stdout.write(`${dataset.name}: ${flags.method} ${JSON.stringify(outcome.params)}, ${fitted.epochsRun} epochs in ${fitted.trainSeconds.toFixed(1)} s (seed ${flags.seed})\n\ntest split:\n`);
    process.stdout.write(testSplitTable(prepared, test));
    if (flags.out) process.stdout.write(`\nsaved to ${flags.out}\n`);
  }
  fitted.model.dispose();
}

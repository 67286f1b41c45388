import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataSeedOf, openDataset } from '../data/open-dataset.js';
import { DEFAULT_FRACTIONS, prepareDataset } from '../data/prepare.js';
import { FairkitError } from '../errors.js';
import { checkOutFolder } from '../io/folder-swap.js';
import { fineTuningSubset, groupMixNormDebias, startingFrom } from '../methods/debias.js';
import { initBackend } from '../nn/backend.js';
import { isGroupMixNormMlp } from '../nn/group-mix-norm-mlp.js';
import type { MlpArchitecture } from '../nn/mlp.js';
import { loadModelFolder } from '../model-folder/folder.js';
import { saveFittedModel } from '../model-folder/fitted-model.js';
import type { ModelFolder } from '../model-folder/schema.js';
import { trainAndEvaluate } from '../pipeline/train-and-evaluate.js';
import { evaluateOn, outputsOn, type SplitReport } from '../train/evaluation.js';
import type { DebiasFlags } from './debias.js';
import { testSplitTable } from './run-output.js';

/**
 * `fairkit debias`: the paper's pre-trained debiasing. The saved model's data set is opened and split as in
 * training (the seed and fractions recorded in model.json, or given; the refitted encoder must equal the saved one, which proves it), then
 * GroupMixNorm layers are inserted and fine-tuned on `fraction` of the training split. Reports the test split
 * before and after.
 */
export async function runDebias(flags: DebiasFlags): Promise<void> {
  // Refused before any work; with --force, --out may even be --model (loaded into memory before it is replaced).
  if (flags.out) checkOutFolder(flags.out, { force: flags.force, option: '--out' });
  await initBackend(flags.backend, { threads: flags.threads });
  const saved = await loadModelFolder(flags.model);
  try {
    if (isGroupMixNormMlp(saved.model)) throw new FairkitError('the model already has GroupMixNorm layers', { where: flags.model, fix: 'Give the folder of a plain model' });
    const { dataset: name, spec, positive } = saved.folder.provenance;
    if (name === undefined || spec === undefined || positive === undefined) throw new FairkitError('model.json does not record the data it was trained on', { where: flags.model, fix: 'Give a folder written by `fairkit train --out`' });
    const seed = flags.seed ?? trainedSeed(saved.folder, flags.model);
    const fractions = flags.split ?? saved.folder.provenance.split?.fractions ?? DEFAULT_FRACTIONS;
    const opened = await openDataset({ dataset: name, dataDir: flags.dataDir, target: spec.target, positive, sensitive: spec.sensitive, seed: flags.dataSeed ?? saved.folder.provenance.dataSeed, binning: Object.entries(saved.folder.groups?.cuts ?? {}).map(([column, cuts]) => ({ column, cuts })) });
    const prepared = prepareDataset({ ...opened, spec: { ...opened.spec, ...spec } }, { seed, fractions });
    if (JSON.stringify(prepared.encoder.toJSON()) !== JSON.stringify(saved.folder.encoder)) {
      throw new FairkitError('the data, split or seed differ from those the model was trained on (its encoder does not match)', {
        where: flags.model,
        fix: 'Give the --seed and --split used in training, and the same data set',
      });
    }
    if (saved.model.config.kind !== 'mlp') throw new FairkitError(`GroupMixNorm can be inserted into a plain MLP, not a '${saved.model.config.kind}' model`, { where: flags.model });
    const architecture = saved.model.config as MlpArchitecture;
    const outcome = trainAndEvaluate({
      prepared,
      method: groupMixNormDebias,
      baseModel: startingFrom(saved.model),
      params: flags.param,
      trainRows: (train) => fineTuningSubset(train, flags.fraction, seed),
      options: { epochs: flags.epochs, batchSize: flags.batchSize, learningRate: flags.lr, hidden: architecture.hidden, activation: architecture.activation, dropout: architecture.dropout, seed, progress: 'auto' },
    });
    const { fitted, train: subset, test: after } = outcome;
    try {
      const beforeOutputs = outputsOn(saved.model, prepared.test);
      const before = evaluateOn(prepared.test, beforeOutputs.scores, beforeOutputs.logits);
      const summary = {
        dataset: opened.name,
        sensitive: prepared.spec.sensitive,
        method: 'groupmixnorm-debias',
        params: flags.param,
        seed,
        fraction: flags.fraction,
        fineTuneRows: subset.nRows,
        epochs: fitted.epochsRun,
        trainSeconds: fitted.trainSeconds,
        secondsPerEpoch: fitted.secondsPerEpoch,
        before: testPart(before),
        test: testPart(after),
      };
      if (flags.out) {
        const runId = randomUUID();
        await saveFittedModel(
          flags.out,
          { model: fitted.model, method: groupMixNormDebias, params: outcome.params, prepared, dataset: name, seeds: { split: seed, training: seed, data: dataSeedOf(name, flags.dataSeed ?? saved.folder.provenance.dataSeed) }, fractions, runId },
          { force: flags.force, files: [{ name: 'metrics.json', data: `${JSON.stringify({ runId, ...summary, history: fitted.history }, null, 2)}\n` }], option: '--out' },
        );
      }
      if (flags.format === 'json') process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else {
        process.stdout.write(`${opened.name}: GroupMixNorm inserted into ${flags.model}, fine-tuned on ${subset.nRows} rows (${flags.fraction} of the training split) for ${fitted.epochsRun} epochs (seed ${seed})\n`);
        process.stdout.write(`\ntest split before:\n${testSplitTable(prepared, before)}\ntest split after:\n${testSplitTable(prepared, after)}`);
        if (flags.out) process.stdout.write(`\nsaved to ${flags.out}\n`);
      }
    } finally {
      fitted.model.dispose();
    }
  } finally {
    saved.model.dispose();
  }
}

function testPart(report: SplitReport) {
  return { overall: report.overall, fairness: report.fairness, groups: report.groups };
}

/**
 * The seed of the model's split: recorded in model.json since format version 2; a version 1 folder has it only in
 * the metrics.json that `fairkit train --out` wrote beside it.
 */
function trainedSeed(folder: ModelFolder, dir: string): number {
  const recorded = folder.provenance.split?.seed;
  if (recorded !== undefined) return recorded;
  const path = join(dir, 'metrics.json');
  let seed: unknown;
  try {
    seed = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { seed?: unknown }).seed : undefined;
  } catch {
    throw new FairkitError('not readable as JSON', { where: path, fix: 'Give --seed' });
  }
  if (typeof seed !== 'number') throw new FairkitError('no training seed recorded (model.json or metrics.json)', { where: dir, fix: 'Give --seed' });
  return seed;
}

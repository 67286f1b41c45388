import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { openDataset } from '../data/open-dataset.js';
import { prepareDataset } from '../data/prepare.js';
import { FairkitError } from '../errors.js';
import { ensureWritableFolder, writeFileAtomic } from '../io/atomic-write.js';
import { fineTuningSubset, groupMixNormDebias, startingFrom } from '../methods/debias.js';
import { evaluate } from '../metrics/compute.js';
import type { MetricReport } from '../metrics/report-types.js';
import { initBackend } from '../nn/backend.js';
import { isGroupMixNormMlp } from '../nn/group-mix-norm-mlp.js';
import type { MlpArchitecture } from '../nn/mlp.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../nn/predict.js';
import { loadModel, saveModel } from '../nn/save-load.js';
import { fit } from '../train/fit.js';
import type { DebiasFlags } from './debias.js';
import { savedRunExtra, testSplitTable } from './run-output.js';

/** What `fairkit train --out` records about the data, in model.json's extra. */
const trainedOnSchema = z.object({
  dataset: z.string(),
  spec: z.object({ target: z.string(), positive: z.string().optional(), sensitive: z.array(z.string()).min(1) }).loose(),
  positive: z.string(),
});

/**
 * `fairkit debias`: the paper's pre-trained debiasing. The saved model's data set is opened and split as in
 * training (same seed and fractions; the refitted encoder must equal the saved one, which proves it), then
 * GroupMixNorm layers are inserted and fine-tuned on `fraction` of the training split. Reports the test split
 * before and after.
 */
export async function runDebias(flags: DebiasFlags): Promise<void> {
  if (flags.out) ensureWritableFolder(flags.out, '--out');
  await initBackend(flags.backend);
  const saved = await loadModel(flags.model);
  try {
    if (isGroupMixNormMlp(saved.model)) throw new FairkitError('the model already has GroupMixNorm layers', { where: flags.model, fix: 'Give the folder of a plain model' });
    const trainedOn = trainedOnSchema.safeParse(saved.extra);
    if (!trainedOn.success) throw new FairkitError('model.json does not record the data it was trained on', { where: flags.model, fix: 'Give a folder written by `fairkit train --out`' });
    const seed = flags.seed ?? trainedSeed(flags.model);
    const { dataset: name, spec, positive } = trainedOn.data;
    const opened = await openDataset({ dataset: name, dataDir: flags.dataDir, target: spec.target, positive, sensitive: spec.sensitive, seed });
    const prepared = prepareDataset({ ...opened, spec: { ...opened.spec, ...spec } as typeof opened.spec }, { seed, fractions: flags.split });
    if (JSON.stringify(prepared.encoder.toJSON()) !== JSON.stringify(saved.encoder)) {
      throw new FairkitError('the data, split or seed differ from those the model was trained on (its encoder does not match)', {
        where: flags.model,
        fix: 'Give the --seed and --split used in training, and the same data set',
      });
    }
    if (saved.model.config.kind !== 'mlp') throw new FairkitError(`GroupMixNorm can be inserted into a plain MLP, not a '${saved.model.config.kind}' model`, { where: flags.model });
    const architecture = saved.model.config as MlpArchitecture;
    const subset = fineTuningSubset(prepared.train, flags.fraction, seed);
    const fitted = fit({
      method: groupMixNormDebias,
      baseModel: startingFrom(saved.model),
      params: flags.param,
      train: subset,
      validation: prepared.validation,
      options: { epochs: flags.epochs, batchSize: flags.batchSize, learningRate: flags.lr, hidden: architecture.hidden, activation: architecture.activation, dropout: architecture.dropout, seed, progress: 'auto' },
    });
    try {
      const { test } = prepared;
      const reportOf = (scores: Float32Array) => evaluate({ yTrue: test.y, scores, groupIds: test.groups.ids, groups: test.groups });
      const rows = { X: test.X, nRows: test.nRows, groups: test.groups.ids };
      const before = reportOf(predictProba(saved.model, rows, { batchSize: DEFAULT_PREDICT_BATCH }));
      const after = reportOf(predictProba(fitted.model, rows, { batchSize: DEFAULT_PREDICT_BATCH }));
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
        await saveModel(flags.out, {
          model: fitted.model,
          encoder: prepared.encoder.toJSON(),
          method: 'groupmixnorm-debias',
          params: flags.param,
          extra: savedRunExtra(opened.name, prepared),
        });
        writeFileAtomic(join(flags.out, 'metrics.json'), `${JSON.stringify({ ...summary, history: fitted.history }, null, 2)}\n`);
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

function testPart(report: MetricReport) {
  return { overall: report.overall, fairness: report.fairness, groups: report.groups };
}

/** The seed recorded in the model folder's metrics.json. */
function trainedSeed(folder: string): number {
  const path = join(folder, 'metrics.json');
  let seed: unknown;
  try {
    seed = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { seed?: unknown }).seed : undefined;
  } catch {
    throw new FairkitError('not readable as JSON', { where: path, fix: 'Give --seed' });
  }
  if (typeof seed !== 'number') throw new FairkitError('no training seed recorded (metrics.json)', { where: folder, fix: 'Give --seed' });
  return seed;
}

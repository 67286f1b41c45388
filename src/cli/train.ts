import { Command, Option } from 'commander';
import { join } from 'node:path';
import { openDataset } from '../data/open-dataset.js';
import { writeFileAtomic, ensureWritableFolder } from '../io/atomic-write.js';
import { initBackend } from '../nn/backend.js';
import { saveModel } from '../nn/save-load.js';
import { trainAndEvaluate } from '../pipeline/train-and-evaluate.js';
import { renderAudit } from '../audit/render.js';
import { choiceOption, listOption, numberOption } from './options.js';
import { parseParam } from './params.js';

interface TrainFlags {
  dataset: string;
  dataDir?: string;
  target?: string;
  positive?: string;
  sensitive?: string[];
  drop?: string[];
  method: string;
  param: Record<string, unknown>;
  epochs: number;
  batchSize: number;
  lr: number;
  hidden: string[];
  seed: number;
  split: string[];
  out?: string;
  format: 'table' | 'json';
  backend: 'auto' | 'wasm' | 'cpu';
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('Train a network with a fairness method, evaluate it on the test split, and optionally save it.')
    .requiredOption('--dataset <name>', 'adult, compas, german, bank, synthetic, or a CSV file', 'synthetic')
    .option('--data-dir <dir>', 'folder with one sub-folder per data set (default $FAIRKIT_DATA_DIR or ../shared/datasets)')
    .option('--target <col>', 'target column (required for a CSV file)')
    .option('--positive <value>', "the target's positive value")
    .option('--sensitive <cols>', 'sensitive column(s), comma-separated', listOption('--sensitive'))
    .option('--drop <cols>', 'columns that are not model inputs (ids, leaked outcomes), comma-separated', listOption('--drop'))
    .option('--method <name>', 'fairness method (see `fairkit methods`)', 'erm')
    .option('--param <key=value>', 'method parameter, repeatable (e.g. --param lambda=0.5)', parseParam, {})
    .option('--epochs <n>', 'training epochs', numberOption('--epochs', { min: 1, integer: true }), 20)
    .option('--batch-size <b>', 'batch size', numberOption('--batch-size', { min: 1, integer: true }), 2000)
    .option('--lr <rate>', 'Adam learning rate', numberOption('--lr', { min: Number.MIN_VALUE }), 1e-3)
    .option('--hidden <sizes>', 'hidden layer sizes, comma-separated', listOption('--hidden'), ['200'])
    .option('--seed <s>', 'seed of the split, the initial weights and the batches', numberOption('--seed', { integer: true }), 0)
    .option('--split <fractions>', 'train,validation,test fractions', listOption('--split'), ['0.6', '0.2', '0.2'])
    .option('--out <dir>', 'folder to save the model and metrics.json in')
    .addOption(new Option('--format <format>', 'output format').argParser(choiceOption('--format', ['table', 'json'] as const)).default('table'))
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').argParser(choiceOption('--backend', ['auto', 'wasm', 'cpu'] as const)).default('auto'))
    .action(async (flags: TrainFlags) => {
      if (flags.out) ensureWritableFolder(flags.out, '--out');
      const hidden = flags.hidden.map(numberOption('--hidden', { min: 1, integer: true }));
      const fractions = flags.split.map(numberOption('--split', { min: 0, max: 1 }));
      const dataset = await openDataset({ dataset: flags.dataset, dataDir: flags.dataDir, target: flags.target, positive: flags.positive, sensitive: flags.sensitive, drop: flags.drop, seed: flags.seed });
      await initBackend(flags.backend);
      const outcome = trainAndEvaluate({
        dataset,
        method: flags.method,
        params: flags.param,
        options: { epochs: flags.epochs, batchSize: flags.batchSize, learningRate: flags.lr, hidden, seed: flags.seed, progress: 'auto' },
        fractions,
        splitSeed: flags.seed,
      });
      const { prepared, fitted, test } = outcome;
      for (const note of prepared.notes) process.stderr.write(`note: ${note}\n`);
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
        await saveModel(flags.out, {
          model: fitted.model,
          encoder: prepared.encoder.toJSON(),
          method: flags.method,
          params: outcome.params,
          extra: { dataset: dataset.name, spec: prepared.spec, groups: { attributes: prepared.train.groups.attributes, keys: prepared.train.groups.keys }, positive: prepared.positive },
        });
        writeFileAtomic(join(flags.out, 'metrics.json'), `${JSON.stringify({ ...summary, history: fitted.history }, null, 2)}\n`);
      }
      if (flags.format === 'json') process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else {
        process.stdout.write(`${dataset.name}: ${flags.method} ${JSON.stringify(outcome.params)}, ${fitted.epochsRun} epochs in ${fitted.trainSeconds.toFixed(1)} s (seed ${flags.seed})\n\ntest split:\n`);
        process.stdout.write(renderAudit({ rows: prepared.test.nRows, sensitive: prepared.spec.sensitive, positive: prepared.positive, overall: { ...test.overall }, groups: test.groups.map((group) => ({ ...group })), fairness: { ...test.fairness }, warnings: [] }, 'table'));
        if (flags.out) process.stdout.write(`\nsaved to ${flags.out}\n`);
      }
      fitted.model.dispose();
    });
}

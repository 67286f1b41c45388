import { threadsOption } from './threads-option.js';
import { Command, Option } from 'commander';
import { choiceOption, numberOption, splitOption } from './options.js';
import { parseParam } from './params.js';

export interface DebiasFlags {
  model: string;
  dataDir?: string;
  fraction: number;
  param: Record<string, unknown>;
  epochs: number;
  batchSize: number;
  lr: number;
  seed?: number;
  /** Seed of the built-in synthetic data the model was trained on (default: openDataset's, as in training). */
  dataSeed?: number;
  /** Default: the fractions recorded in model.json (0.6,0.2,0.2 for a folder that records none). */
  split?: number[];
  out?: string;
  force: boolean;
  format: 'table' | 'json';
  backend: 'auto' | 'wasm' | 'cpu';
  threads: number;
}

export function registerDebias(program: Command): void {
  program
    .command('debias')
    .description('Insert GroupMixNorm layers into a model saved by `fairkit train` and fine-tune it on a fraction of its training split.')
    .requiredOption('--model <dir>', 'folder written by `fairkit train --out` (a plain MLP)')
    .option('--data-dir <dir>', 'folder with one sub-folder per data set (default $FAIRKIT_DATA_DIR or ../shared/datasets)')
    .option('--fraction <f>', 'share of the training split used for fine-tuning, stratified by (group, label)', numberOption('--fraction', { min: Number.MIN_VALUE, max: 1 }), 0.1)
    .option('--param <key=value>', 'groupmixnorm-debias parameter, repeatable (e.g. --param freezeBase=true); see docs/methods/groupmixnorm.md', parseParam, {})
    .option('--epochs <n>', 'fine-tuning epochs', numberOption('--epochs', { min: 1, integer: true }), 10)
    .option('--batch-size <b>', 'batch size', numberOption('--batch-size', { min: 1, integer: true }), 256)
    .option('--lr <rate>', 'Adam learning rate', numberOption('--lr', { min: Number.MIN_VALUE }), 1e-3)
    .option('--seed <s>', "seed of the split (default: the trained model's) and of the fine-tuning", numberOption('--seed', { integer: true }))
    .option('--data-seed <s>', 'seed of the built-in synthetic data: the --data-seed the model was trained with (default: the same default as fairkit train)', numberOption('--data-seed', { integer: true }))
    .option('--split <fractions>', "train,validation,test fractions the model was trained with (default: the model's)", splitOption('--split', 'fairkit debias', ['training', 'test']))
    .option('--out <dir>', 'folder to save the debiased model and metrics.json in')
    .option('--force', 'replace an existing run folder at --out whole, even --model itself (else it is refused)', false)
    .addOption(new Option('--format <format>', 'output format').argParser(choiceOption('--format', ['table', 'json'] as const)).default('table'))
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').argParser(choiceOption('--backend', ['auto', 'wasm', 'cpu'] as const)).default('auto'))
    .addOption(threadsOption())
    .action(async (flags: DebiasFlags) => (await import('./debias-action.js')).runDebias(flags));
}

import { threadsOption } from './threads-option.js';
import { Command, Option } from 'commander';
import { binOption, choiceOption, listOption, numberListOption, numberOption, splitOption } from './options.js';
import { parseParam } from './params.js';
import { categoricalOption, encodingOption, missingOption, type ReadFlags } from './read-options.js';
import type { Binning } from '../data/binning.js';
import { DEFAULT_DATA_SEEDS } from '../data/open-dataset.js';

export interface TrainFlags extends ReadFlags {
  dataset: string;
  dataDir?: string;
  target?: string;
  positive?: string;
  sensitive?: string[];
  bin?: Binning[];
  drop?: string[];
  clusters?: string;
  task?: 'classification' | 'regression';
  regressionLoss: 'mse' | 'huber';
  huberDelta: number;
  fusedStep?: boolean;
  method: string;
  param: Record<string, unknown>;
  epochs: number;
  batchSize: number;
  lr: number;
  hidden: number[];
  seed: number;
  dataSeed?: number;
  split: number[];
  out?: string;
  force: boolean;
  trackContribution: boolean;
  postprocess?: string;
  format: 'table' | 'json';
  backend: 'auto' | 'wasm' | 'cpu';
  threads: number;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('Train a network with a fairness method, evaluate it on the test split, and optionally save it.')
    .requiredOption('--dataset <name>', 'adult, compas, german, bank, communities, student, student-por, oulad, synthetic, synthetic-biased, synthetic-regression, or a CSV file', 'synthetic')
    .option('--data-dir <dir>', 'folder with one sub-folder per data set (default $FAIRKIT_DATA_DIR or ../shared/datasets)')
    .option('--target <col>', 'target column (required for a CSV file)')
    .option('--positive <value>', "the target's positive value")
    .option('--sensitive <cols>', 'sensitive column(s), comma-separated', listOption('--sensitive'))
    .option('--bin <col=rule>', 'bin a numeric sensitive column into groups: COL=quantiles:Q (Q equal-count bins) or COL=CUT,CUT,… (a bin holds its lower cut); repeatable', binOption)
    .option('--drop <cols>', 'columns that are not model inputs (ids, leaked outcomes), comma-separated', listOption('--drop'))
    .addOption(encodingOption()).addOption(missingOption()).addOption(categoricalOption())
    .option('--clusters <col>', 'cluster column (e.g. hospital, region): its ids reach the model in training and prediction, and its values are saved with the model')
    .addOption(new Option('--regression-loss <loss>', 'task loss of a regression: mse or huber (on standardised targets)').argParser(choiceOption('--regression-loss', ['mse', 'huber'] as const)).default('mse'))
    .option('--huber-delta <d>', "Huber's δ in standard deviations of the training targets", numberOption('--huber-delta', { min: Number.MIN_VALUE }), 1)
    .option('--fused-step', 'forward, backward and Adam in one WebAssembly pass when the method is plain first-order ERM on a ReLU MLP (erm, reweigh, oversample); other runs train as without it (default: on when FAIRKIT_FUSED_STEP=1)')
    .addOption(new Option('--task <task>', "classification or regression (default: the data set's own; a CSV file: classification; never inferred from the values)").argParser(choiceOption('--task', ['classification', 'regression'] as const)))
    .option('--method <name>', 'fairness method (see `fairkit methods`)', 'erm')
    .option('--param <key=value>', 'method parameter, repeatable (e.g. --param lambda=0.5)', parseParam, {})
    .option('--epochs <n>', 'training epochs', numberOption('--epochs', { min: 1, integer: true }), 20)
    .option('--batch-size <b>', 'batch size', numberOption('--batch-size', { min: 1, integer: true }), 2000)
    .option('--lr <rate>', 'Adam learning rate', numberOption('--lr', { min: Number.MIN_VALUE }), 1e-3)
    .option('--hidden <sizes>', 'hidden layer sizes, comma-separated', numberListOption('--hidden', { min: 1, integer: true }), [200])
    .option('--seed <s>', 'seed of the split, the initial weights and the batches', numberOption('--seed', { integer: true }), 0)
    .option('--data-seed <s>', `seed of the built-in synthetic data, its own and not --seed (default ${DEFAULT_DATA_SEEDS.synthetic} for synthetic and synthetic-biased, ${DEFAULT_DATA_SEEDS['synthetic-regression']} for synthetic-regression: the data fairkit bench uses)`, numberOption('--data-seed', { integer: true }))
    .option('--split <fractions>', 'train,validation,test fractions, each above 0, summing to 1', splitOption('--split', 'fairkit train', ['training', 'validation', 'test']), [0.6, 0.2, 0.2])
    .option('--out <dir>', 'folder to save the model and metrics.json in')
    .option('--force', 'replace an existing run folder at --out whole (else it is refused)', false)
    .option('--postprocess <spec>', 'fit a post-processor on the validation split, report it on the test split and save it with --out: thresholds:eo, thresholds:tpr or thresholds:dp, optionally followed by :deterministic (docs/postprocess.md)')
    .option('--track-contribution', "record GCM's group contribution disparity (Eq. 8/9) before every step into --out/contribution.json", false)
    .addOption(new Option('--format <format>', 'output format').argParser(choiceOption('--format', ['table', 'json'] as const)).default('table'))
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').argParser(choiceOption('--backend', ['auto', 'wasm', 'cpu'] as const)).default('auto'))
    .addOption(threadsOption())
    .action(async (flags: TrainFlags) => (await import('./train-action.js')).runTrain(flags));
}

import { Command, Option } from 'commander';
import { STRONGER_FACTOR } from '../bench/conventions.js';
import { threadsOption, workersOption } from './threads-option.js';
import { choiceOption, listOption, numberListOption, numberOption } from './options.js';

export interface BenchFlags {
  dataset: string[];
  dataDir?: string;
  sensitive?: string[];
  methods: string[];
  lambdas?: number[];
  seeds?: number;
  folds?: number;
  clusters?: string;
  clusterSplit?: 'seen' | 'unseen';
  groups?: 'intersection' | 'marginal';
  protocol: 'ffb' | 'gcm';
  epochs?: number;
  batchSize?: number;
  lr?: number;
  hidden?: number[];
  inferenceBatchSize?: number;
  workers?: number;
  threads: number;
  out: string;
  backend: 'auto' | 'wasm' | 'cpu';
  progress: 'auto' | 'bar' | 'lines' | 'silent';
  postprocess?: string[];
  queue?: string;
}

export const DEFAULT_SEEDS = 3;

/** Data sets generated in memory (the others are loaded from the data folder). */
export const BUILT_IN_DATASETS = ['synthetic', 'synthetic-biased', 'synthetic-regression'];

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('Compare methods over seeds (or folds) and λ on worker threads; results go to a resumable journal (DIR/results.jsonl).')
    .option('--dataset <names>', 'data sets, comma-separated: synthetic, synthetic-biased, synthetic-regression (built in), adult, compas, german, bank, communities, student, student-por, oulad', listOption('--dataset'), ['synthetic-biased'])
    .option('--data-dir <dir>', 'folder with one sub-folder per data set (default $FAIRKIT_DATA_DIR or ../shared/datasets)')
    .option('--sensitive <cols>', "sensitive column(s) for every data set (default: each data set's own)", listOption('--sensitive'))
    .option('--methods <names>', "methods, comma-separated, or all (see `fairkit methods`; all = those that support each data set's task); erm always runs as the reference", listOption('--methods'), ['all'])
    .option('--lambdas <values>', `strengths for methods with a lambda parameter (default: each method's default and ${STRONGER_FACTOR}× it)`, numberListOption('--lambdas', { min: 0 }))
    .option('--postprocess <specs>', 'post-processors fitted on each trial\'s validation split, each reported as its own row (method erm+thresholds:eo): thresholds:eo, thresholds:tpr, thresholds:dp, optionally with :deterministic; comma-separated', listOption('--postprocess'))
    .option('--seeds <n>', `seeds 0..n-1, each a new split (default ${DEFAULT_SEEDS}); with --folds, each a new fold assignment (repeated cross-validation)`, numberOption('--seeds', { min: 1, integer: true }))
    .option('--folds <k>', 'k-fold cross-validation (seed 0, unless --seeds is given)', numberOption('--folds', { min: 2, integer: true }))
    .option('--clusters <col>', "cluster column for every data set (default: each data set's own, e.g. site for synthetic-biased); mixed-effects methods (medl, fair-medl, fair-da) need one, and it is no method's input")
    .addOption(new Option('--cluster-split <how>', 'with --folds: seen (every cluster in every fold\'s training and test rows) or unseen (whole clusters held out per fold)').argParser(choiceOption('--cluster-split', ['seen', 'unseen'] as const)))
    .addOption(new Option('--groups <how>', 'what training must hold of the sensitive groups: intersection (default: a row of every intersection of the --sensitive columns) or marginal (a row of every value of each column; only methods that read each attribute alone, e.g. medl, fair-medl, fair-da, and erm)').argParser(choiceOption('--groups', ['intersection', 'marginal'] as const)))
    .addOption(new Option('--protocol <name>', 'ffb or gcm: split, model and optimiser of a published benchmark').argParser(choiceOption('--protocol', ['ffb', 'gcm'] as const)).default('gcm'))
    .option('--epochs <n>', "override the protocol's number of epochs", numberOption('--epochs', { min: 1, integer: true }))
    .option('--batch-size <b>', "override the protocol's batch size", numberOption('--batch-size', { min: 1, integer: true }))
    .option('--lr <rate>', "override the protocol's learning rate", numberOption('--lr', { min: Number.MIN_VALUE }))
    .option('--hidden <sizes>', "override the protocol's hidden layer sizes, comma-separated", numberListOption('--hidden', { min: 1, integer: true }))
    .option('--inference-batch-size <n>', 'rows per prediction batch on the test split (flayer and projection depend on it; below 100 rows they stream); default: one batch of up to 8192 rows', numberOption('--inference-batch-size', { min: 1, integer: true }))
    .addOption(workersOption('worker threads, one trial each'))
    .addOption(threadsOption())
    .option('--queue <url>', 'put the trials on a BullMQ queue in Redis (redis://HOST:PORT) for `fairkit worker` processes, instead of running them here; results still go to the journal in --out')
    .option('--out <dir>', 'output folder (journal, manifest; the report goes there too)', 'fairkit-bench')
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend: auto, wasm or cpu').argParser(choiceOption('--backend', ['auto', 'wasm', 'cpu'] as const)).default('auto'))
    .addOption(new Option('--progress <mode>', 'progress on stderr: auto, bar, lines or silent').argParser(choiceOption('--progress', ['auto', 'bar', 'lines', 'silent'] as const)).default('auto'))
    // The command line as given (not process.argv: `fairkit` may run inside another program, e.g. the tests).
    .action(async (flags: BenchFlags, command: Command) => (await import('./bench-action.js')).runBench(flags, command.parent!.args));
}

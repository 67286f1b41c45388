import { join } from 'node:path';
import { aggregate } from '../bench/aggregate.js';
import { readJournal } from '../bench/journal.js';
import { JournalSink } from '../bench/journal-sink.js';
import { JOURNAL_FILE, writeManifest } from '../bench/manifest.js';
import { planTrials, type BenchPlan, type PlanClusters } from '../bench/plan.js';
import { WorkerPool } from '../bench/pool.js';
import { createBenchProgress } from '../bench/progress.js';
import { workerCount } from './threads-option.js';
import type { TrialExecutor } from '../bench/executor.js';
import { checkRedisReachable, parseQueueUrl, type QueueAddress } from '../bench/queue/connection.js';
import { acquireRunLock } from '../bench/run-lock.js';
import { runTrials } from '../bench/runner.js';
import { openDataset } from '../data/open-dataset.js';
import { datasetList, isDatasetName } from '../data/loaders/index.js';
import { cellText } from '../data/table.js';
import type { LoadedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { ensureWritableFolder } from '../io/atomic-write.js';
import { getMethod } from '../methods/registry.js';
import { changeTable, changeTableNote } from '../report/change-table.js';
import { methodsTable, textTable } from '../report/tables.js';
import { BUILT_IN_DATASETS, DEFAULT_SEEDS, type BenchFlags } from './bench.js';

/**
 * `fairkit bench`: loaded on demand, like every command that needs TensorFlow.js. `commandLine`: the arguments after
 * `fairkit`, recorded in the manifest (the report shows them as the last run).
 */
export async function runBench(flags: BenchFlags, commandLine: readonly string[]): Promise<void> {
  if (flags.clusterSplit !== undefined && flags.folds === undefined) {
    throw new FairkitError('--cluster-split applies to cross-validation folds', { where: '--cluster-split', fix: 'Add --folds K' });
  }
  const workers = workerCount(flags.workers, flags.threads);
  const methods = resolveMethods(flags.methods);
  const plan: BenchPlan = {
    datasets: await resolveDatasets(flags),
    methods,
    lambdas: flags.lambdas ?? 'defaults',
    repeats: flags.folds !== undefined
      ? { folds: flags.folds, ...(flags.seeds !== undefined ? { seeds: flags.seeds } : {}), ...(flags.clusterSplit ? { clusterSplit: flags.clusterSplit } : {}) }
      : { seeds: flags.seeds ?? DEFAULT_SEEDS },
    protocol: flags.protocol,
    training: trainingOverrides(flags),
    ...(flags.inferenceBatchSize !== undefined ? { inferenceBatchSize: flags.inferenceBatchSize } : {}),
    ...(flags.postprocess ? { postprocess: flags.postprocess } : {}),
    ...(flags.groups ? { groups: flags.groups } : {}),
  };
  const trials = planTrials(plan);
  const queue = flags.queue !== undefined ? parseQueueUrl(flags.queue) : undefined;
  if (queue) await checkRedisReachable(queue);
  // Only a valid request creates the output folder (a typo in a name leaves nothing behind).
  ensureWritableFolder(flags.out, '--out');
  const journalPath = join(flags.out, JOURNAL_FILE);
  const release = acquireRunLock(flags.out);
  const onSignal = () => {
    release();
    process.stderr.write(`\nfairkit bench: interrupted; finished trials are in ${journalPath}, run the same command to resume\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const where = queue ? `on the queue at ${queue.url}` : `on ${Math.min(workers, trials.length)} worker threads${flags.threads > 1 ? ` (one, as --threads ${flags.threads} asks)` : ''}`;
    process.stderr.write(`fairkit bench: ${trials.length} trials (${plan.datasets.map((d) => d.name).join(', ')}; ${[...new Set(trials.map((t) => t.method))].join(', ')}; protocol ${plan.protocol}) ${where}\n`);
    // The journal is read first: a damaged one fails before any worker starts.
    const sink = JournalSink.open(journalPath);
    const command = ['fairkit', ...commandLine].map(shellQuote).join(' ');
    const started = new Date().toISOString();
    const plannedIds = trials.map((trial) => trial.id);
    writeManifest(flags.out, { command, started, finished: null, planned: trials.length, plannedIds, ran: 0, skipped: 0, failed: 0 });
    const executor = queue ? await openQueueExecutor(queue) : new WorkerPool(workers, { dataDir: flags.dataDir, backend: flags.backend, threads: flags.threads });
    const outcome = await runTrials({ trials, executor, sink, progress: createBenchProgress(flags.progress) });
    for (const warning of outcome.warnings) process.stderr.write(`warning: ${warning}\n`);
    writeManifest(flags.out, { command, started, finished: new Date().toISOString(), planned: trials.length, plannedIds, ran: outcome.ran, skipped: outcome.skipped, failed: outcome.failed.length });
    printSummary(journalPath, new Set(trials.map((trial) => trial.id)));
    process.stdout.write(`\n${outcome.ran} trials run, ${outcome.skipped} already in ${journalPath}. Report: fairkit report ${flags.out}\n`);
    if (outcome.failed.length > 0) {
      const first = outcome.failed[0];
      throw new FairkitError(`${outcome.failed.length} of ${trials.length} trials failed (first: ${first.trial.method} ${JSON.stringify(first.trial.params)} seed ${first.trial.seed}: ${first.message})`, {
        fix: `The finished trials are kept in ${journalPath}; run the same command again to retry the failed ones`,
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    release();
  }
}

/** The queue executor, loaded only for --queue (BullMQ is not needed to run trials here). */
async function openQueueExecutor(queue: QueueAddress): Promise<TrialExecutor> {
  const { QueueExecutor } = await import('../bench/queue/queue-executor.js');
  return QueueExecutor.open(queue);
}

/** The training options the flags override (only those given: an empty object keeps the protocol's setup). */
function trainingOverrides(flags: BenchFlags): Record<string, unknown> {
  return {
    ...(flags.epochs !== undefined ? { epochs: flags.epochs } : {}),
    ...(flags.batchSize !== undefined ? { batchSize: flags.batchSize } : {}),
    ...(flags.lr !== undefined ? { learningRate: flags.lr } : {}),
    ...(flags.hidden !== undefined ? { hidden: flags.hidden } : {}),
  };
}

/** Opens each data set once here, so that an unknown name or a missing file fails before any trial starts. */
async function resolveDatasets(flags: BenchFlags): Promise<BenchPlan['datasets']> {
  const datasets: BenchPlan['datasets'] = [];
  for (const name of flags.dataset) {
    if (!BUILT_IN_DATASETS.includes(name) && !isDatasetName(name)) {
      throw new FairkitError(`unknown data set '${name}'`, { where: '--dataset', fix: `Use ${BUILT_IN_DATASETS.join(', ')} or a standard data set (${datasetList.map((entry) => entry.name).join(', ')})` });
    }
    const dataset = await openDataset({ dataset: name, dataDir: flags.dataDir, sensitive: flags.sensitive });
    const clusters = clustersOf(dataset, flags.clusters);
    datasets.push({ name, sensitive: dataset.spec.sensitive, task: dataset.spec.task ?? 'classification', ...(clusters ? { clusters } : {}) });
  }
  return datasets;
}

/**
 * The data set's cluster column: the one --clusters names (recorded in the trials unless it is the data set's own),
 * else the data set's own, if any; with the number of its distinct values.
 */
function clustersOf(dataset: LoadedDataset, chosen: string | undefined): PlanClusters | undefined {
  const column = chosen ?? dataset.spec.cluster;
  if (column === undefined) return undefined;
  const values = dataset.table.columns.get(column);
  if (!values) throw new FairkitError(`unknown cluster column '${column}' in data set ${dataset.name}`, { where: '--clusters', fix: `Columns are: ${dataset.table.names.join(', ')}` });
  if (column === dataset.spec.target || dataset.spec.sensitive.includes(column)) {
    throw new FairkitError(`the cluster column '${column}' is the ${column === dataset.spec.target ? 'target' : 'sensitive attribute'} of data set ${dataset.name}`, { where: '--clusters', fix: 'Choose another column' });
  }
  const distinct = new Set<string>();
  for (let row = 0; row < dataset.table.nRows; row++) {
    const text = cellText(values, row);
    if (text !== null) distinct.add(text);
  }
  return { column, count: distinct.size, chosen: column !== dataset.spec.cluster };
}

/** `all` means every registered method that supports each data set's task (the plan picks them per data set). */
function resolveMethods(names: string[]): string[] | 'all' {
  if (names.includes('all')) return 'all';
  return names.map((name) => getMethod(name).name);
}

/** The planned configurations' numbers, from the whole journal (this run's trials and earlier ones). */
function printSummary(journalPath: string, planned: Set<string>): void {
  const entries = readJournal(journalPath).entries.filter((entry) => planned.has(entry.trial.id));
  for (const study of aggregate(entries).studies) {
    const scale = study.task === 'regression' ? 'test metrics on the target\'s scale' : 'test metrics ×100';
    process.stdout.write(`\n${study.dataset} (sensitive ${study.sensitive.join(' × ')}, protocol ${study.protocol}), ${scale}, mean ± sd:\n`);
    process.stdout.write(`${textTable(methodsTable(study)).join('\n')}\n`);
    const change = changeTable(study);
    if (change) process.stdout.write(`\n${changeTableNote(study)}\n${textTable(change).join('\n')}\n`);
  }
}

/** An argument as a POSIX shell reads it back (the report shows the command for pasting). */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

import { Command, Option } from 'commander';
import { threadsOption, workersOption } from './threads-option.js';
import { choiceOption, numberOption } from './options.js';

export interface WorkerFlags {
  queue: string;
  dataDir?: string;
  workers?: number;
  threads: number;
  backend: 'auto' | 'wasm' | 'cpu';
  stallTimeout: number;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Run the trials that `fairkit bench --queue` put on a BullMQ queue in Redis, until stopped (Ctrl-C or SIGTERM finishes the trials in hand first).')
    .requiredOption('--queue <url>', 'the Redis server of the queue: redis://HOST:PORT')
    .option('--data-dir <dir>', 'folder with one sub-folder per data set, as on the submitting machine (default $FAIRKIT_DATA_DIR or ../shared/datasets)')
    .addOption(workersOption('trials run at once, each on a worker thread'))
    .addOption(threadsOption())
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend: auto, wasm or cpu').argParser(choiceOption('--backend', ['auto', 'wasm', 'cpu'] as const)).default('auto'))
    .addOption(new Option('--stall-timeout <seconds>', "after this long without a sign of life from a worker, its trials go to another worker").argParser(numberOption('--stall-timeout', { min: 0.1 })).default(30))
    .action(async (flags: WorkerFlags) => (await import('./worker-action.js')).runWorker(flags));
}

import { availableParallelism } from 'node:os';
import { Option } from 'commander';
import { FairkitError } from '../errors.js';
import { MAX_THREADS } from '../nn/thread-count.js';
import { numberOption } from './options.js';

/** `--threads N` of the commands that train: threads of the wasm backend (docs/speed.md). */
export function threadsOption(): Option {
  return new Option('--threads <n>', `threads of the wasm backend's training, 1 to ${MAX_THREADS} (2 can be faster on an otherwise idle machine, and slower when the other cores are busy; docs/speed.md)`)
    .argParser(numberOption('--threads', { min: 1, max: MAX_THREADS, integer: true }))
    .default(1);
}

/** `--workers N` of the commands that run trials on worker threads; its default depends on --threads. */
export function workersOption(description: string): Option {
  return new Option('--workers <n>', `${description} (default: the number of cores, or 1 with --threads above 1)`)
    .argParser(numberOption('--workers', { min: 1, integer: true }));
}

/**
 * How many worker threads run trials. Threads and parallel workers are never combined: each would compete for the
 * same cores, and a threaded backend is twice as slow when the other core is busy (docs/speed.md).
 */
export function workerCount(workers: number | undefined, threads: number): number {
  if (threads === 1) return workers ?? availableParallelism();
  if (workers === undefined || workers === 1) return 1;
  throw new FairkitError(`--threads ${threads} cannot be combined with --workers ${workers}: threads and parallel workers would compete for the same cores`, {
    where: '--threads and --workers',
    fix: 'Use --workers 1 with --threads above 1, or --threads 1 with several workers',
  });
}

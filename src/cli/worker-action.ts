import { checkRedisReachable, parseQueueUrl } from '../bench/queue/connection.js';
import { startQueueWorker } from '../bench/queue/queue-worker.js';
import { workerCount } from './threads-option.js';
import type { WorkerFlags } from './worker.js';

/** `fairkit worker`: serves the queue until SIGINT or SIGTERM, then lets the trials in hand finish and exits
 * (a second signal exits at once). */
export async function runWorker(flags: WorkerFlags): Promise<void> {
  const workers = workerCount(flags.workers, flags.threads);
  const address = parseQueueUrl(flags.queue);
  await checkRedisReachable(address);
  const worker = startQueueWorker(address, { concurrency: workers, threads: flags.threads, dataDir: flags.dataDir, backend: flags.backend, stallSeconds: flags.stallTimeout });
  let done = 0;
  worker.on('completed', (job) => process.stderr.write(`fairkit worker: trial ${job.id} done (${++done} so far)\n`));
  worker.on('failed', (job, error) => process.stderr.write(`fairkit worker: trial ${job?.id ?? '?'} failed: ${error.message}\n`));
  worker.on('error', (error) => process.stderr.write(`fairkit worker: ${error.message}\n`));
  await worker.waitUntilReady();
  process.stderr.write(`fairkit worker: taking trials from ${address.url} on ${workers} worker threads${flags.threads > 1 ? ` with ${flags.threads} wasm threads each` : ''}\n`);
  // The first signal lets the trials in hand finish (closing also waits for Redis); a second one stops at once.
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(130);
      stopping = true;
      process.stderr.write('fairkit worker: stopping after the trials in hand (again to stop now)\n');
      void worker.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

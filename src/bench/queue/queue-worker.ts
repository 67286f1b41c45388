import { UnrecoverableError, Worker } from 'bullmq';
import { TrialFailure } from '../executor.js';
import { WorkerPool } from '../pool.js';
import { trialSchema, type TrialResult } from '../trial.js';
import type { WorkerSetup } from '../worker-protocol.js';
import { connectionOptions, QUEUE_NAME, type QueueAddress } from './connection.js';

export interface QueueWorkerOptions extends WorkerSetup {
  /** Trials run at once on this machine, each on its own worker thread. */
  concurrency: number;
  /** Threads of each worker's wasm backend. */
  threads?: number;
  /**
   * Seconds a trial's lock lasts without renewal. The lock is renewed while the trial runs; when the worker dies
   * it lapses, and the next stalled-job check of any live worker (every half lock) puts the trial back in the
   * queue for another worker. Small values find dead workers sooner at the cost of more Redis traffic.
   */
  stallSeconds: number;
}

/** A trial is retried this many times after its worker died (a trial that kills every worker is not retried forever). */
export const MAX_STALLS = 2;

/**
 * Takes trials from the queue and runs each on a worker thread of a local pool, so this thread stays free to
 * renew the trial's lock (a trial trained on this thread would block the renewal and look stalled). A trial that
 * fails on bad input (a FairkitError) is not retried: it would fail the same way anywhere.
 */
export function startQueueWorker(address: QueueAddress, options: QueueWorkerOptions): Worker {
  const pool = new WorkerPool(options.concurrency, { dataDir: options.dataDir, backend: options.backend, threads: options.threads });
  const lockDuration = Math.round(options.stallSeconds * 1000);
  const worker = new Worker(
    QUEUE_NAME,
    async (job): Promise<TrialResult> => {
      const trial = trialSchema.parse(job.data);
      try {
        return await pool.run(trial);
      } catch (error) {
        if (error instanceof TrialFailure && error.userError) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    { connection: connectionOptions(address), concurrency: options.concurrency, lockDuration, stalledInterval: Math.max(1, Math.round(lockDuration / 2)), maxStalledCount: MAX_STALLS },
  );
  worker.on('closed', () => void pool.close());
  return worker;
}

import { Queue, QueueEvents } from 'bullmq';
import { TrialFailure, type TrialExecutor } from '../executor.js';
import type { Trial, TrialResult } from '../trial.js';
import { connectionOptions, QUEUE_NAME, type QueueAddress } from './connection.js';

interface Waiting {
  resolve: (result: TrialResult) => void;
  reject: (error: TrialFailure) => void;
}

/**
 * The queue executor: each trial becomes a BullMQ job whose id is the trial id, run by whichever `fairkit worker`
 * takes it. The job id makes a trial one job however often it is submitted (a rerun, or two submitters), and a
 * job that finished while no submitter was listening still gives its result: `run` looks at the job's state
 * after adding it. Closing stops listening; the jobs stay queued for the workers, so a rerun collects them.
 */
export class QueueExecutor implements TrialExecutor {
  private readonly waiting = new Map<string, Waiting>();
  private closed = false;

  private constructor(private readonly queue: Queue, private readonly events: QueueEvents) {
    events.on('completed', ({ jobId }) => void this.collect(jobId));
    events.on('failed', ({ jobId, failedReason }) => this.settle(jobId, (waiting) => waiting.reject(new TrialFailure(failedReason, false))));
  }

  /** Listens for finished jobs before any is added, so that no completion is missed. */
  static async open(address: QueueAddress): Promise<QueueExecutor> {
    const connection = connectionOptions(address);
    const events = new QueueEvents(QUEUE_NAME, { connection });
    await events.waitUntilReady();
    return new QueueExecutor(new Queue(QUEUE_NAME, { connection }), events);
  }

  run(trial: Trial): Promise<TrialResult> {
    if (this.closed) return Promise.reject(new TrialFailure('the queue executor is closed', false));
    const result = new Promise<TrialResult>((resolve, reject) => this.waiting.set(trial.id, { resolve, reject }));
    void this.submit(trial).catch((error: unknown) => this.settle(trial.id, (waiting) => waiting.reject(new TrialFailure(`cannot queue the trial: ${(error as Error).message}`, false))));
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.waiting.values()) waiting.reject(new TrialFailure('the queue executor was closed', false));
    this.waiting.clear();
    await this.events.close();
    await this.queue.close();
  }

  /**
   * Adds the job (a no-op when a job with this id exists) and takes over what an earlier run left: a completed
   * job's result is collected now, a failed job is retried (as a local rerun retries failed trials).
   */
  private async submit(trial: Trial): Promise<void> {
    // attempts 1: a trial that throws fails the same way on every machine. A worker that dies is another matter:
    // its job stalls and BullMQ's stalled-job check gives it to another worker (see queue-worker.ts).
    await this.queue.add('trial', trial, { jobId: trial.id, attempts: 1 });
    // add() returns the job as given, not as stored when it already existed: read the stored one.
    const job = await this.queue.getJob(trial.id);
    const state = await job?.getState();
    if (state === 'completed') await this.collect(trial.id);
    // A failure still unreported is one from before this run (or, rarely, one from now whose event is on its way:
    // retrying it then costs one more run of the trial, where waiting on an old failure would hang).
    else if (state === 'failed' && this.waiting.has(trial.id)) await job!.retry('failed');
  }

  private async collect(jobId: string): Promise<void> {
    if (!this.waiting.has(jobId)) return;
    const job = await this.queue.getJob(jobId);
    if (!job) return this.settle(jobId, (waiting) => waiting.reject(new TrialFailure(`job ${jobId} completed but was removed from the queue before its result was read`, false)));
    this.settle(jobId, (waiting) => waiting.resolve(job.returnvalue as TrialResult));
  }

  private settle(jobId: string, action: (waiting: Waiting) => void): void {
    const waiting = this.waiting.get(jobId);
    if (!waiting) return;
    this.waiting.delete(jobId);
    action(waiting);
  }
}

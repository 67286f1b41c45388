import { Worker } from 'node:worker_threads';
import { TrialFailure, type TrialExecutor } from './executor.js';
import type { Trial, TrialResult } from './trial.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.js';

interface Task {
  trial: Trial;
  resolve: (result: TrialResult) => void;
  reject: (error: TrialFailure) => void;
}

/**
 * Starts the worker entry beside this file: the compiled worker.js, or under tsx worker.ts. Node 20 does not
 * apply `--import tsx` from a worker's execArgv to the worker's own entry module, so under tsx a one-line
 * bootstrap registers tsx in the worker first and then imports the entry.
 */
function startWorker(setup: WorkerSetup): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData: setup });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}

/**
 * The local executor: runs trials in up to `size` worker threads, one trial per worker at a time, started on
 * demand (so a pool larger than the trials left starts only as many workers as there are trials). A worker that
 * dies fails its trial and is replaced; the other trials go on.
 */
export class WorkerPool implements TrialExecutor {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly queue: Task[] = [];
  private readonly workers = new Set<Worker>();
  private closed = false;

  constructor(private readonly size: number, private readonly setup: WorkerSetup) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a worker pool needs at least one worker, got ${size}`);
  }

  run(trial: Trial): Promise<TrialResult> {
    if (this.closed) return Promise.reject(new TrialFailure('the worker pool is closed', false));
    return new Promise((resolve, reject) => {
      this.queue.push({ trial, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new TrialFailure('the worker pool was closed', false));
    await Promise.all([...this.workers].map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      const worker = this.idle.pop() ?? (this.workers.size < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const task = this.queue.shift()!;
      this.busy.set(worker, task);
      worker.postMessage({ kind: 'run', trial: task.trial } satisfies ToWorker);
    }
  }

  private spawn(): Worker {
    const worker = startWorker(this.setup);
    this.workers.add(worker);
    let crash: Error | undefined;
    worker.on('message', (message: FromWorker) => {
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      if (task) {
        if (message.kind === 'done') task.resolve(message.result);
        else task.reject(new TrialFailure(message.message, message.userError));
      }
      this.dispatch();
    });
    worker.on('error', (error) => (crash = error));
    worker.on('exit', (code) => {
      this.workers.delete(worker);
      const idleAt = this.idle.indexOf(worker);
      if (idleAt >= 0) this.idle.splice(idleAt, 1);
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      if (task) task.reject(new TrialFailure(`its worker stopped (${crash?.message ?? `exit code ${code}`})`, false));
      this.dispatch();
    });
    return worker;
  }
}

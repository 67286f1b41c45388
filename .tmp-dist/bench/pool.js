import { Worker } from 'node:worker_threads';
/** A trial that failed in its worker; `userError` when the cause is bad input (a FairkitError). */
export class TrialFailure extends Error {
    userError;
    constructor(message, userError) {
        super(message);
        this.userError = userError;
        this.name = 'TrialFailure';
    }
}
/**
 * Starts the worker entry beside this file: the compiled worker.js, or under tsx worker.ts. Node 20 does not
 * apply `--import tsx` from a worker's execArgv to the worker's own entry module, so under tsx a one-line
 * bootstrap registers tsx in the worker first and then imports the entry.
 */
function startWorker(setup) {
    if (!import.meta.url.endsWith('.ts'))
        return new Worker(new URL('./worker.js', import.meta.url), { workerData: setup });
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./worker.ts', import.meta.url).href;
    const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(bootstrap, { eval: true, workerData: setup });
}
/**
 * Runs trials in up to `size` worker threads, one trial per worker at a time, started on demand. A worker
 * that dies fails its trial and is replaced; the other trials go on.
 */
export class WorkerPool {
    size;
    setup;
    idle = [];
    busy = new Map();
    queue = [];
    workers = new Set();
    closed = false;
    constructor(size, setup) {
        this.size = size;
        this.setup = setup;
        if (!Number.isInteger(size) || size < 1)
            throw new RangeError(`a worker pool needs at least one worker, got ${size}`);
    }
    run(trial) {
        if (this.closed)
            return Promise.reject(new TrialFailure('the worker pool is closed', false));
        return new Promise((resolve, reject) => {
            this.queue.push({ trial, resolve, reject });
            this.dispatch();
        });
    }
    async close() {
        this.closed = true;
        for (const task of this.queue.splice(0))
            task.reject(new TrialFailure('the worker pool was closed', false));
        await Promise.all([...this.workers].map((worker) => worker.terminate()));
    }
    dispatch() {
        while (this.queue.length > 0 && !this.closed) {
            const worker = this.idle.pop() ?? (this.workers.size < this.size ? this.spawn() : undefined);
            if (!worker)
                return;
            const task = this.queue.shift();
            this.busy.set(worker, task);
            worker.postMessage({ kind: 'run', trial: task.trial });
        }
    }
    spawn() {
        const worker = startWorker(this.setup);
        this.workers.add(worker);
        let crash;
        worker.on('message', (message) => {
            const task = this.busy.get(worker);
            this.busy.delete(worker);
            this.idle.push(worker);
            if (task) {
                if (message.kind === 'done')
                    task.resolve(message.result);
                else
                    task.reject(new TrialFailure(message.message, message.userError));
            }
            this.dispatch();
        });
        worker.on('error', (error) => (crash = error));
        worker.on('exit', (code) => {
            this.workers.delete(worker);
            const idleAt = this.idle.indexOf(worker);
            if (idleAt >= 0)
                this.idle.splice(idleAt, 1);
            const task = this.busy.get(worker);
            this.busy.delete(worker);
            if (task)
                task.reject(new TrialFailure(`its worker stopped (${crash?.message ?? `exit code ${code}`})`, false));
            this.dispatch();
        });
        return worker;
    }
}
//# sourceMappingURL=pool.js.map
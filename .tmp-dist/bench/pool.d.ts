import type { Trial, TrialResult } from './trial.js';
import type { WorkerSetup } from './worker-protocol.js';
/** A trial that failed in its worker; `userError` when the cause is bad input (a FairkitError). */
export declare class TrialFailure extends Error {
    readonly userError: boolean;
    constructor(message: string, userError: boolean);
}
/**
 * Runs trials in up to `size` worker threads, one trial per worker at a time, started on demand. A worker
 * that dies fails its trial and is replaced; the other trials go on.
 */
export declare class WorkerPool {
    private readonly size;
    private readonly setup;
    private readonly idle;
    private readonly busy;
    private readonly queue;
    private readonly workers;
    private closed;
    constructor(size: number, setup: WorkerSetup);
    run(trial: Trial): Promise<TrialResult>;
    close(): Promise<void>;
    private dispatch;
    private spawn;
}

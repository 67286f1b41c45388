import { type BenchProgress } from './progress.js';
import type { Trial } from './trial.js';
import type { WorkerSetup } from './worker-protocol.js';
export interface RunTrialsOptions {
    trials: Trial[];
    journalPath: string;
    /** Worker threads (at most one per pending trial is started). */
    workers: number;
    setup?: WorkerSetup;
    progress?: BenchProgress;
}
export interface TrialFailureReport {
    trial: Trial;
    message: string;
    userError: boolean;
}
export interface RunTrialsOutcome {
    /** Trials run and recorded now. */
    ran: number;
    /** Trials already in the journal (a resumed run), not run again. */
    skipped: number;
    failed: TrialFailureReport[];
    /** What reading the journal found (e.g. a torn last line dropped). */
    warnings: string[];
}
/**
 * Runs the trials not yet in the journal on a worker pool and appends each result as soon as it arrives, so a
 * killed run loses only the trials in flight and a rerun resumes where it stopped. A trial id already in the
 * journal (or twice in `trials`) is never run again. Failed trials are reported, not recorded: a rerun retries them.
 */
export declare function runTrials(options: RunTrialsOptions): Promise<RunTrialsOutcome>;

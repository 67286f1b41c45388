import { type Trial, type TrialResult } from './trial.js';
export interface BenchProgress {
    start(total: number): void;
    finished(trial: Trial, result: TrialResult): void;
    failed(trial: Trial, message: string): void;
    stop(): void;
}
export type BenchProgressMode = 'auto' | 'bar' | 'lines' | 'silent';
/**
 * Progress of a bench run on stderr: a bar with ETA on a terminal, else one line per finished trial with the
 * ETA (logs and CI). The ETA is the mean time per finished trial so far times the trials left.
 */
export declare function createBenchProgress(mode: BenchProgressMode, stream?: NodeJS.WriteStream): BenchProgress;
export declare function formatDuration(seconds: number): string;

/** What the loop tells its observers after every epoch. */
export interface EpochReport {
    epoch: number;
    epochs: number;
    loss: number;
    seconds: number;
    validation?: Record<string, number | null>;
}
export interface ProgressReporter {
    epochEnd(report: EpochReport): void;
    stop(): void;
}
export type ProgressMode = 'auto' | 'bar' | 'jsonl' | 'silent';
/**
 * A progress bar with ETA when stderr is a terminal, one JSON object per epoch otherwise (so that logs
 * and CI stay machine-readable). Progress goes to stderr; stdout is kept for results.
 */
export declare function createProgress(mode: ProgressMode, epochs: number, stream?: NodeJS.WriteStream): ProgressReporter;

import type { Trial, TrialResult } from './trial.js';

/** A trial that failed where it ran; `userError` when the cause is bad input (a FairkitError). */
export class TrialFailure extends Error {
  constructor(message: string, readonly userError: boolean) {
    super(message);
    this.name = 'TrialFailure';
  }
}

/**
 * Where trials run. The local worker pool is one executor; a queue of remote machines would be another. Trials are
 * plain JSON in and out, so an executor needs nothing of the runner but this.
 */
export interface TrialExecutor {
  /** Resolves with the trial's result, or rejects with a TrialFailure (other errors are reported as failures too). */
  run(trial: Trial): Promise<TrialResult>;
  /** Stops taking trials; trials still waiting or running reject. The runner calls it once, when the run ends. */
  close(): Promise<void>;
}

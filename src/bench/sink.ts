import type { JournalEntry } from './trial.js';

/**
 * Where finished trials are recorded. The JSONL journal is one sink; a database or a shared queue's result table
 * would be another. The runner asks it what is already recorded (to resume) and appends each result as it arrives.
 */
export interface ResultSink {
  /** Ids of the trials recorded before this run: they are not run again. */
  recordedIds(): ReadonlySet<string>;
  /** What opening the sink found that the user should hear about (e.g. a torn last line dropped). */
  readonly warnings?: readonly string[];
  /**
   * Records one finished trial durably before it resolves (a crash afterwards must not lose it). A rejection stops
   * the run: results that cannot be kept are not worth computing.
   */
  append(entry: JournalEntry): void | Promise<void>;
  /** The runner calls it once, when the run ends (also after an error). */
  close(): void | Promise<void>;
}

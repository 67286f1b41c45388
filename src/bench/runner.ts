import { readJournal, JournalWriter } from './journal.js';
import { TrialFailure, WorkerPool } from './pool.js';
import { createBenchProgress, type BenchProgress } from './progress.js';
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
export async function runTrials(options: RunTrialsOptions): Promise<RunTrialsOutcome> {
  const existing = readJournal(options.journalPath);
  const recorded = new Set(existing.entries.map((entry) => entry.trial.id));
  const unique = [...new Map(options.trials.map((trial) => [trial.id, trial])).values()];
  const pending = unique.filter((trial) => !recorded.has(trial.id));
  const outcome: RunTrialsOutcome = { ran: 0, skipped: unique.length - pending.length, failed: [], warnings: existing.warnings };
  const writer = JournalWriter.open(options.journalPath, existing);
  if (pending.length === 0) {
    writer.close();
    return outcome;
  }
  const progress = options.progress ?? createBenchProgress('auto');
  const pool = new WorkerPool(Math.min(options.workers, pending.length), options.setup ?? {});
  progress.start(pending.length);
  // Once the run stops on an error (e.g. the journal cannot be written), the trials still in flight are cut off:
  // their rejections are not failures to report.
  let aborted = false;
  try {
    await Promise.all(
      pending.map((trial) =>
        pool.run(trial).then(
          (result) => {
            writer.append({ trial, result });
            outcome.ran++;
            progress.finished(trial, result);
          },
          (error: TrialFailure) => {
            if (aborted) return;
            outcome.failed.push({ trial, message: error.message, userError: error.userError });
            progress.failed(trial, error.message);
          },
        ),
      ),
    );
  } catch (error) {
    aborted = true;
    throw error;
  } finally {
    progress.stop();
    await pool.close();
    writer.close();
  }
  return outcome;
}

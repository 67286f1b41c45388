import { FairkitError } from '../errors.js';
import { TrialFailure, type TrialExecutor } from './executor.js';
import { createBenchProgress, type BenchProgress } from './progress.js';
import type { ResultSink } from './sink.js';
import type { Trial } from './trial.js';

export interface RunTrialsOptions {
  trials: Trial[];
  /** Where the trials run, e.g. `new WorkerPool(workers, setup)`. The run closes it when it ends. */
  executor: TrialExecutor;
  /** Where results are recorded, e.g. `JournalSink.open(path)`. The run closes it when it ends. */
  sink: ResultSink;
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
  /** Trials already recorded in the sink (a resumed run), not run again. */
  skipped: number;
  failed: TrialFailureReport[];
  /** What opening the sink found (e.g. a torn last line dropped). */
  warnings: string[];
}

/**
 * Runs the trials the sink has not recorded on the executor and records each result as soon as it arrives, so a
 * killed run loses only the trials in flight and a rerun resumes where it stopped. A trial id already recorded (or
 * twice in `trials`) is never run again. Failed trials are reported, not recorded: a rerun retries them. An error
 * of the sink stops the run and is thrown. The run owns executor and sink: both are closed when it returns or throws.
 */
export async function runTrials(options: RunTrialsOptions): Promise<RunTrialsOutcome> {
  const { executor, sink } = options;
  try {
    const recorded = sink.recordedIds();
    const unique = [...new Map(options.trials.map((trial) => [trial.id, trial])).values()];
    const pending = unique.filter((trial) => !recorded.has(trial.id));
    const outcome: RunTrialsOutcome = { ran: 0, skipped: unique.length - pending.length, failed: [], warnings: [...(sink.warnings ?? [])] };
    if (pending.length > 0) await runPending(pending, options, outcome);
    return outcome;
  } finally {
    try {
      await executor.close();
    } finally {
      await sink.close();
    }
  }
}

async function runPending(pending: Trial[], { executor, sink, progress: given }: RunTrialsOptions, outcome: RunTrialsOutcome): Promise<void> {
  const progress = given ?? createBenchProgress('auto');
  progress.start(pending.length);
  // Once the run stops on an error (e.g. the journal cannot be written), the trials still in flight are cut off
  // when the executor closes: their rejections are not failures to report.
  let aborted = false;
  try {
    await Promise.all(
      pending.map((trial) =>
        executor.run(trial).then(
          async (result) => {
            await sink.append({ trial, result });
            outcome.ran++;
            progress.finished(trial, result);
          },
          (error: unknown) => {
            if (aborted) return;
            const failure = asTrialFailure(error);
            outcome.failed.push({ trial, message: failure.message, userError: failure.userError });
            progress.failed(trial, failure.message);
          },
        ),
      ),
    );
  } catch (error) {
    aborted = true;
    throw error;
  } finally {
    progress.stop();
  }
}

/** Executors should reject with a TrialFailure; anything else is still a failure of that one trial. */
function asTrialFailure(error: unknown): TrialFailure {
  if (error instanceof TrialFailure) return error;
  return new TrialFailure(error instanceof Error ? error.message : String(error), error instanceof FairkitError);
}

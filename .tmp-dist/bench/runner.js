import { readJournal, JournalWriter } from './journal.js';
import { WorkerPool } from './pool.js';
import { createBenchProgress } from './progress.js';
/**
 * Runs the trials not yet in the journal on a worker pool and appends each result as soon as it arrives, so a
 * killed run loses only the trials in flight and a rerun resumes where it stopped. A trial id already in the
 * journal (or twice in `trials`) is never run again. Failed trials are reported, not recorded: a rerun retries them.
 */
export async function runTrials(options) {
    const existing = readJournal(options.journalPath);
    const recorded = new Set(existing.entries.map((entry) => entry.trial.id));
    const pending = [...new Map(options.trials.map((trial) => [trial.id, trial])).values()].filter((trial) => !recorded.has(trial.id));
    const outcome = { ran: 0, skipped: options.trials.length - pending.length, failed: [], warnings: existing.warnings };
    const writer = JournalWriter.open(options.journalPath, existing);
    if (pending.length === 0) {
        writer.close();
        return outcome;
    }
    const progress = options.progress ?? createBenchProgress('auto');
    const pool = new WorkerPool(Math.min(options.workers, pending.length), options.setup ?? {});
    progress.start(pending.length);
    try {
        await Promise.all(pending.map((trial) => pool.run(trial).then((result) => {
            writer.append({ trial, result });
            outcome.ran++;
            progress.finished(trial, result);
        }, (error) => {
            outcome.failed.push({ trial, message: error.message, userError: error.userError });
            progress.failed(trial, error.message);
        })));
    }
    finally {
        progress.stop();
        await pool.close();
        writer.close();
    }
    return outcome;
}
//# sourceMappingURL=runner.js.map
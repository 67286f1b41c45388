import { JournalWriter, readJournal } from './journal.js';
import type { ResultSink } from './sink.js';
import type { JournalEntry } from './trial.js';

/**
 * The JSONL journal as a result sink: opening reads what earlier runs recorded and repairs a torn last line;
 * every append is fsynced. The run lock (run-lock.ts) stays with the command that owns the output folder.
 */
export class JournalSink implements ResultSink {
  private constructor(
    private readonly writer: JournalWriter,
    private readonly recorded: ReadonlySet<string>,
    readonly warnings: readonly string[],
  ) {}

  /** Throws a FairkitError naming file and line when the journal cannot be read, before anything is run. */
  static open(path: string): JournalSink {
    const existing = readJournal(path);
    const writer = JournalWriter.open(path, existing);
    return new JournalSink(writer, new Set(existing.entries.map((entry) => entry.trial.id)), existing.warnings);
  }

  recordedIds(): ReadonlySet<string> {
    return this.recorded;
  }

  append(entry: JournalEntry): void {
    this.writer.append(entry);
  }

  close(): void {
    this.writer.close();
  }
}

/**
 * Durable state with group commit. A request changes the in-memory state, then awaits `commit()`, and is answered
 * only once a file holding its change is on disk (temporary file, fsync, rename, folder fsync). While one write is in
 * flight, the requests that commit meanwhile wait together for the next write, which snapshots the state as it is
 * then and so covers all of them: one fsync per write, however many requests it acknowledges.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FairkitError } from '../errors.js';
import { writeFileAtomicAsync } from '../io/atomic-write.js';

export const STATE_FILE = 'state.json';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class StateStore {
  readonly path: string;
  private writing = false;
  private waiting: Waiter[] = [];
  /** Completed writes, for /metrics (and to see group commit at work). */
  writes = 0;

  constructor(
    folder: string,
    private readonly snapshot: () => string,
  ) {
    this.path = join(folder, STATE_FILE);
  }

  /** The saved state's JSON, or undefined when the folder has none yet. */
  read(): unknown {
    if (!existsSync(this.path)) return undefined;
    const text = readFileSync(this.path, 'utf8');
    try {
      return JSON.parse(text);
    } catch (cause) {
      // Writes are atomic renames, so a torn file means someone else wrote it.
      throw new FairkitError('the saved state is not JSON', { where: this.path, cause, fix: 'Remove it to start afresh' });
    }
  }

  /** Resolves once the state as it is now (or later) is on disk. */
  commit(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.writing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        await writeFileAtomicAsync(this.path, this.snapshot());
        this.writes++;
        for (const waiter of batch) waiter.resolve();
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
    this.writing = false;
  }
}

/** Runs tasks one after another in the order they were queued, whatever their callers' concurrency. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // A failed task answers its own caller; the queue goes on.
    this.tail = result.catch(() => undefined);
    return result;
  }
}

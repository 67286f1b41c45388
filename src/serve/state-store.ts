/**
 * Durable state: a snapshot plus a write-ahead log, with group commit. Every change of state is appended to the log
 * (`append`, in the serial queue, so the log's order is the state's order) and its request is answered once the log
 * holding it is on disk (`commit`). One write and one fdatasync carry every change appended since the last one: the
 * requests that arrive while a flush is in flight share the next. Every `snapshotEvery` changes (and after a failed
 * write) the whole state goes to `state.json` instead (temporary file, fsync, rename, folder fsync), naming the new
 * log generation it starts; the old log is then removed. On start, `open` reads the snapshot and the changes of its log.
 *
 * A log line is `<FNV-1a of the JSON, 8 hex digits> <JSON>\n`. A line is durable only once a flush after it returned,
 * and fdatasync makes every earlier byte durable too, so after a crash the acknowledged lines are intact and anything
 * invalid (a torn or missing tail) belongs to requests never answered: the log is cut at the first invalid line.
 */
import { existsSync, readdirSync, readFileSync, truncateSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { FairkitError } from '../errors.js';
import { syncFolderAsync, writeFileAtomicAsync } from '../io/atomic-write.js';
import { lockFolder } from './folder-lock.js';

export const STATE_FILE = 'state.json';
const LOG_NAME = /^log-(\d+)\.jsonl$/;
const logFile = (generation: number) => `log-${generation}.jsonl`;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface StoreContents {
  /** The snapshot's state (without the store's own `log` field), or undefined for a new folder (nothing to restore). */
  snapshot: unknown;
  /** The changes logged after it, oldest first. */
  changes: unknown[];
  /** Bytes of an invalid tail cut from the log (a write the crash interrupted; never acknowledged). */
  cutBytes: number;
}

/** 32-bit FNV-1a of a string's UTF-16 code units: catches a torn or zero-filled line. */
function checksum(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** A change as a log line. */
export function logLine(change: unknown): string {
  const json = JSON.stringify(change);
  return `${checksum(json)} ${json}\n`;
}

export class StateStore {
  readonly path: string;
  private generation = 0;
  private log: FileHandle | undefined;
  /** Changes logged in the current generation (written or waiting). */
  private logged = 0;
  private buffer: string[] = [];
  private waiting: Waiter[] = [];
  private flushing = false;
  /** The latest flush (close waits for it). */
  private flushed: Promise<void> = Promise.resolve();
  /** After a failed write the log may hold part of it: the next flush writes a snapshot instead. */
  private needSnapshot = false;
  private release: (() => void) | undefined;
  /** Completed flushes (log appends or snapshots), for /metrics (and to see group commit at work). */
  writes = 0;

  constructor(
    private readonly folder: string,
    /** The whole state as a JSON-ready object. */
    private readonly snapshot: () => object,
    private readonly snapshotEvery = 10_000,
  ) {
    this.path = join(folder, STATE_FILE);
  }

  get logPath(): string {
    return join(this.folder, logFile(this.generation));
  }

  /** Locks the folder (see folder-lock.ts) and reads the snapshot and the logged changes; call once, before appending. */
  async open(): Promise<StoreContents> {
    this.release = lockFolder(this.folder);
    try {
      return await this.read();
    } catch (error) {
      this.release();
      this.release = undefined;
      throw error;
    }
  }

  private async read(): Promise<StoreContents> {
    let snapshot: unknown;
    if (existsSync(this.path)) {
      const text = readFileSync(this.path, 'utf8');
      try {
        snapshot = JSON.parse(text);
      } catch (cause) {
        // Snapshots are atomic renames, so a torn file means someone else wrote it.
        throw new FairkitError('the saved state is not JSON', { where: this.path, cause, fix: 'Remove it to start afresh' });
      }
      // A state written before the log existed has no generation: its log is generation 0.
      const { log: generation = 0, ...state } = snapshot as { log?: unknown };
      if (!Number.isInteger(generation) || (generation as number) < 0) throw new FairkitError(`the state's log generation ${JSON.stringify(generation)} is not a count`, { where: this.path });
      this.generation = generation as number;
      snapshot = state;
    } else {
      // A new folder starts with a snapshot, so the folder always says which model (and stream) its log belongs to.
      await writeFileAtomicAsync(this.path, JSON.stringify({ ...this.snapshot(), log: 0 }));
    }
    for (const name of readdirSync(this.folder)) {
      const generation = Number(LOG_NAME.exec(name)?.[1] ?? NaN);
      if (generation > this.generation) throw new FairkitError(`the log ${name} is newer than the state's (${logFile(this.generation)})`, { where: this.folder, fix: 'This folder was changed by hand; remove it to start afresh' });
      // A crash between a snapshot and the removal of the log it replaced leaves that log behind.
      if (generation < this.generation) await rm(join(this.folder, name));
    }
    const { changes, cutBytes } = this.readLog();
    this.logged = changes.length;
    this.log = await open(this.logPath, 'a');
    // The log's folder entry must be durable before anything appended to it counts as durable.
    await syncFolderAsync(this.folder);
    return { snapshot, changes, cutBytes };
  }

  private readLog(): { changes: unknown[]; cutBytes: number } {
    const path = this.logPath;
    if (!existsSync(path)) return { changes: [], cutBytes: 0 };
    const bytes = readFileSync(path);
    const changes: unknown[] = [];
    let offset = 0;
    for (;;) {
      const end = bytes.indexOf(10, offset);
      if (end < 0) break;
      const line = bytes.toString('utf8', offset, end);
      const json = line.slice(9);
      if (line[8] !== ' ' || checksum(json) !== line.slice(0, 8)) break;
      try {
        changes.push(JSON.parse(json));
      } catch {
        break;
      }
      offset = end + 1;
    }
    if (offset < bytes.length) truncateSync(path, offset);
    return { changes, cutBytes: bytes.length - offset };
  }

  /** Logs a change (in memory until the next flush); call in the serial queue, right after the state changed. */
  append(change: unknown): void {
    this.buffer.push(logLine(change));
  }

  /** Resolves once every change appended so far is on disk. */
  commit(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.flushing) this.flushed = this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      const lines = this.buffer;
      this.waiting = [];
      this.buffer = [];
      try {
        if (this.needSnapshot || this.logged + lines.length > this.snapshotEvery) {
          // Taken now, with the lines: the snapshot holds exactly the changes logged so far.
          await this.writeSnapshot(JSON.stringify({ ...this.snapshot(), log: this.generation + 1 }));
          this.needSnapshot = false;
        } else if (lines.length > 0) {
          await this.log!.write(lines.join(''));
          await this.log!.datasync();
          this.logged += lines.length;
        }
        this.writes++;
        for (const waiter of batch) waiter.resolve();
      } catch (error) {
        this.needSnapshot = true;
        for (const waiter of batch) waiter.reject(error);
      }
    }
    // Cleared in the same tick as the loop's last check: a commit after it starts a new flush.
    this.flushing = false;
  }

  /** Writes the snapshot that starts the next log generation, then switches to that log and removes the old one. */
  private async writeSnapshot(text: string): Promise<void> {
    const old = this.logPath;
    await writeFileAtomicAsync(this.path, text);
    // From here a restart reads the new generation, whose log does not exist yet (an empty one).
    this.generation++;
    this.logged = 0;
    await this.log?.close();
    this.log = await open(this.logPath, 'a');
    await syncFolderAsync(this.folder);
    await rm(old, { force: true });
  }

  /** Waits for the flush in flight, closes the log and releases the folder's lock. */
  async close(): Promise<void> {
    await this.flushed;
    await this.log?.close();
    this.log = undefined;
    this.release?.();
    this.release = undefined;
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

/**
 * Output folders that change whole or not at all. Everything of one save (a model folder: model.json, weights.bin,
 * metrics.json, contribution.json) is written into a sibling temporary folder `.NAME.tmp-<pid>-<random>` (same
 * parent, so the renames stay on one file system); every file and the folder are flushed (fsync); then the folder is
 * swapped in with two renames:
 *
 *   1. DIR → `.NAME.old-<pid>-<random>` (only when DIR exists);
 *   2. `.NAME.tmp-…` → DIR; the parent is flushed; then the old folder is removed.
 *
 * A crash before step 1 leaves DIR as it was plus a stray `.NAME.tmp-*`; a crash between the renames leaves no DIR,
 * the old folder at `.NAME.old-*` and the complete new one at `.NAME.tmp-*`; a crash after step 2 leaves the new DIR
 * and a stray `.NAME.old-*`. The next check or write for the same DIR (`recoverFolder`, run by `checkOutFolder` and
 * `StagedFolder.open`) repairs all three: a missing DIR with an `.old-*` beside it gets the old folder back (the run
 * that crashed did not finish, so the old state is the last complete one), and the leftover `.tmp-*` and `.old-*`
 * folders of processes that are no longer running are removed. So DIR is always absent, the old complete folder or the
 * new complete one, never a mix.
 *
 * Test hook: FAIRKIT_CRASH_AT=<point> makes the writer kill its own process (SIGKILL, no clean-up) at that point:
 * after writing a file into the temporary folder (the point is the file's name, e.g. `model.json`), `staged` (all
 * files and the folder flushed, before any rename), `aside` (after rename 1) or `swapped` (after rename 2, before the
 * old folder is removed). Nothing else reads the variable; it exists for the crash tests.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, lstatSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FairkitError } from '../errors.js';
import { makeFolders, syncFolder } from './atomic-write.js';

/** Files whose presence marks a folder as a fairkit output that `--force` may replace. */
const RUN_MARKERS = ['model.json', 'metrics.json'];

export interface OutFolderOptions {
  /** Replace an existing run folder whole (else an existing, non-empty folder is refused). */
  force: boolean;
  /** The option that named the folder, for messages ('--out'). */
  option?: string;
}

/** The test hook: kills this process, unclean, when FAIRKIT_CRASH_AT names `point`. */
function crashPoint(point: string): void {
  if (process.env.FAIRKIT_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}

function leftoverPattern(dir: string): RegExp {
  const name = basename(dir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\.${name}\\.(tmp|old)-(\\d+)-[0-9a-f]+$`);
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Repairs what a crashed save left beside DIR (see the module comment): restores DIR from an `.old-*` sibling when DIR
 * is missing, and removes the `.tmp-*` and `.old-*` siblings of processes no longer running. Returns what it did.
 */
export function recoverFolder(dir: string): { restored?: string; removed: string[] } {
  const target = resolve(dir);
  const parent = dirname(target);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return { removed: [] };
  }
  const pattern = leftoverPattern(target);
  const leftovers = names.flatMap((name) => {
    const match = pattern.exec(name);
    return match && !isRunning(Number(match[2])) ? [{ name, kind: match[1] as 'tmp' | 'old' }] : [];
  });
  if (leftovers.length === 0) return { removed: [] };
  let restored: string | undefined;
  const old = leftovers.find((entry) => entry.kind === 'old');
  if (old && !existsSync(target)) {
    renameSync(join(parent, old.name), target);
    restored = old.name;
  }
  const removed: string[] = [];
  for (const entry of leftovers) {
    if (entry.name === restored) continue;
    rmSync(join(parent, entry.name), { recursive: true, force: true });
    removed.push(entry.name);
  }
  syncFolder(parent);
  return { ...(restored ? { restored } : {}), removed };
}

/**
 * Checks, before any long work, that a save into DIR will be allowed: DIR's parent can be created and written, DIR
 * is not a file, and DIR is absent, empty, or (with `force`) a fairkit run folder. Repairs a crashed save first.
 */
export function checkOutFolder(dir: string, options: OutFolderOptions): void {
  const { option } = options;
  const target = resolve(dir);
  const parent = dirname(target);
  try {
    makeFolders(parent);
  } catch (error) {
    throw new FairkitError(`output folder ${dir} cannot be created (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { where: option });
  }
  if (!statSync(parent).isDirectory()) throw new FairkitError(`output folder ${dir} cannot be created (${parent} is not a folder)`, { where: option });
  recoverFolder(target);
  let entry;
  try {
    entry = statSync(target);
  } catch {
    return;
  }
  if (!entry.isDirectory()) throw new FairkitError(`${dir} is a file, not a folder`, { where: option, fix: 'Give a folder path (it is created, or replaced with --force)' });
  const contents = readdirSync(target);
  if (contents.length === 0) return;
  const marker = RUN_MARKERS.find((name) => contents.includes(name));
  if (!marker) throw new FairkitError(`${dir} is a folder of other files (no ${RUN_MARKERS.join(' or ')}), which --force does not replace`, { where: option, fix: 'Give a new or empty folder' });
  if (!options.force) throw new FairkitError(`${dir} already holds a run (${marker})`, { where: option, fix: 'Give --force to replace the folder whole, or another folder' });
}

/** A temporary folder beside DIR that becomes DIR in one step (`commit`), or disappears (`discard`). */
export class StagedFolder {
  private done = false;

  private constructor(
    readonly target: string,
    readonly path: string,
    private readonly option: string | undefined,
  ) {}

  /** Checks DIR as `checkOutFolder` does (repairing a crashed save), then creates the temporary folder. */
  static open(dir: string, options: OutFolderOptions): StagedFolder {
    checkOutFolder(dir, options);
    const target = resolve(dir);
    const path = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      makeFolders(path);
    } catch (error) {
      throw new FairkitError(`cannot create a temporary folder beside ${dir} (${(error as Error).message})`, { where: options.option, cause: error });
    }
    return new StagedFolder(target, path, options.option);
  }

  /** Writes one file into the temporary folder and flushes it. */
  writeFile(name: string, data: string | Uint8Array): void {
    if (this.done) throw new Error(`the staged folder for ${this.target} is already committed or discarded`);
    const path = join(this.path, name);
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      const handle = openSync(path, 'wx');
      try {
        for (let written = 0; written < bytes.length; ) written += writeSync(handle, bytes, written, bytes.length - written);
        fsyncSync(handle);
      } finally {
        closeSync(handle);
      }
    } catch (error) {
      throw new FairkitError(`cannot write ${join(this.target, name)}: ${(error as Error).message}`, { cause: error });
    }
    crashPoint(name);
  }

  /**
   * Swaps the temporary folder in: the old DIR (if any) is renamed aside, the new one renamed into place, the parent
   * flushed, the old one removed. Refuses (and discards) if something appeared at DIR that is not a folder.
   */
  commit(): void {
    if (this.done) throw new Error(`the staged folder for ${this.target} is already committed or discarded`);
    const parent = dirname(this.target);
    let aside: string | undefined;
    try {
      syncFolder(this.path);
      crashPoint('staged');
      if (lstatExists(this.target)) {
        if (!lstatSync(this.target).isDirectory()) throw new FairkitError(`${this.target} is a file, not a folder`, { where: this.option });
        aside = join(parent, `.${basename(this.target)}.old-${process.pid}-${randomBytes(6).toString('hex')}`);
        renameSync(this.target, aside);
        crashPoint('aside');
      }
      renameSync(this.path, this.target);
      this.done = true;
      syncFolder(parent);
      crashPoint('swapped');
      if (aside) {
        rmSync(aside, { recursive: true, force: true });
        syncFolder(parent);
      }
    } catch (error) {
      if (!this.done) {
        // The new folder did not get in: put the old one back, then drop the new one.
        if (aside && !lstatExists(this.target)) renameSync(aside, this.target);
        this.discard();
      }
      if (error instanceof FairkitError) throw error;
      throw new FairkitError(`cannot replace ${this.target}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Removes the temporary folder (DIR untouched). */
  discard(): void {
    if (this.done) return;
    this.done = true;
    rmSync(this.path, { recursive: true, force: true });
  }
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

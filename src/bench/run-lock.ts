import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FairkitError } from '../errors.js';

const LOCK_FILE = '.bench.lock';
/** Held only while a stale lock is checked and removed, so that two runs never both "remove the stale lock". */
const TAKEOVER_FILE = '.bench.lock.takeover';
const ATTEMPTS = 100;
const RETRY_MS = 10;

/**
 * One bench run per output folder at a time: two runs appending to one journal could record a trial twice.
 * The lock is a file holding the owner's pid, created atomically (a complete temporary file hard-linked into
 * place, so nobody reads it half-written). A lock whose process is gone (a killed run) is removed, but only by
 * the run holding the takeover lock, after reading the lock again: so a lock that another run has just taken is
 * never removed. Returns the function that releases the lock (only while it is still ours).
 */
export function acquireRunLock(folder: string): () => void {
  const path = join(folder, LOCK_FILE);
  const mine = join(folder, `${LOCK_FILE}.${process.pid}`);
  try {
    writeFileSync(mine, `${process.pid}\n`);
  } catch (error) {
    throw new FairkitError(`cannot create ${path}: ${(error as Error).message}`, { where: '--out' });
  }
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (tryLink(mine, path)) return () => removeIfOwnedBy(path, process.pid);
      const owner = readOwner(path);
      if (owner !== 'gone' && owner !== process.pid && isAlive(owner)) {
        throw new FairkitError(`another fairkit bench (pid ${owner}) is writing to ${folder}`, { fix: 'Wait for it to finish, or use another --out folder' });
      }
      if (owner !== 'gone') removeStaleLock(folder, mine, path);
      sleep(RETRY_MS);
    }
  } finally {
    rmSync(mine, { force: true });
  }
  throw new FairkitError(`cannot take the lock ${path}`, { fix: 'Delete the file if no other fairkit bench is running' });
}

/** Under the takeover lock: removes the lock if it still names a dead process (or none). */
function removeStaleLock(folder: string, mine: string, path: string): void {
  const takeover = join(folder, TAKEOVER_FILE);
  if (!tryLink(mine, takeover)) {
    // A takeover in progress, or one whose run was killed mid-way (then nobody else will remove it).
    const holder = readOwner(takeover);
    if (holder !== 'gone' && !isAlive(holder)) removeIfOwnedBy(takeover, holder);
    return;
  }
  try {
    const owner = readOwner(path);
    if (owner !== 'gone' && !isAlive(owner)) removeIfOwnedBy(path, owner);
  } finally {
    removeIfOwnedBy(takeover, process.pid);
  }
}

/** Links our complete pid file to `path`; false when the file is there already. */
function tryLink(mine: string, path: string): boolean {
  try {
    linkSync(mine, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new FairkitError(`cannot create ${path}: ${(error as Error).message}`, { where: '--out' });
  }
}

/** The pid in a lock file, NaN when it holds none, 'gone' when the file does not exist. */
function readOwner(path: string): number | 'gone' {
  try {
    return Number.parseInt(readFileSync(path, 'utf8'), 10);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw new FairkitError(`cannot read ${path}: ${(error as Error).message}`, { where: '--out' });
  }
}

function removeIfOwnedBy(path: string, owner: number): void {
  const current = readOwner(path);
  if (current === owner || (Number.isNaN(current) && Number.isNaN(owner))) rmSync(path, { force: true });
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

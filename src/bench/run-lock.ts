import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FairkitError } from '../errors.js';

const LOCK_FILE = '.bench.lock';
const ATTEMPTS = 5;

/**
 * One bench run per output folder at a time: two runs appending to one journal could record a trial twice.
 * The lock is a file holding the owner's pid, created atomically (a complete temporary file hard-linked into
 * place, so nobody ever reads it half-written); a lock whose process is gone (a killed run) is taken over by
 * renaming it away first, so that of two runs taking over the same stale lock only one succeeds.
 * Returns the function that releases it (only while the lock is still ours).
 */
export function acquireRunLock(folder: string): () => void {
  const path = join(folder, LOCK_FILE);
  const mine = join(folder, `${LOCK_FILE}.${process.pid}`);
  writeOwnFile(mine, path);
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (tryLink(mine, path)) return () => releaseIfOurs(path);
      const owner = readOwner(path);
      if (owner === 'gone') continue; // released in the meantime: try again
      if (owner !== process.pid && isAlive(owner)) {
        throw new FairkitError(`another fairkit bench (pid ${owner}) is writing to ${folder}`, { fix: 'Wait for it to finish, or use another --out folder' });
      }
      removeStaleLock(path, owner, folder);
    }
  } finally {
    rmSync(mine, { force: true });
  }
  throw new FairkitError(`cannot take the lock ${path}`, { fix: 'Delete the file if no other fairkit bench is running' });
}

function writeOwnFile(mine: string, path: string): void {
  try {
    writeFileSync(mine, `${process.pid}\n`);
  } catch (error) {
    throw new FairkitError(`cannot create ${path}: ${(error as Error).message}`, { where: '--out' });
  }
}

/** Links our complete pid file to the lock name; false when a lock is there already. */
function tryLink(mine: string, path: string): boolean {
  try {
    linkSync(mine, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new FairkitError(`cannot create ${path}: ${(error as Error).message}`, { where: '--out' });
  }
}

/** The pid in the lock file, NaN when it holds none, 'gone' when the file no longer exists. */
function readOwner(path: string): number | 'gone' {
  try {
    return Number.parseInt(readFileSync(path, 'utf8'), 10);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw new FairkitError(`cannot read ${path}: ${(error as Error).message}`, { where: '--out' });
  }
}

/**
 * Moves the stale lock to a name of our own and deletes it only if it still names the dead owner; a lock that a
 * faster run took over in between is put back.
 */
function removeStaleLock(path: string, owner: number, folder: string): void {
  const aside = join(folder, `${LOCK_FILE}.stale.${process.pid}`);
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it first
    throw error;
  }
  const moved = readOwner(aside);
  if (moved !== owner && moved !== 'gone' && !Number.isNaN(moved)) tryLink(aside, path);
  rmSync(aside, { force: true });
}

function releaseIfOurs(path: string): void {
  if (readOwner(path) === process.pid) rmSync(path, { force: true });
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

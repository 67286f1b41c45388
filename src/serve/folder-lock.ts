/**
 * One server per state folder: `DIR/lock` holds the owner's pid, created exclusively. A second server on the folder
 * fails with the owner's pid; a lock left by a process that no longer runs (kill -9) is taken over.
 */
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FairkitError } from '../errors.js';

export const LOCK_FILE = 'lock';

/** Whether a process with this pid runs (EPERM: it runs under another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock for this process; returns its release. Throws a FairkitError when another process holds it. */
export function lockFolder(folder: string): () => void {
  const path = join(folder, LOCK_FILE);
  // Two attempts: the second after removing a stale lock. (Two servers replacing the same stale lock at the very same
  // moment could both win; starting servers one at a time, as a supervisor does, avoids that window.)
  for (let attempt = 0; attempt < 2; attempt++) {
    // The pid is written to a file of this process's own and then hard-linked as the lock (link fails when the lock
    // exists), so a lock file never exists without its pid and another server never mistakes a fresh one for stale.
    const own = `${path}.${process.pid}`;
    try {
      writeFileSync(own, `${process.pid}\n`);
      linkSync(own, path);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new FairkitError(`cannot create the lock file: ${(error as Error).message}`, { where: path, cause: error });
    } finally {
      rmSync(own, { force: true });
    }
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue; // removed meanwhile: try again
    }
    const pid = Number(text.trim());
    // An empty lock (left by an older version that wrote the pid after creating the file) is stale too.
    if (Number.isInteger(pid) && pid > 0 && running(pid)) {
      throw new FairkitError(`the state folder is in use by another fairkit serve (process ${pid})`, { where: path, fix: 'Stop that server, or give this one another --state folder' });
    }
    rmSync(path, { force: true });
  }
  throw new FairkitError('another process took the lock while a stale one was being replaced', { where: path, fix: 'Start one server per --state folder' });
}

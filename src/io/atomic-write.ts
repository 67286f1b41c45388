import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { open, rename, rm } from 'node:fs/promises';
import { FairkitError } from '../errors.js';

let temporaries = 0;

/**
 * The one file writer: whole or not at all, and durable once it returns. The data goes to a temporary file beside
 * `path` (same folder, so the rename cannot cross file systems), which is flushed to disk (fsync) and renamed over
 * `path`; then the folder itself is flushed, so the rename survives a crash. A failure leaves the old file and no
 * temporary behind.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${temporaries++}.tmp`);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const handle = openSync(temporary, 'w');
    try {
      for (let written = 0; written < bytes.length; ) written += writeSync(handle, bytes, written, bytes.length - written);
      fsyncSync(handle);
    } finally {
      closeSync(handle);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new FairkitError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
  syncFolder(folder);
}

/** Error codes of systems that cannot open a folder for syncing. */
const FOLDER_SYNC_UNSUPPORTED = new Set(['EPERM', 'EISDIR', 'EINVAL', 'EBADF', 'EACCES']);

/**
 * Flushes a folder's entries (the rename) to disk. Some systems cannot open a folder for syncing (Windows: EPERM,
 * EISDIR); there the rename is as durable as the system makes it, which is not worth failing a finished write for.
 */
export function syncFolder(folder: string): void {
  let handle: number | undefined;
  try {
    handle = openSync(folder, 'r');
    fsyncSync(handle);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!FOLDER_SYNC_UNSUPPORTED.has(code ?? '')) {
      throw new FairkitError(`cannot flush the folder ${folder} after writing into it: ${(error as Error).message}`, { cause: error });
    }
  } finally {
    if (handle !== undefined) closeSync(handle);
  }
}

/** Creates a folder (and parents) and checks it is writable, so a long run fails before it starts, not after. */
export function ensureWritableFolder(path: string, option: string): void {
  try {
    makeFolders(path);
    accessSync(path, constants.W_OK);
  } catch (error) {
    throw new FairkitError(`output folder ${path} cannot be created or written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { where: option });
  }
}

/**
 * mkdir -p one level at a time: Node's recursive mkdirSync spins forever under /proc (nodejs/node#27198), while a
 * single level fails at once there.
 */
export function makeFolders(path: string): void {
  const missing: string[] = [];
  for (let folder = resolve(path); !existsSync(folder); folder = dirname(folder)) {
    missing.unshift(folder);
    if (dirname(folder) === folder) break;
  }
  for (const folder of missing) mkdirSync(folder);
}

/**
 * writeFileAtomic without blocking the event loop (a server keeps answering while the disk flushes): the same
 * temporary file, fsync, rename and folder flush. Calls for one path must not overlap (the caller serialises them).
 */
export async function writeFileAtomicAsync(path: string, data: string): Promise<void> {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${temporaries++}.tmp`);
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new FairkitError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
  await syncFolderAsync(folder);
}

/** syncFolder without blocking the event loop. */
export async function syncFolderAsync(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (error) {
    if (!FOLDER_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw new FairkitError(`cannot flush the folder ${folder} after writing into it: ${(error as Error).message}`, { cause: error });
  } finally {
    await handle?.close();
  }
}

import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FairkitError } from '../errors.js';

/** Writes a file whole or not at all: a temporary file beside it, renamed into place. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new FairkitError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
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
function makeFolders(path: string): void {
  const missing: string[] = [];
  for (let folder = resolve(path); !existsSync(folder); folder = dirname(folder)) {
    missing.unshift(folder);
    if (dirname(folder) === folder) break;
  }
  for (const folder of missing) mkdirSync(folder);
}

import { mkdirSync, renameSync, rmSync, writeFileSync, accessSync, constants } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { FairkitError } from '../errors.js';
/** Writes a file whole or not at all: a temporary file beside it, renamed into place. */
export function writeFileAtomic(path, data) {
    const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    try {
        writeFileSync(temporary, data);
        renameSync(temporary, path);
    }
    catch (error) {
        rmSync(temporary, { force: true });
        throw new FairkitError(`cannot write ${path}: ${error.message}`, { cause: error });
    }
}
/** Creates a folder (and parents) and checks it is writable, so a long run fails before it starts, not after. */
export function ensureWritableFolder(path, option) {
    try {
        mkdirSync(path, { recursive: true });
        accessSync(path, constants.W_OK);
    }
    catch (error) {
        throw new FairkitError(`output folder ${path} cannot be created or written (${error.code ?? error.message})`, { where: option });
    }
}
//# sourceMappingURL=atomic-write.js.map
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FairkitError } from '../errors.js';
/**
 * One bench run per output folder at a time: two runs appending to one journal could record a trial twice.
 * The lock is a file holding the owner's pid; a lock whose process is gone (a killed run) is taken over.
 * Returns the function that releases it.
 */
export function acquireRunLock(folder) {
    const path = join(folder, '.bench.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
        try {
            writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
            return () => rmSync(path, { force: true });
        }
        catch (error) {
            if (error.code !== 'EEXIST') {
                throw new FairkitError(`cannot create ${path}: ${error.message}`, { where: '--out' });
            }
            const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
            if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
                throw new FairkitError(`another fairkit bench (pid ${owner}) is writing to ${folder}`, { fix: 'Wait for it to finish, or use another --out folder' });
            }
            rmSync(path, { force: true });
        }
    }
    throw new FairkitError(`cannot take the lock ${path}`, { fix: 'Delete the file if no other fairkit bench is running' });
}
function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}
//# sourceMappingURL=run-lock.js.map
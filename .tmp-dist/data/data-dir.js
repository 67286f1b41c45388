import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FairkitError } from '../errors.js';
export const DATA_DIR_ENV = 'FAIRKIT_DATA_DIR';
const HOW_TO_POINT = `Pass --data-dir DIR or set ${DATA_DIR_ENV} to a folder holding one sub-folder per data set (adult/, compas/, german_credit/, bank_marketing/)`;
/** This file sits in src/data/ (or dist/data/), so the project root is two levels up. */
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The folder that would be used, and which source named it, without checking that it exists. */
export function candidateDataDir(flag) {
    if (flag !== undefined && flag !== '')
        return { path: resolve(flag), source: 'flag' };
    const fromEnv = process.env[DATA_DIR_ENV];
    if (fromEnv !== undefined && fromEnv !== '')
        return { path: resolve(fromEnv), source: 'env' };
    return { path: join(PROJECT_ROOT, '..', 'shared', 'datasets'), source: 'default' };
}
/** The data folder: the --data-dir flag, else $FAIRKIT_DATA_DIR, else <project root>/../shared/datasets. */
export function resolveDataDir(flag) {
    const { path, source } = candidateDataDir(flag);
    if (!isDirectory(path)) {
        const namedBy = { flag: '--data-dir', env: DATA_DIR_ENV, default: 'the default location' }[source];
        throw new FairkitError(`data folder ${path} (from ${namedBy}) does not exist or is not a folder`, {
            fix: HOW_TO_POINT,
        });
    }
    return path;
}
/** Path of one file of one data set, or a FairkitError naming the missing path. */
export function datasetFile(dataDir, folder, file) {
    const path = join(dataDir, folder, file);
    if (!existsSync(path)) {
        throw new FairkitError(`data file ${path} is missing`, { fix: HOW_TO_POINT });
    }
    return path;
}
function isDirectory(path) {
    return existsSync(path) && statSync(path).isDirectory();
}
//# sourceMappingURL=data-dir.js.map
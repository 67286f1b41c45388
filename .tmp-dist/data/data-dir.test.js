import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { DATA_DIR_ENV, candidateDataDir, datasetFile, resolveDataDir } from './data-dir.js';
let saved;
beforeEach(() => {
    saved = process.env[DATA_DIR_ENV];
    delete process.env[DATA_DIR_ENV];
});
afterEach(() => {
    if (saved === undefined)
        delete process.env[DATA_DIR_ENV];
    else
        process.env[DATA_DIR_ENV] = saved;
});
test('the flag wins over the environment, which wins over ../shared/datasets', () => {
    const flagDir = mkdtempSync(join(tmpdir(), 'fairkit-flag-'));
    const envDir = mkdtempSync(join(tmpdir(), 'fairkit-env-'));
    const fallback = candidateDataDir();
    assert.equal(fallback.source, 'default');
    const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
    assert.equal(fallback.path, join(projectRoot, '..', 'shared', 'datasets'));
    process.env[DATA_DIR_ENV] = envDir;
    assert.equal(resolveDataDir(), envDir);
    assert.equal(resolveDataDir(flagDir), flagDir);
    process.env[DATA_DIR_ENV] = '';
    assert.equal(candidateDataDir().source, 'default');
});
test('a missing data folder is a FairkitError naming it and the two ways to set it', () => {
    const missing = join(tmpdir(), 'fairkit-surely-not-here');
    assert.throws(() => resolveDataDir(missing), (error) => {
        assert.ok(error instanceof FairkitError);
        assert.ok(error.message.includes(missing));
        assert.match(error.message, /--data-dir/);
        assert.match(error.message, /FAIRKIT_DATA_DIR/);
        return true;
    });
    process.env[DATA_DIR_ENV] = missing;
    assert.throws(() => resolveDataDir(), new RegExp(`from ${DATA_DIR_ENV}`));
});
test('datasetFile names the missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fairkit-files-'));
    assert.throws(() => datasetFile(dir, 'compas', 'compas-scores-two-years.csv'), (error) => error instanceof FairkitError && error.message.includes(join(dir, 'compas', 'compas-scores-two-years.csv')));
});
//# sourceMappingURL=data-dir.test.js.map
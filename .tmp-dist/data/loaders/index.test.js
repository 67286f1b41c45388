import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairkitError } from '../../errors.js';
import { datasetList, isDatasetName, loadDataset, loadGerman } from './index.js';
import { realDataDir } from './test-data.js';
test('the registry lists the four data sets with their folders and one-line summaries', () => {
    assert.deepEqual(datasetList.map((d) => [d.name, d.folder]), [
        ['adult', 'adult'], ['compas', 'compas'], ['german', 'german_credit'], ['bank', 'bank_marketing'],
    ]);
    for (const entry of datasetList)
        assert.ok(entry.summary.length > 20 && !entry.summary.includes('\n'));
    assert.equal(isDatasetName('compas'), true);
    assert.equal(isDatasetName('mnist'), false);
});
test('loadDataset rejects an unknown name and lists the known ones', async () => {
    await assert.rejects(loadDataset('adults', '/nowhere'), (error) => error instanceof FairkitError && /unknown data set "adults"/.test(error.message) && /adult, compas, german, bank/.test(error.message));
});
test('loadDataset dispatches by name', async (t) => {
    const dir = realDataDir(t, 'german_credit');
    if (!dir)
        return;
    const byName = await loadDataset('german', dir);
    const direct = await loadGerman(dir);
    assert.equal(byName.name, 'german');
    assert.deepEqual(byName.table.names, direct.table.names);
    assert.equal(byName.table.nRows, direct.table.nRows);
});
//# sourceMappingURL=index.test.js.map
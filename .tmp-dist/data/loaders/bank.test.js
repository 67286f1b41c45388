import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGroups } from '../groups.js';
import { loadBank } from './bank.js';
import reference from './fixtures/dataset-counts.json' with { type: 'json' };
import { hasMissing, mean, realDataDir, valueCounts } from './test-data.js';
const expected = reference.bank;
test('Bank marketing matches the pandas reference counts; duration dropped, age binned at 25', async (t) => {
    const dir = realDataDir(t, 'bank_marketing');
    if (!dir)
        return;
    const dataset = await loadBank(dir);
    const { table, spec } = dataset;
    assert.equal(table.nRows, expected.rows);
    assert.equal(valueCounts(table, 'y').yes, expected.positives);
    assert.deepEqual(valueCounts(table, 'poutcome'), expected.poutcome);
    assert.ok(Math.abs(mean(table, 'balance') - expected.meanBalance) < 1e-9);
    assert.equal(hasMissing(table), false);
    assert.equal(table.columns.has('duration'), false);
    assert.equal(spec.features.includes('duration'), false);
    const groups = buildGroups(table, spec.sensitive, { binning: dataset.meta?.binning, privileged: spec.privileged });
    const counts = {};
    const positives = {};
    const y = table.columns.get('y').values;
    groups.ids.forEach((id, row) => {
        const key = groups.keys[id];
        counts[key] = (counts[key] ?? 0) + 1;
        if (y[row] === 'yes')
            positives[key] = (positives[key] ?? 0) + 1;
    });
    assert.deepEqual(counts, expected.ageGroup);
    assert.deepEqual(positives, expected.positivesByAgeGroup);
    assert.equal(groups.keys[groups.privileged], '>=25');
});
//# sourceMappingURL=bank.test.js.map
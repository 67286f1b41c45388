import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compasSpec, loadCompas } from './compas.js';
import reference from './fixtures/dataset-counts.json' with { type: 'json' };
import { hasMissing, isValue, mean, realDataDir, valueCounts } from './test-data.js';
const expected = reference.compas;
test('COMPAS with ProPublica\'s filter has exactly 6,172 rows and the pandas reference counts', async (t) => {
    const dir = realDataDir(t, 'compas');
    if (!dir)
        return;
    const { table, spec } = await loadCompas(dir);
    assert.equal(table.nRows, 6172);
    assert.equal(table.nRows, expected.rows);
    assert.equal(valueCounts(table, 'two_year_recid')['1'], expected.positives);
    assert.deepEqual(valueCounts(table, 'race'), expected.race);
    assert.deepEqual(valueCounts(table, 'sex'), expected.sex);
    assert.deepEqual(valueCounts(table, 'age_cat'), expected.ageCat);
    assert.deepEqual(valueCounts(table, 'race', isValue(table, 'two_year_recid', '1')), expected.positivesByRace);
    const caucasian = expected.race.Caucasian;
    assert.deepEqual(valueCounts(table, 'race_binary'), { Caucasian: caucasian, 'Non-Caucasian': 6172 - caucasian });
    assert.deepEqual(spec.sensitive, ['race_binary']);
    assert.ok(Math.abs(mean(table, 'priors_count') - expected.meanPriorsCount) < 1e-9);
    assert.ok(Math.abs(mean(table, 'decile_score') - expected.meanDecileScore) < 1e-9);
    assert.equal(hasMissing(table), false);
    for (const forbidden of ['name', 'first', 'last', 'dob', 'id', 'decile_score', 'score_text', 'c_jail_in']) {
        assert.equal(spec.features.includes(forbidden), false, `${forbidden} must not be a feature`);
    }
    for (const personal of ['name', 'first', 'last', 'dob', 'id'])
        assert.equal(table.columns.has(personal), false);
});
/** One row per filter condition that must remove it, plus two that pass. Header has the duplicated columns. */
test('COMPAS filter drops each failing condition and keeps the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fairkit-compas-'));
    mkdirSync(join(dir, 'compas'));
    const header = 'id,name,sex,age,age_cat,race,juv_fel_count,decile_score,juv_misd_count,juv_other_count,priors_count,' +
        'days_b_screening_arrest,c_charge_degree,c_charge_desc,is_recid,decile_score,score_text,priors_count,two_year_recid';
    const row = (id, days, degree, isRecid, scoreText, recid) => `${id},someone,Male,30,25 - 45,Caucasian,0,${id % 10},0,0,2,${days},${degree},"Poss 3,4 MDMA",${isRecid},${id % 10},${scoreText},2,${recid}`;
    const rows = [
        row(1, '-1', 'F', 1, 'Low', 1), // kept
        row(2, '30', 'M', 0, 'High', 0), // kept (the ends of the window are inside)
        row(3, '31', 'F', 1, 'Low', 1), // outside the window
        row(4, '', 'F', 1, 'Low', 1), // no days_b_screening_arrest
        row(5, '0', 'O', 1, 'Low', 1), // ordinary traffic offence
        row(6, '0', 'F', -1, 'Low', 1), // no recidivism record
        row(7, '0', 'F', 1, 'N/A', 1), // no score
        row(8, '-31', 'F', 1, 'Low', 1), // outside the window
    ];
    writeFileSync(join(dir, 'compas', 'compas-scores-two-years.csv'), [header, ...rows, ''].join('\n'));
    const { table, spec } = await loadCompas(dir);
    assert.deepEqual(Array.from(table.columns.get('decile_score').values), [1, 2]);
    assert.deepEqual(table.columns.get('two_year_recid').values, ['1', '0']);
    assert.equal(spec, compasSpec);
    assert.equal(spec.positive, '1');
    assert.deepEqual(spec.privileged, { race_binary: 'Caucasian', race: 'Caucasian', sex: 'Female' });
});
//# sourceMappingURL=compas.test.js.map
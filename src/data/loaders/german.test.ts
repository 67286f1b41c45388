import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FairkitError } from '../../errors.js';
import { buildGroups } from '../groups.js';
import reference from './fixtures/dataset-counts.json' with { type: 'json' };
import { GERMAN_AGE_PRIVILEGED, germanAgeBinning, loadGerman } from './german.js';
import { hasMissing, isValue, mean, realDataDir, valueCounts } from './test-data.js';

const expected = reference.german;

test('German credit matches the pandas reference counts; sex from attribute 9, age > 25 via the binning', async (t) => {
  const dir = realDataDir(t, 'german_credit');
  if (!dir) return;
  const { table, spec } = await loadGerman(dir);
  assert.equal(table.nRows, expected.rows);
  assert.equal(valueCounts(table, 'class')['1'], expected.positives);
  assert.deepEqual(valueCounts(table, 'sex'), expected.sex);
  assert.deepEqual(valueCounts(table, 'sex', isValue(table, 'class', '1')), expected.positivesBySex);
  assert.ok(Math.abs(mean(table, 'age') - expected.meanAge) < 1e-9);
  assert.ok(Math.abs(mean(table, 'credit_amount') - expected.meanCreditAmount) < 1e-9);
  assert.equal(hasMissing(table), false);
  assert.equal(table.columns.has('personal_status_sex'), false);

  const byAge = buildGroups(table, ['age'], { binning: [germanAgeBinning], privileged: { age: GERMAN_AGE_PRIVILEGED } });
  const privilegedRows = byAge.ids.filter((id) => id === byAge.privileged).length;
  assert.equal(byAge.keys[byAge.privileged!], GERMAN_AGE_PRIVILEGED);
  assert.equal(privilegedRows, expected.ageOver25);
  assert.deepEqual(spec.privileged, { sex: 'Male' });
});

function miniGerman(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'fairkit-german-'));
  mkdirSync(join(dir, 'german_credit'));
  writeFileSync(join(dir, 'german_credit', 'german.data'), lines.join('\n') + '\n');
  return dir;
}
/** An invented record in german.data's coding (not one of the real file's rows). */
const line = (status: string, age: number, klass: number) =>
  `A12 18 A32 A40 2500 A62 A73 3 ${status} A102 2 A123 ${age} A142 A151 1 A172 2 A191 A202 ${klass}`;

test('German loader splits attribute 9 into sex and marital status', async () => {
  const dir = miniGerman([line('A91', 40, 1), line('A92', 22, 2), line('A93', 30, 1), line('A94', 60, 2), line('A95', 26, 1)]);
  const { table } = await loadGerman(dir);
  assert.deepEqual(table.columns.get('sex')!.values, ['Male', 'Female', 'Male', 'Male', 'Female']);
  assert.deepEqual(table.columns.get('marital_status')!.values,
    ['divorced/separated', 'divorced/separated/married', 'single', 'married/widowed', 'single']);
  assert.deepEqual(table.columns.get('class')!.values, ['1', '2', '1', '2', '1']);
  assert.equal(table.names.indexOf('sex'), 8);
});

test('German loader rejects an unknown attribute-9 code', async () => {
  await assert.rejects(loadGerman(miniGerman([line('A99', 40, 1)])), (error: unknown) =>
    error instanceof FairkitError && /A99/.test(error.message));
});

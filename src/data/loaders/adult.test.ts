import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FairkitError } from '../../errors.js';
import { adultSpec, AGE_GROUP, ageGroupOf, loadAdult } from './adult.js';
import reference from './fixtures/dataset-counts.json' with { type: 'json' };
import { hasMissing, isValue, mean, realDataDir, valueCounts } from './test-data.js';

const expected = reference.adult;

test('Adult from the real files matches the pandas reference counts', async (t) => {
  const dir = realDataDir(t, 'adult');
  if (!dir) return;
  const { table, spec, meta } = await loadAdult(dir);
  assert.equal(table.nRows, expected.rows);
  assert.equal(meta?.uciTrainRows, expected.uciTrainRows);
  const positives = valueCounts(table, 'income')['>50K'];
  assert.equal(positives, expected.positives);
  assert.equal((positives / table.nRows).toFixed(4), '0.2478');
  assert.deepEqual(valueCounts(table, 'sex'), expected.sex);
  assert.deepEqual(valueCounts(table, 'race'), expected.race);
  assert.deepEqual(valueCounts(table, 'sex', isValue(table, 'income', '>50K')), expected.positivesBySex);
  assert.ok(Math.abs(mean(table, 'age') - expected.meanAge) < 1e-9);
  assert.ok(Math.abs(mean(table, 'hours-per-week') - expected.meanHoursPerWeek) < 1e-9);
  const cell = (name: string, row: number) => String(table.columns.get(name)!.values[row]);
  assert.equal(cell('age', 0), String(expected.firstRow.age));
  assert.equal(cell('workclass', 0), expected.firstRow.workclass);
  assert.equal(cell('occupation', table.nRows - 1), expected.lastRow.occupation);
  assert.equal(cell('income', table.nRows - 1), expected.lastRow.income);
  assert.equal(hasMissing(table), false);
  assert.equal(table.columns.has('fnlwgt'), false);
  assert.deepEqual(spec.features, table.names.filter((name) => name !== 'income' && name !== AGE_GROUP));
  assert.deepEqual(valueCounts(table, AGE_GROUP), expected.ageGroup);
  assert.deepEqual(valueCounts(table, AGE_GROUP, isValue(table, 'income', '>50K')), expected.positivesByAgeGroup);
});

test('Adult age groups: 24 is <25, 25 and 44 are 25-44, 45 and 64 are 45-64, 65 and 90 are 65+', () => {
  assert.deepEqual([17, 24, 25, 44, 45, 64, 65, 90].map(ageGroupOf), ['<25', '<25', '25-44', '25-44', '45-64', '45-64', '65+', '65+']);
});

/**
 * Two tiny files in Adult's format with invented rows (no record of the real files): spaces after commas, '?', a first
 * line of adult.test that is not data, and "." labels.
 */
function miniAdult(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fairkit-adult-'));
  mkdirSync(join(dir, 'adult'));
  const row = (age: number, workclass: string, sex: string, income: string) =>
    `${age}, ${workclass}, 123456, Some-college, 10, Married-civ-spouse, Sales, Husband, Black, ${sex}, 0, 0, 45, Canada, ${income}`;
  writeFileSync(join(dir, 'adult', 'adult.data'), [row(41, 'Local-gov', 'Male', '<=50K'), row(52, '?', 'Female', '>50K'), row(33, 'Private', 'Female', '>50K'), ''].join('\n'));
  writeFileSync(join(dir, 'adult', 'adult.test'), ['|not a data line', row(27, 'Private', 'Male', '<=50K.'), row(46, 'Private', 'Male', '>50K.'), ''].join('\n'));
  return dir;
}

test('Adult loader skips adult.test\'s first line, strips the "." of its labels and drops rows with "?"', async () => {
  const { table, meta, spec } = await loadAdult(miniAdult());
  assert.equal(table.nRows, 4);
  assert.equal(meta?.uciTrainRows, 2);
  assert.deepEqual(table.columns.get('income')!.values, ['<=50K', '>50K', '<=50K', '>50K']);
  assert.deepEqual(Array.from(table.columns.get('age')!.values as Float64Array), [41, 33, 27, 46]);
  assert.equal(spec, adultSpec);
  assert.equal(spec.positive, '>50K');
  assert.deepEqual(spec.privileged, { sex: 'Male', race: 'White' });
});

test('Adult loader names a missing file and says how to point at the data', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fairkit-empty-'));
  await assert.rejects(loadAdult(dir), (error: unknown) => {
    assert.ok(error instanceof FairkitError);
    assert.match(error.message, /adult[/\\]adult\.data is missing/);
    assert.match(error.message, /--data-dir/);
    assert.match(error.message, /FAIRKIT_DATA_DIR/);
    return true;
  });
});

test('Adult loader rejects an unexpected label value, naming the file', async () => {
  const dir = miniAdult();
  writeFileSync(join(dir, 'adult', 'adult.test'), '|not a data line\n27, Private, 1, HS-grad, 9, Never-married, Sales, Own-child, Black, Male, 0, 0, 45, Canada, maybe\n');
  await assert.rejects(loadAdult(dir), /adult\.test.*unexpected value "maybe"/);
});

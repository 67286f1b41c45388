import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { FairkitError } from '../../errors.js';
import { openDataset } from '../open-dataset.js';
import { loadOulad, ouladSpec } from './oulad.js';
import { hasMissing, isValue, mean, realDataDir, valueCounts } from './test-data.js';

/*
 * Expected numbers for the real file, counted once with Python's csv and gzip modules: 21,562 rows; final_result
 * Pass 14,655 / Fail 6,907; gender F 9,994 / M 11,568 (Pass: F 6,928, M 7,727); disability N 19,666 / Y 1,896;
 * age_band 0-35 15,017, 35-55 6,391, 55<= 154; 13 regions, Scotland 2,532; mean studied_credits 74.40381226231332.
 */
test('OULAD: 21,562 rows, Pass/Fail target, sensitive gender, region as cluster, id_student dropped', async (t) => {
  const dir = realDataDir(t, 'oulad');
  if (!dir) return;
  const { table, spec, meta } = await loadOulad(dir);
  assert.equal(table.nRows, 21562);
  assert.deepEqual(valueCounts(table, 'final_result'), { Fail: 6907, Pass: 14655 });
  assert.deepEqual(valueCounts(table, 'gender'), { F: 9994, M: 11568 });
  assert.deepEqual(valueCounts(table, 'gender', isValue(table, 'final_result', 'Pass')), { F: 6928, M: 7727 });
  assert.deepEqual(valueCounts(table, 'disability'), { N: 19666, Y: 1896 });
  assert.deepEqual(valueCounts(table, 'age_band'), { '0-35': 15017, '35-55': 6391, '55<=': 154 });
  assert.equal(Object.keys(valueCounts(table, 'imd_band')).length, 10);
  assert.equal(Object.keys(valueCounts(table, 'region')).length, 13);
  assert.equal(valueCounts(table, 'region').Scotland, 2532);
  assert.ok(Math.abs(mean(table, 'studied_credits') - 74.40381226231332) < 1e-9);
  assert.equal(hasMissing(table), false);
  assert.equal(meta!.droppedRows, 0);
  assert.equal(table.columns.has('id_student'), false);
  assert.equal(spec, ouladSpec);
});

test('OULAD: the loader gives the table and problem of the CSV route of docs/methods/fair-medl.md', async (t) => {
  const dir = realDataDir(t, 'oulad');
  if (!dir) return;
  const sensitive = ['gender', 'disability', 'age_band', 'imd_band'];
  const viaLoader = await openDataset({ dataset: 'oulad', dataDir: dir, sensitive });
  const viaCsv = await openDataset({
    dataset: join(dir, 'oulad', 'oulad_clean.csv.gz'), target: 'final_result', positive: 'Pass', sensitive,
    drop: ['id_student'], cluster: 'region',
  });
  const csvNames = viaCsv.table.names.filter((name) => name !== 'id_student');
  assert.deepEqual(viaLoader.table.names, csvNames);
  for (const name of csvNames) assert.deepEqual(viaLoader.table.columns.get(name), viaCsv.table.columns.get(name), name);
  assert.deepEqual(viaLoader.spec.features, viaCsv.spec.features);
  assert.deepEqual(viaLoader.spec.sensitive, sensitive);
  assert.equal(viaLoader.spec.cluster, 'region');
});

const HEADER = 'code_module,code_presentation,id_student,gender,region,highest_education,imd_band,age_band,num_of_prev_attempts,studied_credits,disability,final_result';

function writeOulad(rows: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'fairkit-oulad-'));
  mkdirSync(join(dir, 'oulad'));
  writeFileSync(join(dir, 'oulad', 'oulad_clean.csv.gz'), gzipSync(Buffer.from([HEADER, ...rows, ''].join('\n'))));
  return dir;
}

/** Invented records in the file's layout: one complete, one with a missing imd_band (dropped). */
test('OULAD: id_student dropped, region the cluster not an input, numeric credits, rows with a missing value dropped', async () => {
  const dir = writeOulad([
    'AAA,2013J,11391,M,Scotland,HE Qualification,90-100%,55<=,0,240,N,Pass',
    'BBB,2014B,28400,F,Wales,Lower Than A Level,,0-35,1,60,Y,Fail',
    'CCC,2014J,30268,F,Ireland,A Level or Equivalent,0-10%,35-55,2,30,N,Fail',
  ]);
  const { table, spec, meta, description } = await loadOulad(dir);
  assert.deepEqual(table.names, ['code_module', 'code_presentation', 'gender', 'region', 'highest_education', 'imd_band',
    'age_band', 'num_of_prev_attempts', 'studied_credits', 'disability', 'final_result']);
  assert.equal(table.nRows, 2);
  assert.equal(meta!.droppedRows, 1);
  assert.deepEqual(table.columns.get('region')!.values, ['Scotland', 'Ireland']);
  assert.deepEqual(Array.from(table.columns.get('studied_credits')!.values as Float64Array), [240, 30]);
  // 2013J and 2014J look like text anyway; code_presentation must be categorical whatever a file holds.
  assert.equal(table.columns.get('code_presentation')!.kind, 'categorical');
  assert.deepEqual(table.columns.get('final_result')!.values, ['Pass', 'Fail']);
  assert.equal(spec.target, 'final_result');
  assert.equal(spec.positive, 'Pass');
  assert.deepEqual(spec.sensitive, ['gender']);
  assert.equal(spec.privileged, undefined);
  assert.equal(spec.cluster, 'region');
  assert.equal(spec.task, undefined);
  assert.deepEqual(spec.features, ['code_module', 'code_presentation', 'gender', 'highest_education', 'imd_band', 'age_band',
    'num_of_prev_attempts', 'studied_credits', 'disability']);
  assert.ok(/positive "Pass"/.test(description) && /Cluster region/.test(description));
});

test('OULAD: an unexpected result or gender value, and a missing folder, are FairkitErrors', async () => {
  const withdrawn = writeOulad(['AAA,2013J,1,M,Scotland,HE Qualification,0-10%,0-35,0,60,N,Withdrawn']);
  await assert.rejects(loadOulad(withdrawn), (error: unknown) =>
    error instanceof FairkitError && /column "final_result" has the unexpected value "Withdrawn" \(data row 1\)/.test(error.message));
  const gender = writeOulad(['AAA,2013J,1,X,Scotland,HE Qualification,0-10%,0-35,0,60,N,Pass']);
  await assert.rejects(loadOulad(gender), (error: unknown) =>
    error instanceof FairkitError && /column "gender" has the unexpected value "X"/.test(error.message));
  const none = mkdtempSync(join(tmpdir(), 'fairkit-oulad-none-'));
  await assert.rejects(loadOulad(none), (error: unknown) => error instanceof FairkitError && error.message.includes('oulad'));
});

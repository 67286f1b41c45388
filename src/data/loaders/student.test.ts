import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FairkitError } from '../../errors.js';
import { loadStudent, type StudentSubject } from './student.js';
import { hasMissing, isValue, mean, realDataDir, valueCounts } from './test-data.js';

/*
 * Expected numbers for the real files, counted once with Python's csv module (they agree with SOURCE.md):
 * math 395 rows, sex F 208 / M 187, school GP 349 / MS 46, mean G2 10.7139240506329 (F: 10.3894230769231);
 * Portuguese 649 rows, F 383 / M 266, GP 423 / MS 226, mean G2 11.5701078582435 (F: 11.822454308094).
 */
const expected = {
  math: { rows: 395, sex: { F: 208, M: 187 }, school: { GP: 349, MS: 46 }, meanG2: 10.7139240506329, meanG2F: 10.3894230769231 },
  portuguese: { rows: 649, sex: { F: 383, M: 266 }, school: { GP: 423, MS: 226 }, meanG2: 11.5701078582435, meanG2F: 11.822454308094 },
};

for (const subject of ['math', 'portuguese'] as StudentSubject[]) {
  test(`Student Performance (${subject}): row count, groups and grade means as counted independently`, async (t) => {
    const dir = realDataDir(t, 'student_performance');
    if (!dir) return;
    const want = expected[subject];
    const { table, spec, meta } = await loadStudent(dir, { subject });
    assert.equal(table.nRows, want.rows);
    assert.deepEqual(valueCounts(table, 'sex'), want.sex);
    assert.deepEqual(valueCounts(table, 'school'), want.school);
    assert.ok(Math.abs(mean(table, 'G2') - want.meanG2) < 1e-10);
    const female = isValue(table, 'sex', 'F');
    const g2 = table.columns.get('G2')!.values as Float64Array;
    const femaleMean = g2.reduce((sum, v, i) => sum + (female[i] ? v : 0), 0) / want.sex.F;
    assert.ok(Math.abs(femaleMean - want.meanG2F) < 1e-10);
    assert.equal(hasMissing(table), false);
    assert.equal(meta!.droppedRows, 0);
    assert.equal(spec.features!.length, 29); // the 30 attributes but school (the cluster); no grade
  });
}

const HEADER = 'school,sex,age,address,famsize,Pstatus,Medu,Fedu,Mjob,Fjob,reason,guardian,traveltime,studytime,' +
  'failures,schoolsup,famsup,paid,activities,nursery,higher,internet,romantic,famrel,freetime,goout,Dalc,Walc,health,' +
  'absences,G1,G2,class';

/** Invented students (not rows of the real files): only the columns the tests look at vary. */
function student(school: string, sex: string, g1: number, g2: number, grade: string): string {
  return `${school},${sex},16,U,GT3,T,2,3,other,services,course,mother,1,2,0,no,yes,no,yes,yes,yes,yes,no,4,3,3,1,2,5,4,${g1},${g2},${grade}`;
}

function writeStudent(files: Partial<Record<StudentSubject, string[]>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fairkit-student-'));
  mkdirSync(join(dir, 'student_performance'));
  const names = { math: 'student_mat_new.csv', portuguese: 'student_por_new.csv' };
  for (const [subject, rows] of Object.entries(files)) {
    writeFileSync(join(dir, 'student_performance', names[subject as StudentSubject]), [HEADER, ...rows, ''].join('\n'));
  }
  return dir;
}

test('Student: G2 is the numeric target, class is dropped, G1 is an input only when asked, math by default', async () => {
  const dir = writeStudent({
    math: [student('GP', 'F', 12, 13, 'High'), student('MS', 'M', 6, 0, 'Low')],
    portuguese: [student('GP', 'M', 15, 16, 'High')],
  });
  const math = await loadStudent(dir);
  assert.equal(math.name, 'student');
  assert.equal(math.table.nRows, 2);
  assert.equal(math.table.columns.get('G2')!.kind, 'numeric');
  assert.deepEqual(Array.from(math.table.columns.get('G2')!.values as Float64Array), [13, 0]);
  assert.equal(math.table.columns.has('class'), false);
  assert.equal(math.spec.target, 'G2');
  assert.equal(math.spec.positive, '');
  assert.deepEqual(math.spec.sensitive, ['sex']);
  assert.equal(math.spec.privileged, undefined);
  assert.equal(math.spec.cluster, 'school');
  assert.equal(math.spec.features!.includes('school'), false);
  assert.equal(math.spec.features!.includes('G1'), false);
  assert.equal(math.spec.features!.includes('G2'), false);
  assert.ok(math.spec.features!.includes('sex') && math.spec.features!.includes('absences'));
  assert.equal(math.table.columns.get('Medu')!.kind, 'numeric');
  assert.equal(math.table.columns.get('famsup')!.kind, 'categorical');
  assert.equal(math.spec.task, 'regression');
  assert.ok(/target G2/.test(math.description) && /G1 .* is dropped/.test(math.description));

  const withG1 = await loadStudent(dir, { keepG1: true });
  assert.ok(withG1.spec.features!.includes('G1'));
  assert.ok(/G1 .* is kept/.test(withG1.description));

  const portuguese = await loadStudent(dir, { subject: 'portuguese' });
  assert.equal(portuguese.name, 'student-por');
  assert.deepEqual(Array.from(portuguese.table.columns.get('G2')!.values as Float64Array), [16]);
  assert.equal(portuguese.meta!.subject, 'portuguese');
});

test('Student: bad options, a grade out of range and a stray sex value are FairkitErrors', async () => {
  const dir = writeStudent({ math: [student('GP', 'F', 12, 21, 'High')], portuguese: [student('GP', 'X', 1, 2, 'Low')] });
  await assert.rejects(loadStudent(dir, { subject: 'latin' as StudentSubject }), (error: unknown) =>
    error instanceof FairkitError && /unknown Student Performance subject "latin"/.test(error.message) && /"math" or "portuguese"/.test(error.message));
  await assert.rejects(loadStudent(dir, { keepG1: 'yes' as unknown as boolean }), (error: unknown) =>
    error instanceof FairkitError && /keepG1 must be true or false/.test(error.message));
  await assert.rejects(loadStudent(dir), (error: unknown) =>
    error instanceof FairkitError && /G2 should be a grade from 0 to 20, got 21/.test(error.message));
  await assert.rejects(loadStudent(dir, { subject: 'portuguese' }), (error: unknown) =>
    error instanceof FairkitError && /column "sex" has the unexpected value "X"/.test(error.message));
});

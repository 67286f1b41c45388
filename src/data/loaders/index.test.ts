import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairkitError } from '../../errors.js';
import { datasetList, isDatasetName, loadDataset, loadGerman } from './index.js';
import { realDataDir } from './test-data.js';

test('the registry lists the data sets with their folders, tasks and one-line summaries', () => {
  assert.deepEqual(datasetList.map((d) => [d.name, d.folder, d.task]), [
    ['adult', 'adult', 'classification'], ['compas', 'compas', 'classification'],
    ['german', 'german_credit', 'classification'], ['bank', 'bank_marketing', 'classification'],
    ['communities', 'communities_crime', 'regression'], ['student', 'student_performance', 'regression'],
    ['student-por', 'student_performance', 'regression'], ['oulad', 'oulad', 'classification'],
  ]);
  for (const entry of datasetList) assert.ok(entry.summary.length > 20 && !entry.summary.includes('\n'));
  assert.equal(isDatasetName('compas'), true);
  assert.equal(isDatasetName('mnist'), false);
});

test('loadDataset rejects an unknown name and lists the known ones', async () => {
  await assert.rejects(loadDataset('adults', '/nowhere'), (error: unknown) =>
    error instanceof FairkitError && /unknown data set "adults"/.test(error.message) && /adult, compas, german, bank/.test(error.message));
});

test('loadDataset dispatches by name', async (t) => {
  const dir = realDataDir(t, 'german_credit');
  if (!dir) return;
  const byName = await loadDataset('german', dir);
  const direct = await loadGerman(dir);
  assert.equal(byName.name, 'german');
  assert.deepEqual(byName.table.names, direct.table.names);
  assert.equal(byName.table.nRows, direct.table.nRows);
});

test('loadDataset dispatches the regression data sets, student and student-por by subject', async (t) => {
  const dir = realDataDir(t, 'student_performance');
  if (!dir) return;
  assert.equal((await loadDataset('student', dir)).table.nRows, 395);
  assert.equal((await loadDataset('student-por', dir)).table.nRows, 649);
  const communitiesDir = realDataDir(t, 'communities_crime');
  if (!communitiesDir) return;
  assert.equal((await loadDataset('communities', communitiesDir)).spec.task, 'regression');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTable } from '../data/csv.js';
import type { LoadedDataset } from '../data/types.js';
import { Rng } from '../rng.js';
import { binarizeSensitive } from './binarize-sensitive.js';
import { getProtocol } from './protocols.js';

/** 1000 rows, 30% positive, groups 0..2 with shares 0.6/0.3/0.1 (label-group strata 2·group + label). */
function strata(): Int32Array {
  const rng = new Rng(5);
  return Int32Array.from({ length: 1000 }, () => 2 * (rng.uniform() < 0.6 ? 0 : rng.uniform() < 0.75 ? 1 : 2) + (rng.uniform() < 0.3 ? 1 : 0));
}

const count = (rows: Int32Array, keep: (row: number) => boolean) => rows.filter(keep).length;

test('ffb splits 40/30/30, stratified on the label only', () => {
  const s = strata();
  const parts = getProtocol('ffb').split(s, { seed: 1, fold: null });
  assert.deepEqual(parts.map((part) => part.length), [400, 300, 300]);
  const positives = count(Int32Array.from(s.keys()), (row) => (s[row] & 1) === 1);
  parts.forEach((part, k) => assert.ok(Math.abs(count(part, (row) => (s[row] & 1) === 1) - positives * [0.4, 0.3, 0.3][k]) <= 1));
  assert.equal(new Set(parts.flatMap((part) => [...part])).size, s.length);
});

test('a fold trial tests on its fold and splits the rest 90/10 into train and validation', () => {
  const s = strata();
  const folds = [0, 1, 2, 3].map((index) => getProtocol('gcm').split(s, { seed: 2, fold: { index, of: 4 } }));
  for (const [train, validation, test] of folds) {
    assert.equal(test.length, 250);
    assert.equal(train.length + validation.length, 750);
    assert.ok(Math.abs(validation.length - 75) <= 6);
    assert.equal(new Set([...train, ...validation, ...test]).size, s.length);
  }
  assert.equal(new Set(folds.flatMap(([, , test]) => [...test])).size, s.length, 'the test folds partition the rows');
});

test('ffb trains 150 steps of batch 1024 as whole epochs, with FFB\'s model and schedule', () => {
  const ffb = getProtocol('ffb');
  assert.equal(ffb.training(2469).epochs, 50); // COMPAS: 3 batches per epoch
  assert.equal(ffb.training(18089).epochs, 9); // Adult: 18 batches per epoch → 162 steps
  assert.deepEqual(ffb.training(1000).hidden, [512, 256, 64]);
  assert.deepEqual(ffb.training(1000).schedule, { kind: 'step', every: 50, gamma: 0.1 });
});

test('ffb drops the sensitive attribute from the inputs and codes a multi-valued one privileged vs rest', () => {
  const table = parseTable('race,x,y\nCaucasian,1,0\nAfrican-American,2,1\nHispanic,3,0\nCaucasian,4,1\n');
  const dataset: LoadedDataset = { name: 't', table, spec: { target: 'y', positive: '1', sensitive: ['race'], privileged: { race: 'Caucasian' } }, description: '' };
  const adapted = getProtocol('ffb').adaptDataset(dataset);
  assert.equal(adapted.spec.sensitiveAsFeature, false);
  assert.deepEqual(adapted.spec.features, ['x']);
  assert.deepEqual(adapted.table.columns.get('race')!.values, ['Caucasian', 'not Caucasian', 'not Caucasian', 'Caucasian']);
  assert.deepEqual(dataset.table.columns.get('race')!.values, ['Caucasian', 'African-American', 'Hispanic', 'Caucasian'], 'the input is not changed');
  const withoutPrivileged = { ...dataset, spec: { ...dataset.spec, privileged: {} } };
  assert.equal(binarizeSensitive(withoutPrivileged), withoutPrivileged, 'nothing to code against without a privileged value');
});

test('ffb also drops an input that the sensitive attribute can be read off from, and keeps the others', () => {
  const table = parseTable('race,race_binary,sex,x,y\nCaucasian,Caucasian,Male,1,0\nAfrican-American,Non-Caucasian,Male,2,1\nHispanic,Non-Caucasian,Female,3,0\nCaucasian,Caucasian,Female,4,1\n');
  const dataset: LoadedDataset = { name: 't', table, spec: { target: 'y', positive: '1', sensitive: ['race_binary'], privileged: { race_binary: 'Caucasian' }, features: ['sex', 'race', 'x'] }, description: '' };
  assert.deepEqual(getProtocol('ffb').adaptDataset(dataset).spec.features, ['sex', 'x']);
  assert.equal(getProtocol('gcm').adaptDataset(dataset), dataset);
});

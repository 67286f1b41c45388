import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { candidateDataDir } from './data-dir.js';
import { openDataset } from './open-dataset.js';

const syntheticFeatures = ['x1', 'x2', 'x3', 'x4', 'segment', 'proxy', 'region'];

test("restating a loader's target keeps its feature list and positive value", async () => {
  const opened = await openDataset({ dataset: 'synthetic', target: 'label' });
  assert.deepEqual(opened.spec.features, syntheticFeatures);
  assert.equal(opened.spec.positive, '1');
});

test('another target leaves the feature list, and the old target never enters it', async () => {
  const opened = await openDataset({ dataset: 'synthetic', target: 'x1', positive: '1' });
  assert.deepEqual(opened.spec.features, syntheticFeatures.filter((name) => name !== 'x1'));
  assert.ok(!opened.spec.features!.includes('label'));
});

const compas = candidateDataDir().path;
test('COMPAS with its target restated keeps decile_score out of the inputs', { skip: existsSync(join(compas, 'compas')) ? false : `no COMPAS data at ${compas}` }, async () => {
  const opened = await openDataset({ dataset: 'compas', target: 'two_year_recid' });
  assert.ok(opened.spec.features && !opened.spec.features.includes('decile_score'), `features ${opened.spec.features}`);
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { positiveProbability, type ThresholdsState } from '../postprocess/thresholds.js';
import { fairkitInProcess } from './run-cli.test-helper.js';

const folder = mkdtempSync(join(tmpdir(), 'fairkit-postprocess-'));
const example = fileURLToPath(new URL('../../examples/synthetic-loans.csv', import.meta.url));
// The example file has score and decision columns of its own.
const columns = ['--score-column', 'model_score', '--prediction-column', 'post_prediction'];
const trainArgs = ['--dataset', example, '--target', 'approved', '--sensitive', 'group', '--drop', 'id,score,decision', '--epochs', '3', '--batch-size', '200', '--lr', '0.01', '--hidden', '16', '--seed', '1', '--format', 'json'];

describe('fairkit train --postprocess and predict with a post-processed model', () => {
  const modelDir = join(folder, 'eo');

  test('train fits thresholds:eo on the validation split (equal rates there), reports test, saves the state', async () => {
    const run = await fairkitInProcess('train', ...trainArgs, '--postprocess', 'thresholds:eo', '--out', modelDir);
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.postprocessed.spec, 'thresholds:eo');
    const { majority, minority } = summary.postprocessed.validation.rates;
    assert.ok(Math.abs(majority.tpr - minority.tpr) < 1e-12 && Math.abs(majority.fpr - minority.fpr) < 1e-12, JSON.stringify(summary.postprocessed.validation.rates));
    assert.equal(typeof summary.postprocessed.test.fairness.equalizedOddsSum, 'number');
    assert.equal(summary.postprocessed.test.overall.ap, undefined, 'no score metrics for 0/1 predictions');
    const saved = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
    assert.equal(saved.postprocessor.kind, 'thresholds');
    assert.deepEqual(Object.keys(saved.postprocessor.groups).sort(), ['majority', 'minority']);
    assert.deepEqual(JSON.parse(readFileSync(join(modelDir, 'metrics.json'), 'utf8')).postprocessed, summary.postprocessed);
  });

  test('predict writes positive_probability from the per-group thresholds and a seeded 0/1 prediction', async () => {
    const out = join(folder, 'scored.csv');
    const run = await fairkitInProcess('predict', example, '--model', modelDir, '--out', out, ...columns);
    assert.equal(run.status, 0, run.stderr);
    const [header, ...rows]: string[][] = parse(readFileSync(out));
    assert.deepEqual(header.slice(-4), ['model_score', 'positive_probability', 'post_prediction', 'note']);
    const state: ThresholdsState = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')).postprocessor;
    const thresholds = Object.values(state.groups).flat().map(({ threshold }) => threshold).filter((t): t is number => t !== null);
    const column = (name: string) => header.indexOf(name);
    let checked = 0;
    for (const row of rows) {
      const score = Number(row[column('model_score')]);
      const probability = Number(row[column('positive_probability')]);
      assert.ok(['0', '1'].includes(row[column('post_prediction')]));
      if (probability === 0 || probability === 1) assert.equal(Number(row[column('post_prediction')]), probability);
      // The score column has 7 significant digits: rows that close to a threshold could fall on either side.
      if (thresholds.some((t) => Math.abs(score - t) < 1e-6)) continue;
      assert.ok(Math.abs(probability - positiveProbability(state, row[column('group')], score)) < 1e-6);
      checked++;
    }
    assert.ok(checked > rows.length / 2, `${checked} rows checked`);
    const again = join(folder, 'scored-again.csv');
    assert.equal((await fairkitInProcess('predict', example, '--model', modelDir, '--out', again, ...columns)).status, 0);
    assert.equal(readFileSync(again, 'utf8'), readFileSync(out, 'utf8'), 'the same file gives the same draws');
  });

  test('predict refuses a file without the group column (not a feature of the synthetic data), naming it', async () => {
    const out = join(folder, 'synthetic');
    const run = await fairkitInProcess('train', '--dataset', 'synthetic', '--epochs', '1', '--hidden', '8', '--postprocess', 'thresholds:tpr', '--out', out, '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const { encoder } = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    const names = [...encoder.numeric.map((c: { name: string }) => c.name), ...encoder.categorical.map((c: { name: string }) => c.name)];
    const values = [...encoder.numeric.map(() => '0'), ...encoder.categorical.map((c: { categories: string[] }) => c.categories[0])];
    const input = join(folder, 'no-group.csv');
    writeFileSync(input, stringify([names, values, values]));
    const predicted = await fairkitInProcess('predict', input, '--model', out, '--out', join(folder, 'no-group-scored.csv'));
    assert.notEqual(predicted.status, 0);
    assert.match(predicted.stderr, /post-processor \(tpr\) needs the sensitive column group, missing from the file/);
    const withGroup = join(folder, 'with-group.csv');
    writeFileSync(withGroup, stringify([[...names, 'group'], [...values, 'minority'], [...values, 'nobody']]));
    const scored = await fairkitInProcess('predict', withGroup, '--model', out, '--out', join(folder, 'with-group-scored.csv'));
    assert.equal(scored.status, 0, scored.stderr);
    const [header, ...rows]: string[][] = parse(readFileSync(join(folder, 'with-group-scored.csv')));
    assert.notEqual(rows[0][header.indexOf('prediction')], '');
    assert.equal(rows[1][header.indexOf('prediction')], '', 'an unseen group gets no post-processed prediction');
    assert.match(rows[1][header.indexOf('note')], /no post-processed prediction: the thresholds are per group and the row's group is unknown/);
  });

  test('the deterministic variant saves one threshold per group; a bad spec is refused before training', async () => {
    const out = join(folder, 'deterministic');
    const run = await fairkitInProcess('train', ...trainArgs, '--postprocess', 'thresholds:dp:deterministic', '--out', out);
    assert.equal(run.status, 0, run.stderr);
    const saved = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    assert.equal(saved.postprocessor.randomised, false);
    for (const mixture of Object.values(saved.postprocessor.groups) as unknown[][]) assert.equal(mixture.length, 1);
    const bad = await fairkitInProcess('train', ...trainArgs, '--postprocess', 'thresholds:eq');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /--postprocess: unknown constraint "eq" in post-processor "thresholds:eq"/);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { Rng } from '../rng.js';
import { fairkitInProcess } from './run-cli.test-helper.js';

const folder = mkdtempSync(join(tmpdir(), 'fairkit-predict-eer-trained-'));
const epsilon = 0.02;
const batchSize = 64;

/** A small wage regression with a planted group bias: wage = 10 + 2·x1 − x2 + 1.5·[g = b] + noise. */
function writeWages(path: string, rows: number): void {
  const rng = new Rng(3);
  const lines = ['x1,x2,g,wage'];
  for (let i = 0; i < rows; i++) {
    const [x1, x2, b] = [rng.normal(), rng.normal(), rng.uniform() < 0.4 ? 1 : 0];
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${b ? 'b' : 'a'},${(10 + 2 * x1 - x2 + 1.5 * b + 0.3 * rng.normal()).toFixed(4)}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/** Per prediction batch (file order; every row is scored) and group: |mean(prediction − wage)|. */
function batchResiduals(rows: Record<string, string>[]): number[] {
  const residuals: number[] = [];
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    for (const group of ['a', 'b']) {
      const members = batch.filter((row) => row.g === group);
      if (members.length > 0) residuals.push(Math.abs(members.reduce((s, row) => s + Number(row.prediction) - Number(row.wage), 0) / members.length));
    }
  }
  return residuals;
}

describe('fairkit predict --target with a trained EER flayer model (end to end)', () => {
  test('with the targets every batch has each group mean residual within ε; without them it does not', async () => {
    const data = join(folder, 'wages.csv');
    writeWages(data, 500);
    const model = join(folder, 'eer');
    const train = await fairkitInProcess('train', '--dataset', data, '--task', 'regression', '--target', 'wage', '--sensitive', 'g', '--method', 'flayer', '--param', 'constraint=eer', '--param', `epsilon=${epsilon}`, '--epochs', '3', '--batch-size', '100', '--hidden', '8', '--seed', '1', '--out', model);
    assert.equal(train.status, 0, train.stderr);
    // ε is in standard deviations of the training target; the file's residuals are in wage units.
    const { std } = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')).targetScale as { std: number };

    const predict = async (name: string, ...flags: string[]) => {
      const out = join(folder, `${name}.csv`);
      const run = await fairkitInProcess('predict', data, '--model', model, '--out', out, '--batch-size', String(batchSize), ...flags);
      assert.equal(run.status, 0, run.stderr);
      return { rows: parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[], stderr: run.stderr };
    };
    const labelled = await predict('labelled', '--target', 'wage');
    assert.equal(labelled.rows.length, 500);
    const residuals = batchResiduals(labelled.rows);
    // 7 significant digits are written: 1e-5 on wages of about 10.
    assert.ok(Math.max(...residuals) <= epsilon * std + 1e-5, `largest batch group mean residual ${Math.max(...residuals)}, bound ${epsilon * std}`);
    assert.match(labelled.stderr, /8 batches projected exactly, 0 streamed \(batches of 64/);
    const [, pooled] = /largest group mean residual ([\d.e+-]+)/.exec(labelled.stderr) ?? [];
    assert.ok(Number(pooled) <= epsilon + 1e-9, labelled.stderr);

    const unlabelled = await predict('unlabelled');
    assert.doesNotMatch(unlabelled.stderr, /largest group mean residual/);
    assert.ok(Math.max(...batchResiduals(unlabelled.rows)) > 5 * epsilon * std, 'without the targets the EER layer has nothing to project with');
  });
});

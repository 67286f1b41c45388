import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { FittedModel } from '../model-folder/fitted-model.js';
import { initBackend } from '../nn/backend.js';
import { Rng } from '../rng.js';
import { fairkitInProcess } from './run-cli.test-helper.js';

const folder = mkdtempSync(join(tmpdir(), 'fairkit-embeddings-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const at = (name: string) => join(folder, name);
const read = (path: string) => parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];

/** 300 rows whose features carry the group: x1 is shifted by it, so the hidden layer carries it too. */
function writeData(): string {
  const rng = new Rng(8);
  const lines = ['id,x1,x2,x3,sex,y'];
  for (let i = 0; i < 300; i++) {
    const female = rng.uniform() < 0.4;
    const x1 = rng.normal() + (female ? 1.5 : 0);
    const x2 = rng.normal();
    const y = x2 + 0.5 * x1 + rng.normal() > 0.5 ? 1 : 0;
    lines.push(`${i},${x1.toFixed(4)},${x2.toFixed(4)},${rng.normal().toFixed(4)},${female ? 'F' : 'M'},${y}`);
  }
  writeFileSync(at('data.csv'), `${lines.join('\n')}\n`);
  return at('data.csv');
}

/** Cross-covariance of each column with the 0/1 group indicator. */
function crossCovariance(rows: Record<string, string>[], columns: string[], isGroup: (row: Record<string, string>) => boolean): number[] {
  const z = rows.map((row): number => (isGroup(row) ? 1 : 0));
  const zMean = z.reduce((a, b) => a + b, 0) / rows.length;
  return columns.map((name) => {
    const x = rows.map((row) => Number(row[name]));
    const xMean = x.reduce((a, b) => a + b, 0) / rows.length;
    return x.reduce((s, v, i) => s + (v - xMean) * (z[i] - zMean), 0) / rows.length;
  });
}

/**
 * The written layer is the output layer's input: in float64, sigmoid(h · kernel + bias) with the output layer's
 * weights as saved in the model folder gives each row's written score.
 */
async function assertScoresFromEmbeddings(modelDir: string, rows: Record<string, string>[], hidden: string[], outputLayer: number): Promise<void> {
  await initBackend('cpu');
  const fitted = await FittedModel.load(modelDir);
  try {
    const weights = new Map(fitted.model.weights.map((w) => [w.name, Float64Array.from(w.variable.dataSync())]));
    const [kernel, bias] = [weights.get(`dense${outputLayer}/kernel`)!, weights.get(`dense${outputLayer}/bias`)!];
    assert.equal(kernel.length, hidden.length, 'the output layer reads the written units');
    rows.forEach((row, i) => {
      const logit = hidden.reduce((sum, name, j) => sum + Number(row[name]) * kernel[j], bias[0]);
      const expected = 1 / (1 + Math.exp(-logit));
      assert.ok(Math.abs(Number(row.score) - expected) < 1e-5, `row ${i}: score ${row.score} vs ${expected} from the embeddings`);
    });
  } finally {
    fitted.dispose();
  }
}

describe('fairkit predict --embeddings → steer fit --method leace → steer apply', () => {
  const data = writeData();
  const model = at('model');
  const hidden = ['h0', 'h1', 'h2', 'h3', 'h4', 'h5'];

  test('the written layer gives the scores through the saved output layer; the steered representation has no cross-covariance with the group', async () => {
    const train = await fairkitInProcess('train', '--dataset', data, '--target', 'y', '--sensitive', 'sex', '--drop', 'id', '--hidden', '8,6', '--epochs', '3', '--seed', '2', '--out', model, '--format', 'json');
    assert.equal(train.status, 0, train.stderr);
    const predict = await fairkitInProcess('predict', data, '--model', model, '--out', at('embedded.csv'), '--embeddings');
    assert.equal(predict.status, 0, predict.stderr);
    assert.match(predict.stderr, /with its last hidden layer/);
    const embedded = read(at('embedded.csv'));
    assert.deepEqual(Object.keys(embedded[0]), ['id', 'x1', 'x2', 'x3', 'sex', 'y', 'score', 'prediction', 'note', ...hidden]);
    await assertScoresFromEmbeddings(model, embedded, hidden, 2);
    // The representation carries the group before steering (x1 is shifted by it).
    const before = crossCovariance(embedded, hidden, (row) => row.sex === 'F');
    assert.ok(Math.max(...before.map(Math.abs)) > 1e-2, `cross-covariance before: ${before}`);
    const fit = await fairkitInProcess('steer', 'fit', at('embedded.csv'), '--label', 'y', '--sensitive', 'sex', '--features', hidden.join(','), '--method', 'leace', '--out', at('leace.json'));
    assert.equal(fit.status, 0, fit.stderr);
    const apply = await fairkitInProcess('steer', 'apply', '--map', at('leace.json'), at('embedded.csv'), '--out', at('steered.csv'));
    assert.equal(apply.status, 0, apply.stderr);
    const steered = read(at('steered.csv'));
    const afterLeace = crossCovariance(steered, hidden, (row) => row.sex === 'F');
    const scale = Math.max(...before.map(Math.abs));
    assert.ok(Math.max(...afterLeace.map(Math.abs)) < 1e-6 * scale, `cross-covariance after LEACE: ${afterLeace}`);
    assert.deepEqual(steered.map((row) => Number(row.score)), embedded.map((row) => Number(row.score)), 'the other columns are kept');
  });

  test('a GroupMixNorm MLP writes its last hidden layer (each row with its group); a row without a group is refused by line; a column-name clash', async () => {
    const normed = at('groupmixnorm');
    const train = await fairkitInProcess('train', '--dataset', data, '--target', 'y', '--sensitive', 'sex', '--drop', 'id', '--method', 'groupmixnorm', '--hidden', '4', '--epochs', '1', '--seed', '2', '--out', normed, '--format', 'json');
    assert.equal(train.status, 0, train.stderr);
    const predict = await fairkitInProcess('predict', data, '--model', normed, '--out', at('normed.csv'), '--embeddings');
    assert.equal(predict.status, 0, predict.stderr);
    const embedded = read(at('normed.csv'));
    assert.deepEqual(Object.keys(embedded[0]).slice(-4), ['h0', 'h1', 'h2', 'h3']);
    await assertScoresFromEmbeddings(normed, embedded, ['h0', 'h1', 'h2', 'h3'], 1);
    // Line 6 of the file (the 5th data row) loses its group.
    const lines = readFileSync(data, 'utf8').split('\n');
    lines[5] = lines[5].replace(/,[FM],/, ',,');
    writeFileSync(at('no-group.csv'), lines.join('\n'));
    const refused = await fairkitInProcess('predict', at('no-group.csv'), '--model', normed, '--out', at('refused.csv'), '--embeddings');
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /no-group\.csv, line 6 \(--embeddings\): the row has no group/);
    const clash = await fairkitInProcess('predict', data, '--model', model, '--out', at('clash.csv'), '--embeddings', '--embedding-prefix', 'x');
    assert.notEqual(clash.status, 0);
    assert.match(clash.stderr, /already has a column 'x1'.*--embedding-prefix/s);
  });
});

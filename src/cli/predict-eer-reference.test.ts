import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { withProjection } from '../flayer/projected-model.js';
import fixtureJson from '../flayer/fixtures/flayer_eer_predict.json' with { type: 'json' };
import { writeModelFolder } from '../model-folder/folder.js';
import { initBackend } from '../nn/backend.js';
import { createMlp } from '../nn/mlp.js';
import { fairkitInProcess } from './run-cli.test-helper.js';

// src/flayer/fixtures/flayer_eer_predict.py: a linear EER model with known weights, a small regression file, and
// SciPy's float64 SLSQP projection of each prediction batch onto the EER set (and box), on the target's scale.
interface Fixture {
  targetScale: { mean: number; std: number };
  encoder: { name: string; mean: number; std: number }[];
  weights: { w: number[]; b: number };
  keys: string[];
  rows: { x1: number; x2: number; g: string; wage: number }[];
  cases: { name: string; epsilon: number; batchSize: number; box: { lower: number; upper: number } | null; predictions: number[]; rawPredictions: number[] }[];
}
const fixture = fixtureJson as unknown as Fixture;
const folder = mkdtempSync(join(tmpdir(), 'fairkit-predict-eer-'));
const input = join(folder, 'wages.csv');

/** The fixture's model as a folder: its linear network wrapped in the projection, saved as `fairkit train` saves. */
async function writeModel(dir: string, settings: { epsilon: number; box: { lower: number; upper: number } | null; eer: boolean }): Promise<void> {
  const { w, b } = fixture.weights;
  const base = createMlp({ kind: 'mlp', inputDim: 2, hidden: [], activation: 'relu', dropout: 0, outputDim: 1, seed: 0 }, [Float32Array.from(w), Float32Array.of(b)]);
  const model = withProjection(base, { nGroups: fixture.keys.length, epsilon: settings.epsilon, during: 'always', ...(settings.eer ? { eer: true as const } : {}), ...(settings.box ? { box: settings.box } : {}) });
  const params = { epsilon: settings.epsilon, constraint: settings.eer ? 'eer' : 'intersection', box: settings.box ? `${settings.box.lower}:${settings.box.upper}` : 'none' };
  await writeModelFolder(dir, { model, method: { name: 'flayer', params, needs: { groups: true } }, encoder: { numeric: fixture.encoder, categorical: [] }, groups: { attributes: ['g'], keys: fixture.keys }, targetScale: fixture.targetScale });
  model.dispose();
}

async function predict(model: string, name: string, ...flags: string[]) {
  const out = join(folder, `${name}.csv`);
  const run = await fairkitInProcess('predict', input, '--model', model, '--out', out, ...flags);
  return { ...run, predictions: run.status === 0 ? predictionsIn(out) : [] };
}

const predictionsIn = (file: string) => (parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[]).map((row) => Number(row.prediction));

const maxAbsDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

describe('fairkit predict --target: the EER projection of each batch against SciPy (float64)', () => {
  before(async () => {
    await initBackend('wasm');
    writeFileSync(input, ['x1,x2,g,wage', ...fixture.rows.map((r) => `${r.x1},${r.x2},${r.g},${r.wage}`)].join('\n') + '\n');
  });

  fixture.cases.forEach((c) => {
    test(`${c.name}: --batch-size ${c.batchSize} with the targets gives SciPy's projection; without them the raw outputs${c.box ? ' clipped to the box' : ''}`, async () => {
      const model = join(folder, c.name);
      await writeModel(model, { epsilon: c.epsilon, box: c.box, eer: true });
      const labelled = await predict(model, `${c.name}-labelled`, '--target', 'wage', '--batch-size', String(c.batchSize));
      assert.equal(labelled.status, 0, labelled.stderr);
      // Float32 network and 7 significant digits written: 1e-5 on values of magnitude ≤ 3.
      assert.ok(maxAbsDiff(labelled.predictions, c.predictions) <= 1e-5, `max error ${maxAbsDiff(labelled.predictions, c.predictions)}`);
      const batches = Math.ceil(fixture.rows.length / c.batchSize);
      assert.match(labelled.stderr, new RegExp(`${batches} batch(es)? projected exactly`));
      const [, residual] = /largest group mean residual ([\d.e+-]+)/.exec(labelled.stderr) ?? [];
      assert.ok(Number(residual) <= c.epsilon + 1e-6, labelled.stderr);

      const unlabelled = await predict(model, `${c.name}-unlabelled`, '--batch-size', String(c.batchSize));
      assert.equal(unlabelled.status, 0, unlabelled.stderr);
      assert.ok(maxAbsDiff(unlabelled.predictions, c.rawPredictions) <= 1e-5, `max error ${maxAbsDiff(unlabelled.predictions, c.rawPredictions)}`);
      assert.ok(maxAbsDiff(unlabelled.predictions, c.predictions) > 0.1, 'the targets move the predictions');
    });
  });

  test('--target is refused for a model that does not use it, naming its model.json', async () => {
    const ecp = join(folder, 'ecp');
    await writeModel(ecp, { epsilon: 0.05, box: null, eer: false });
    const run = await predict(ecp, 'ecp', '--target', 'wage');
    assert.equal(run.status, 2);
    assert.match(run.stderr, new RegExp(`${ecp}/model\\.json: --target is only for a regression flayer/projection model trained with --param constraint=eer .*the flayer model constrains mean outputs \\(ECP, constraint=intersection\\), which needs no targets\\. Drop --target`));

    const plain = join(folder, 'erm');
    const base = createMlp({ kind: 'mlp', inputDim: 2, hidden: [], activation: 'relu', dropout: 0, outputDim: 1, seed: 0 }, [Float32Array.from(fixture.weights.w), Float32Array.of(fixture.weights.b)]);
    await writeModelFolder(plain, { model: base, method: { name: 'erm', params: {} }, encoder: { numeric: fixture.encoder, categorical: [] }, targetScale: fixture.targetScale });
    base.dispose();
    const erm = await predict(plain, 'erm', '--target', 'wage');
    assert.equal(erm.status, 2);
    assert.match(erm.stderr, /model\.json: --target is only for .*the erm model \(kind 'mlp'\) does not use targets at prediction/);
  });

  test('a missing --target column, a non-numeric or an empty target are refused, naming the file and line', async () => {
    const c = fixture.cases[0];
    const model = join(folder, 'errors');
    await writeModel(model, { epsilon: c.epsilon, box: null, eer: true });
    const missing = await predict(model, 'missing', '--target', 'salary');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, new RegExp(`${input}: the --target column 'salary' is not in the file\\. Name one of its columns: x1, x2, g, wage`));

    const [header, ...lines] = readFileSync(input, 'utf8').trimEnd().split('\n');
    const withCell = (cell: string) => [header, ...lines.map((line, i) => (i === 4 ? line.replace(/,[^,]*$/, `,${cell}`) : line))].join('\n') + '\n';
    const textFile = join(folder, 'text-target.csv');
    writeFileSync(textFile, withCell('ten'));
    const refusal = async (file: string, name: string, target: string, message: RegExp) => {
      const run = await fairkitInProcess('predict', file, '--model', model, '--out', join(folder, `${name}.csv`), '--target', target);
      assert.equal(run.status, 2);
      assert.match(run.stderr, message);
    };
    await refusal(textFile, 'text', 'wage', new RegExp(`${textFile}, line 6, column "wage": "ten" is not a number`));
    await refusal(input, 'categorical', 'g', new RegExp(`${input}, line 2: the --target column 'g' is not numeric: "b"`));

    const emptyFile = join(folder, 'empty-target.csv');
    writeFileSync(emptyFile, withCell(''));
    await refusal(emptyFile, 'empty', 'wage', new RegExp(`${emptyFile}, line 6: the target is missing; the EER projection needs every scored row's target`));
  });
});

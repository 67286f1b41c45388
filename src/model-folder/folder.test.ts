import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { EncoderSpec } from '../data/encoder.js';
import { FairkitError } from '../errors.js';
import { initBackend } from '../nn/backend.js';
import { buildPatchCnn } from '../nn/cnn.js';
import { bceWithLogits } from '../nn/losses.js';
import { buildMlp, type Mlp } from '../nn/mlp.js';
import type { Model } from '../nn/model.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../nn/predict.js';
import { Rng } from '../rng.js';
import { FittedModel } from './fitted-model.js';
import { fairkitVersion, loadModelFolder, readModelFolder, writeModelFolder } from './folder.js';
import { MODEL_FILE, WEIGHTS_FILE } from './schema.js';

const N_ROWS = 500;
const INPUT_DIM = 9;
const rng = new Rng(3);
const X = new Float32Array(N_ROWS * INPUT_DIM).map(() => rng.normal());
const encoder: EncoderSpec = { numeric: Array.from({ length: INPUT_DIM }, (_, i) => ({ name: `x${i}`, mean: 0, std: 1 })), categorical: [] };
const method = { name: 'gcm', params: { lambda: 0.5, hidden: [32, 16] }, needs: {} };

let root: string;
let model: Mlp;

function trainSteps(target: Model, steps: number, groups?: Int32Array, x = X, inputDim = INPUT_DIM) {
  const rows = x.length / inputDim;
  const optimizer = tf.train.adam(0.05);
  const y = tf.tensor1d(Array.from({ length: rows }, (_, i) => (x[i * inputDim] > 0 ? 1 : 0)));
  const input = tf.tensor2d(x, [rows, inputDim]);
  for (let step = 0; step < steps; step++) {
    optimizer.minimize(() => bceWithLogits(target.apply(input, { training: true, stepSeed: step, groups }), y), false, target.variables);
  }
  tf.dispose([input, y]);
  optimizer.dispose();
}

const scores = (m: Model, groups?: Int32Array, x = X, rows = N_ROWS) => predictProba(m, { X: x, nRows: rows, groups }, { batchSize: DEFAULT_PREDICT_BATCH });

before(async () => {
  await initBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'fairkit-folder-'));
  model = buildMlp({ inputDim: INPUT_DIM, hidden: [32, 16], activation: 'leakyRelu', dropout: 0.1, seed: 4 });
  trainSteps(model, 5);
});

after(async () => {
  model.dispose();
  await rm(root, { recursive: true, force: true });
});

test('a saved and loaded model predicts bit-identical probabilities, and model.json is version 2 with its provenance', async () => {
  const dir = join(root, 'round-trip', 'nested');
  const provenance = { dataset: 'synthetic', split: { fractions: [0.6, 0.2, 0.2], seed: 7 }, trainingSeed: 8 };
  const written = await writeModelFolder(dir, { model, method, encoder, provenance });
  assert.deepEqual((await readdir(dir)).sort(), [MODEL_FILE, WEIGHTS_FILE]);
  const loaded = await loadModelFolder(dir);
  assert.deepEqual(scores(loaded.model), scores(model));
  assert.deepEqual(loaded.model.config, model.config);
  assert.deepEqual(loaded.folder, written);
  const { folder } = loaded;
  assert.equal(folder.formatVersion, 2);
  assert.deepEqual(folder.method, method);
  assert.deepEqual(folder.encoder, encoder);
  assert.equal(folder.postprocessor, null);
  assert.equal(folder.groups, undefined);
  const { fairkitVersion: version, backend, created, runId, ...recorded } = folder.provenance;
  assert.match(runId!, /^[0-9a-f-]{36}$/, 'a new run id');
  assert.deepEqual(recorded, provenance);
  assert.equal(version, JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')).version);
  assert.equal(version, fairkitVersion());
  assert.equal(backend, 'wasm');
  assert.ok(Math.abs(Date.parse(created!) - Date.now()) < 60_000, created);
  assert.equal((await readFile(join(dir, WEIGHTS_FILE))).length, 4 * model.variables.reduce((n, v) => n + v.size, 0));
  loaded.model.dispose();
});

test('saving over an existing model is refused, and with force replaces the folder whole', async () => {
  const dir = join(root, 'overwrite');
  const other = buildMlp({ inputDim: INPUT_DIM, hidden: [3], activation: 'tanh', seed: 1 });
  await writeModelFolder(dir, { model: other, method: { name: 'erm', params: {} }, encoder }, { files: [{ name: 'contribution.json', data: '{}' }] });
  await assert.rejects(writeModelFolder(dir, { model, method, encoder }), (e: unknown) => e instanceof FairkitError && e.message === `${dir} already holds a run (model.json). Give --force to replace the folder whole, or another folder`);
  assert.deepEqual((await readdir(dir)).sort(), ['contribution.json', MODEL_FILE, WEIGHTS_FILE]);
  await writeModelFolder(dir, { model, method, encoder }, { force: true });
  const loaded = await loadModelFolder(dir);
  assert.equal(loaded.folder.method.name, 'gcm');
  assert.deepEqual(scores(loaded.model), scores(model));
  assert.deepEqual((await readdir(dir)).sort(), [MODEL_FILE, WEIGHTS_FILE], 'the old contribution.json went with the old run');
  assert.deepEqual((await readdir(root)).filter((name) => name.startsWith('.overwrite.')), [], 'no temporary or old folder left');
  other.dispose();
  loaded.model.dispose();
});

async function expectLoadError(dir: string, file: string, message: RegExp) {
  await assert.rejects(loadModelFolder(dir), (e: unknown) => {
    assert.ok(e instanceof FairkitError, String(e));
    assert.ok(e.message.startsWith(`${join(dir, file)}: `), `names the file: ${e.message}`);
    assert.match(e.message, message);
    return true;
  });
}

test('missing or damaged files give a FairkitError naming the file', async () => {
  await expectLoadError(join(root, 'nowhere'), MODEL_FILE, /: file not found/);
  const dir = join(root, 'damaged');
  await writeModelFolder(dir, { model, method, encoder });
  const good = await readFile(join(dir, MODEL_FILE), 'utf8');

  await truncate(join(dir, WEIGHTS_FILE), 100);
  await expectLoadError(dir, WEIGHTS_FILE, /weights\.bin does not match model\.json \(truncated, edited or from another save\)/);
  await rm(join(dir, WEIGHTS_FILE));
  await expectLoadError(dir, WEIGHTS_FILE, /: file not found/);

  await writeFile(join(dir, MODEL_FILE), good.slice(0, good.length / 2));
  await expectLoadError(dir, MODEL_FILE, /: not valid JSON/);
  await writeFile(join(dir, MODEL_FILE), JSON.stringify({ hello: 1 }));
  await expectLoadError(dir, MODEL_FILE, /: not a fairkit model \(missing "format": "fairkit-model"\)/);
});

test('a newer, unknown or malformed model.json is a FairkitError naming the file and the problem', async () => {
  const dir = join(root, 'versions');
  await writeModelFolder(dir, { model, method, encoder });
  const good = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8'));
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...good, formatVersion: 3 }, /format version 3 is newer than this fairkit reads \(it reads versions 1 and 2\)\. Use the fairkit that saved it, or a newer one/],
    [{ ...good, formatVersion: '2' }, /unknown format version "2" \(it reads versions 1 and 2\)/],
    [{ ...good, method: { ...good.method, name: 7 } }, /format version 2: method\.name: .*expected string/i],
    [{ ...good, encoder: { numeric: [{ name: 'x0', mean: 0, std: 0 }], categorical: [] } }, /format version 2: encoder\.numeric\.0\.std: .*>0/],
    [{ ...good, groups: { attributes: ['sex'], keys: ['F', 'M'], privileged: 'X' } }, /format version 2: groups\.privileged: "X" is not among the keys/],
    [{ ...good, weights: { ...good.weights, manifest: [{ ...good.weights.manifest[0], shape: [-1] }, ...good.weights.manifest.slice(1)] } }, /format version 2: weights\.manifest\.0\.shape\.0: .*>=0/],
    [{ ...good, postprocessor: undefined }, /format version 2: postprocessor: /],
  ];
  for (const [json, message] of cases) {
    await writeFile(join(dir, MODEL_FILE), JSON.stringify(json));
    await expectLoadError(dir, MODEL_FILE, message);
  }
  const swapped = structuredClone(good);
  swapped.weights.manifest[0].shape.reverse();
  await writeFile(join(dir, MODEL_FILE), JSON.stringify(swapped));
  await expectLoadError(dir, MODEL_FILE, /weight names or shapes \(dense0\/kernel \[32×9\], .*\) do not match the architecture/);
});

test('a weights.bin from another save is rejected', async () => {
  const dirA = join(root, 'a');
  const dirB = join(root, 'b');
  const other = buildMlp({ inputDim: INPUT_DIM, hidden: [32, 16], activation: 'leakyRelu', seed: 5 });
  await writeModelFolder(dirA, { model, method, encoder });
  await writeModelFolder(dirB, { model: other, method, encoder });
  await writeFile(join(dirA, WEIGHTS_FILE), await readFile(join(dirB, WEIGHTS_FILE)));
  await expectLoadError(dirA, WEIGHTS_FILE, /does not match/);
  other.dispose();
});

/** weights.bin and its manifest as fairkit 0.1's saveModel wrote them. */
function version1Weights(m: Model) {
  const arrays = m.weights.map((w) => w.variable.dataSync() as Float32Array);
  const bytes = new Uint8Array(4 * arrays.reduce((n, a) => n + a.length, 0));
  const view = new DataView(bytes.buffer);
  let offset = 0;
  const manifest = m.weights.map((w, i) => {
    const entry = { name: w.name, shape: w.variable.shape, offset };
    for (const value of arrays[i]) view.setFloat32(4 * offset++, value, true);
    return entry;
  });
  return { bytes, manifest, weightsFile: { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') } };
}

test('a format version 1 folder (as fairkit 0.1 wrote it) reads into the version 2 shape and predicts with its groups', async () => {
  const dir = join(root, 'v1');
  await mkdir(dir);
  const { bytes, manifest, weightsFile } = version1Weights(model);
  const spec = { target: 'y', positive: '1', sensitive: ['sex', 'age'], privileged: {}, features: encoder.numeric.map(({ name }) => name) };
  // The shape of fairkit 0.1's save-load.ts output with cli/run-output.ts's savedRunExtra as `extra`.
  const v1 = {
    format: 'fairkit-model',
    formatVersion: 1,
    architecture: model.config,
    weights: manifest,
    weightsFile,
    method: 'gcm',
    params: { lambda: 0.5 },
    encoder,
    extra: { dataset: 'data.csv', spec, groups: { attributes: ['sex', 'age'], keys: ['F|<40', 'F|>=40', 'M|<40', 'M|>=40'], binning: [{ column: 'age', cuts: [40] }] }, positive: '1' },
  };
  await writeFile(join(dir, WEIGHTS_FILE), bytes);
  await writeFile(join(dir, MODEL_FILE), JSON.stringify(v1, null, 2));
  assert.deepEqual(await readModelFolder(dir), {
    format: 'fairkit-model',
    formatVersion: 2,
    model: model.config,
    weights: { file: WEIGHTS_FILE, ...weightsFile, manifest },
    method: { name: 'gcm', params: { lambda: 0.5 }, needs: {} },
    encoder,
    groups: { attributes: ['sex', 'age'], keys: v1.extra.groups.keys, cuts: { age: [40] } },
    provenance: { dataset: 'data.csv', spec, positive: '1' },
    postprocessor: null,
  });
  const fitted = await FittedModel.load(dir);
  const records = Array.from({ length: N_ROWS }, (_, row) => ({
    ...Object.fromEntries(encoder.numeric.map(({ name }, j) => [name, X[row * INPUT_DIM + j]])),
    sex: row % 2 === 0 ? 'F' : 'M',
    age: row % 3 === 0 ? 25 : 60,
  }));
  const predicted = fitted.predictRecords(records, { batchSize: 64 });
  assert.deepEqual(Float32Array.from(predicted.rows, (row) => row.score!), scores(model));
  assert.deepEqual(predicted.rows.slice(0, 3).map((row) => row.groupKey), ['F|<40', 'M|>=40', 'F|>=40']);
  fitted.dispose();

  // A version 1 folder saved by the library (no extra) reads too, with nothing about its data; a GroupMixNorm MLP needed groups.
  await writeFile(join(dir, MODEL_FILE), JSON.stringify({ ...v1, extra: undefined, architecture: { ...model.config, kind: 'groupmixnorm-mlp' } }));
  const bare = await readModelFolder(dir);
  assert.deepEqual([bare.groups, bare.provenance, bare.method.needs], [undefined, {}, { groups: true }]);
});

test('a patch CNN with GroupMixNorm saves and loads with identical predictions given group ids', async () => {
  const height = 4;
  const width = 4;
  const channels = 2;
  const inputDim = height * width * channels;
  const rows = 60;
  const images = Float32Array.from({ length: rows * inputDim }, () => rng.normal());
  const groups = Int32Array.from({ length: rows }, (_, i) => i % 3);
  const cnn = buildPatchCnn({ height, width, channels, blocks: [{ patch: 2, filters: 3 }], seed: 11, groupMixNorm: { nGroups: 3 } });
  trainSteps(cnn, 3, groups, images, inputDim);
  const dir = join(root, 'cnn');
  await writeModelFolder(dir, { model: cnn, method: { name: 'groupmixnorm', params: {}, needs: { groups: true } }, encoder: { numeric: Array.from({ length: inputDim }, (_, i) => ({ name: `p${i}`, mean: 0, std: 1 })), categorical: [] } });
  const loaded = await loadModelFolder(dir);
  assert.equal(loaded.folder.model.kind, 'patch-cnn');
  assert.deepEqual(loaded.model.config, cnn.config);
  const testGroups = Int32Array.from(groups, (g, i) => (i % 7 === 0 ? -1 : g));
  const expected = predictProba(cnn, { X: images, nRows: rows, groups: testGroups }, { batchSize: 16 });
  assert.deepEqual(predictProba(loaded.model, { X: images, nRows: rows, groups: testGroups }, { batchSize: 16 }), expected);
  // The group ids matter: the same rows as one group give other scores.
  assert.notDeepEqual(predictProba(loaded.model, { X: images, nRows: rows, groups: new Int32Array(rows) }, { batchSize: 16 }), expected);
  cnn.dispose();
  loaded.model.dispose();
});

import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { bceWithLogits } from './losses.js';
import { buildMlp, type Mlp } from './mlp.js';
import { loadModel, MODEL_FILE, saveModel, WEIGHTS_FILE } from './save-load.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from './predict.js';

const N_ROWS = 500;
const INPUT_DIM = 9;
const rng = new Rng(3);
const X = new Float32Array(N_ROWS * INPUT_DIM).map(() => rng.normal());
const encoder = { kind: 'one-hot', columns: ['age', 'sex'], means: [38.5, 0.3] };
const params = { lambda: 0.5, epochs: 3, hidden: [32, 16] };

let root: string;
let model: Mlp;

before(async () => {
  await initBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'fairkit-nn-'));
  model = buildMlp({ inputDim: INPUT_DIM, hidden: [32, 16], activation: 'leakyRelu', dropout: 0.1, seed: 4 });
  const optimizer = tf.train.adam(0.05);
  const y = tf.tensor1d(Array.from({ length: N_ROWS }, (_, i) => (X[i * INPUT_DIM] > 0 ? 1 : 0)));
  const x = tf.tensor2d(X, [N_ROWS, INPUT_DIM]);
  for (let step = 0; step < 5; step++) {
    optimizer.minimize(() => bceWithLogits(model.apply(x, { training: true, stepSeed: step }), y), false, model.variables);
  }
  tf.dispose([x, y]);
  optimizer.dispose();
});

after(async () => {
  model.dispose();
  await rm(root, { recursive: true, force: true });
});

test('a saved and loaded model predicts bit-identical probabilities and keeps its metadata', async () => {
  const dir = join(root, 'round-trip', 'nested');
  await saveModel(dir, { model, encoder, method: 'gcm', params, extra: { threshold: 0.42 } });
  assert.deepEqual((await readdir(dir)).sort(), [MODEL_FILE, WEIGHTS_FILE]);
  const loaded = await loadModel(dir);
  assert.deepEqual(predictProba(loaded.model, { X: X, nRows: N_ROWS }, { batchSize: DEFAULT_PREDICT_BATCH }), predictProba(model, { X: X, nRows: N_ROWS }, { batchSize: DEFAULT_PREDICT_BATCH }));
  assert.deepEqual(loaded.model.config, model.config);
  assert.deepEqual(
    loaded.model.weights.map((w) => w.name),
    model.weights.map((w) => w.name),
  );
  assert.deepEqual(
    { encoder: loaded.encoder, method: loaded.method, params: loaded.params, extra: loaded.extra },
    { encoder, method: 'gcm', params, extra: { threshold: 0.42 } },
  );
  const bytes = (await readFile(join(dir, WEIGHTS_FILE))).length;
  assert.equal(bytes, 4 * model.variables.reduce((n, v) => n + v.size, 0));
  loaded.model.dispose();
});

test('saving over an existing model replaces it', async () => {
  const dir = join(root, 'overwrite');
  const other = buildMlp({ inputDim: INPUT_DIM, hidden: [3], activation: 'tanh', seed: 1 });
  await saveModel(dir, { model: other, encoder: null, method: 'erm', params: {} });
  await saveModel(dir, { model, encoder, method: 'gcm', params });
  const loaded = await loadModel(dir);
  assert.equal(loaded.method, 'gcm');
  assert.deepEqual(predictProba(loaded.model, { X: X, nRows: N_ROWS }, { batchSize: DEFAULT_PREDICT_BATCH }), predictProba(model, { X: X, nRows: N_ROWS }, { batchSize: DEFAULT_PREDICT_BATCH }));
  assert.deepEqual((await readdir(dir)).sort(), [MODEL_FILE, WEIGHTS_FILE]);
  other.dispose();
  loaded.model.dispose();
});

async function expectLoadError(dir: string, file: string, message: RegExp) {
  await assert.rejects(loadModel(dir), (e: unknown) => {
    assert.ok(e instanceof FairkitError, String(e));
    assert.ok(e.message.includes(join(dir, file)), `names the file: ${e.message}`);
    assert.match(e.message, message);
    return true;
  });
}

test('missing or damaged files give a FairkitError naming the file', async () => {
  await expectLoadError(join(root, 'nowhere'), MODEL_FILE, /not found/);

  const dir = join(root, 'damaged');
  await saveModel(dir, { model, encoder, method: 'gcm', params });
  const good = await readFile(join(dir, MODEL_FILE), 'utf8');

  await truncate(join(dir, WEIGHTS_FILE), 100);
  await expectLoadError(dir, WEIGHTS_FILE, /does not match/);
  await rm(join(dir, WEIGHTS_FILE));
  await expectLoadError(dir, WEIGHTS_FILE, /not found/);

  await writeFile(join(dir, MODEL_FILE), good.slice(0, good.length / 2));
  await expectLoadError(dir, MODEL_FILE, /not valid JSON/);
  await writeFile(join(dir, MODEL_FILE), JSON.stringify({ hello: 1 }));
  await expectLoadError(dir, MODEL_FILE, /not a fairkit model/);
});

test('a hand-edited weight shape is an error naming model.json, not a crash', async () => {
  const dir = join(root, 'shapes');
  await saveModel(dir, { model, encoder, method: 'gcm', params });
  const good = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8'));
  const negative = structuredClone(good);
  negative.weights[0].shape = [-1];
  await writeFile(join(dir, MODEL_FILE), JSON.stringify(negative));
  await expectLoadError(dir, MODEL_FILE, /whole-number shapes/);
  const swapped = structuredClone(good);
  swapped.weights[0].shape = [...swapped.weights[0].shape].reverse();
  await writeFile(join(dir, MODEL_FILE), JSON.stringify(swapped));
  await expectLoadError(dir, MODEL_FILE, /do not match the architecture/);
});

test('a weights.bin from another save is rejected', async () => {
  const dirA = join(root, 'a');
  const dirB = join(root, 'b');
  const other = buildMlp({ inputDim: INPUT_DIM, hidden: [32, 16], activation: 'leakyRelu', seed: 5 });
  await saveModel(dirA, { model, encoder, method: 'gcm', params });
  await saveModel(dirB, { model: other, encoder, method: 'gcm', params });
  await writeFile(join(dirA, WEIGHTS_FILE), await readFile(join(dirB, WEIGHTS_FILE)));
  await expectLoadError(dirA, WEIGHTS_FILE, /does not match/);
  other.dispose();
});

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { GroupMixNormLayer } from './group-mix-norm-layer.js';
import { buildGroupMixNormMlp, isGroupMixNormMlp, type GroupMixNormMlp } from './group-mix-norm-mlp.js';
import { INFERENCE_MODES } from './group-mix-norm-unit.js';
import { bceWithLogits } from './losses.js';
import { loadModelFolder, writeModelFolder } from '../model-folder/folder.js';
import { MODEL_FILE } from '../model-folder/schema.js';
import { predictProba } from './predict.js';

const INPUT_DIM = 5;
const ROWS = 300;
const rng = new Rng(9);
const ids = Int32Array.from({ length: ROWS }, () => rng.int(3));
const X = Float32Array.from({ length: ROWS * INPUT_DIM }, (_, k) => rng.normal() + ids[Math.floor(k / INPUT_DIM)]);
const y = Float32Array.from({ length: ROWS }, (_, i) => (X[i * INPUT_DIM] > 1 ? 1 : 0));
// An unseen group (3) and an unknown id (−1) exercise the fallback to the overall statistics.
const encoder = { numeric: Array.from({ length: INPUT_DIM }, (_, i) => ({ name: `x${i}`, mean: 0, std: 1 })), categorical: [] };
const testIds = Int32Array.from(ids, (g, i) => (i % 10 === 0 ? 3 : i % 10 === 1 ? -1 : g));

let root: string;

describe('save and load of GroupMixNorm models', () => {
  before(async () => {
    await initBackend();
    root = await mkdtemp(join(tmpdir(), 'fairkit-gmn-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('a trained GroupMixNorm MLP saves and loads with identical outputs in every inference mode', async () => {
    const model = buildGroupMixNormMlp({ inputDim: INPUT_DIM, hidden: [16, 8], activation: 'leakyRelu', dropout: 0.1, seed: 2 }, { nGroups: 4, positions: [0, 1], settings: { alpha: 0.3, inferenceMix: 'running' } });
    const optimizer = tf.train.adam(0.02);
    const x = tf.tensor2d(X, [ROWS, INPUT_DIM]);
    const labels = tf.tensor1d(y);
    for (let step = 0; step < 8; step++) {
      optimizer.minimize(() => bceWithLogits(model.apply(x, { training: true, stepSeed: step, groups: ids }), labels), false, model.variables);
    }
    tf.dispose([x, labels]);
    optimizer.dispose();

    const dir = join(root, 'mlp');
    await writeModelFolder(dir, { model, encoder, method: { name: 'groupmixnorm', params: { alpha: 0.3 }, needs: { groups: true } } });
    const json = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8'));
    assert.equal(json.model.kind, 'groupmixnorm-mlp');
    const loaded = await loadModelFolder(dir);
    assert.deepEqual(loaded.folder.method, { name: 'groupmixnorm', params: { alpha: 0.3 }, needs: { groups: true } });
    assert.ok(isGroupMixNormMlp(loaded.model));
    const restored = loaded.model as GroupMixNormMlp;
    assert.deepEqual(restored.config, model.config);
    assert.deepEqual(restored.weights.map((w) => w.name), model.weights.map((w) => w.name));
    restored.weights.forEach((w, i) => assert.deepEqual(w.variable.dataSync(), model.weights[i].variable.dataSync(), w.name));
    for (const mode of INFERENCE_MODES) {
      model.setInference(mode);
      restored.setInference(mode);
      assert.deepEqual(predictProba(restored, { X: X, nRows: ROWS, groups: testIds }, { batchSize: 100 }), predictProba(model, { X: X, nRows: ROWS, groups: testIds }, { batchSize: 100 }), mode);
    }
    assert.deepEqual(restored.variables.length, model.variables.length);
    model.dispose();
    restored.dispose();
  });

  test('a GroupMixNorm model.json whose weights do not fit its architecture is rejected with a FairkitError', async () => {
    const model = buildGroupMixNormMlp({ inputDim: INPUT_DIM, hidden: [4], activation: 'relu', seed: 1 }, { nGroups: 2 });
    const dir = join(root, 'edited');
    await writeModelFolder(dir, { model, encoder, method: { name: 'groupmixnorm', params: {} } });
    const json = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8'));
    json.model.nGroups = 3;
    await writeFile(join(dir, MODEL_FILE), JSON.stringify(json));
    await assert.rejects(loadModelFolder(dir), (e: unknown) => e instanceof FairkitError && e.message.startsWith(join(dir, MODEL_FILE)) && /saved architecture is invalid: .*gmn0\/runningGroupMean has 8 values, expected 12/.test(e.message));
    model.dispose();
  });
});

describe('GroupMixNormLayer (Layers API)', () => {
  before(async () => {
    await initBackend();
  });

  function functionalModel(): tf.LayersModel {
    const features = tf.input({ shape: [INPUT_DIM], name: 'features' });
    const groups = tf.input({ shape: [1], name: 'groups' });
    const hidden = tf.layers.dense({ units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(features) as tf.SymbolicTensor;
    const mixed = new GroupMixNormLayer({ nGroups: 3, alpha: 0.5, seed: 4, name: 'gmn' }).apply([hidden, groups]) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(mixed) as tf.SymbolicTensor;
    return tf.model({ inputs: [features, groups], outputs: output });
  }

  test('a functional model with the layer trains with fit, round-trips through save/load handlers, and predicts identically', async () => {
    const model = functionalModel();
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy' });
    const features = tf.tensor2d(X, [ROWS, INPUT_DIM]);
    const groups = tf.tensor2d(Float32Array.from(ids), [ROWS, 1]);
    await model.fit([features, groups], tf.tensor2d(y, [ROWS, 1]), { epochs: 2, batchSize: 100, verbose: 0, shuffle: false });
    const layer = model.getLayer('gmn') as GroupMixNormLayer;
    const updates = layer.getWeights().find((w) => w.shape.length === 1 && w.shape[0] === 3)!;
    assert.deepEqual(Array.from(updates.dataSync()), [6, 6, 6], 'six training batches updated every group');

    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const loadedLayer = loaded.getLayer('gmn');
    assert.ok(loadedLayer instanceof GroupMixNormLayer);
    assert.deepEqual(loadedLayer.getConfig(), layer.getConfig());
    const testGroups = tf.tensor2d(Float32Array.from(testIds), [ROWS, 1]);
    const expected = (model.predict([features, testGroups]) as tf.Tensor).dataSync();
    const got = (loaded.predict([features, testGroups]) as tf.Tensor).dataSync();
    assert.deepEqual(got, expected);
    // The layer uses the groups: predicting as if every row were of group 0 changes the scores.
    const allZero = (model.predict([features, tf.zerosLike(testGroups)]) as tf.Tensor).dataSync();
    assert.notDeepEqual(allZero, expected);
    tf.dispose([features, groups, testGroups]);
    model.dispose();
    loaded.dispose();
  });

  test('a tf.sequential model with the layer and no group input round-trips too, on 4-D features', async () => {
    // A dense map applied per position gives [B, H, W, C] features (wasm has no Conv2D filter gradient).
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [6, 6, 1], units: 4, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        new GroupMixNormLayer({ nGroups: 2, name: 'gmn', momentum: 0.5 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }),
      ],
    });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const images = tf.randomNormal([20, 6, 6, 1], 0, 1, 'float32', 7);
    await model.fit(images, tf.randomNormal([20, 1], 0, 1, 'float32', 8), { epochs: 1, batchSize: 10, verbose: 0 });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    assert.deepEqual((loaded.predict(images) as tf.Tensor).dataSync(), (model.predict(images) as tf.Tensor).dataSync());
    const runningVar = (loaded.getLayer('gmn').getWeights()[6]).dataSync();
    assert.ok(runningVar.every((v) => v !== 1), 'the overall running variance moved from its initial 1');
    images.dispose();
    model.dispose();
    loaded.dispose();
  });
});

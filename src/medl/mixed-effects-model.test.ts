import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import { cellText, selectRows } from '../data/table.js';
import type { LoadedDataset } from '../data/types.js';
import { FittedModel, saveFittedModel } from '../model-folder/fitted-model.js';
import { getMethod } from '../methods/registry.js';
import { initBackend } from '../nn/backend.js';
import { createMlp } from '../nn/mlp.js';
import { modelFromConfig } from '../nn/model-kinds.js';
import { predictProba } from '../nn/predict.js';
import { Rng } from '../rng.js';
import { fit } from '../train/fit.js';
import fixtureJson from './fixtures/composite-loss.json' with { type: 'json' };
import { medlConfig, medlWithWeights } from './medl.test-helper.js';
import type { MedlModel } from './mixed-effects-model.js';
import { klToPrior, randomEffectVariables, SCALE_FLOOR } from './random-effects.js';

const fixture = fixtureJson as unknown as { n: number; d: number; hidden: number[]; nClusters: number; priorSd: number; cases: { x: number[]; clusters: number[]; fixed: number[][]; randomEffects: number[][]; logitsAtMeans: number[] }[] };

/** The fixture's first case as a model, its features and clusters. */
function fixtureModel(seen?: number[]): { model: MedlModel; x: tf.Tensor2D; clusters: Int32Array } {
  const c = fixture.cases[0];
  const model = medlWithWeights(medlConfig(fixture.d, fixture.hidden, fixture.nClusters, fixture.priorSd, seen), [...c.fixed, ...c.randomEffects]);
  return { model, x: tf.tensor2d(c.x, [fixture.n, fixture.d]), clusters: Int32Array.from(c.clusters) };
}

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('the mixed-effects model (medl kind)', () => {
  let root: string;
  let prepared: PreparedSplits;
  let synthetic: LoadedDataset;

  before(async () => {
    await initBackend();
    root = await mkdtemp(join(tmpdir(), 'fairkit-medl-'));
    const synthetic0 = generateSynthetic({ rows: 900, seed: 5 });
    // Region is the cluster and not an input (else an unseen region would also be an unseen feature category).
    const spec = { ...synthetic0.spec, cluster: 'region', features: synthetic0.spec.features!.filter((name) => name !== 'region') };
    synthetic = { ...synthetic0, spec };
    prepared = prepareDataset(synthetic, { seed: 5 });
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('the KL term equals the closed form for normals, computed in float64 from the weights', () => {
    const rng = new Rng(3);
    const priorSd = 0.1;
    const arrays = [[4, 3], [4, 3], [4, 1], [4, 1]].map(([rows, cols], i) => Float32Array.from({ length: rows * cols }, () => (i % 2 === 0 ? 0.3 * rng.normal() : -3 + 2 * rng.normal())));
    const variables = arrays.map((a, i) => tf.variable(tf.tensor(a, i < 2 ? [4, 3] : [4, 1])));
    let expected = 0;
    for (const [mean, rho] of [[arrays[0], arrays[1]], [arrays[2], arrays[3]]]) {
      mean.forEach((m, k) => {
        const s = SCALE_FLOOR + Math.log1p(Math.exp(rho[k]));
        expected += Math.log(priorSd / s) + (s * s + m * m) / (2 * priorSd * priorSd) - 0.5;
      });
    }
    const kl = klToPrior(variables, priorSd);
    assert.ok(Math.abs(kl.dataSync()[0] - expected) < 1e-5 * expected, `${kl.dataSync()[0]} vs ${expected}`);
    // At the prior itself (mean 0, scale σ_p) the divergence is 0.
    const atPrior = [tf.zeros([2, 2]), tf.fill([2, 2], Math.log(Math.expm1(priorSd - SCALE_FLOOR))), tf.zeros([2, 1]), tf.fill([2, 1], Math.log(Math.expm1(priorSd - SCALE_FLOOR)))];
    assert.ok(Math.abs(klToPrior(atPrior, priorSd).dataSync()[0]) < 1e-5);
    tf.dispose([kl, ...variables, ...atPrior]);
  });

  test('inference uses the posterior means; training draws a fresh sample per step seed', () => {
    const { model, x, clusters } = fixtureModel();
    const inference = model.forward({ x, clusters });
    assert.ok(Math.max(...values(inference.logits).map((v, i) => Math.abs(v - fixture.cases[0].logitsAtMeans[i]))) < 1e-5);
    const [a, b, again] = [7, 8, 7].map((stepSeed) => model.forward({ x, clusters }, { training: true, stepSeed }).logits);
    assert.notDeepEqual(values(a), values(inference.logits));
    assert.notDeepEqual(values(a), values(b));
    assert.deepEqual(values(a), values(again));
    assert.throws(() => model.forward({ x, clusters }, { training: true }), /needs a stepSeed/);
    tf.dispose([inference, a, b, again, x]);
    model.dispose();
  });

  test('an unseen, out-of-range, untrained or missing cluster gives exactly the fixed-effects output', () => {
    // Cluster 2 has parameters but no training rows: it is not in `seen`.
    const { model, x, clusters } = fixtureModel([0, 1]);
    const fixedOnly = createMlp(model.config.fixed, fixture.cases[0].fixed.map((w) => new Float32Array(w)));
    const expected = values(fixedOnly.apply(x));
    const edited = Int32Array.from(clusters, (id, i) => (i % 3 === 0 ? -1 : i % 3 === 1 ? 9 : 2));
    for (const training of [false, true]) {
      for (const ids of [edited, undefined]) {
        const out = model.forward({ x, clusters: ids }, { training, stepSeed: 3 });
        assert.deepEqual(values(out.logits), values(out.fe));
        assert.deepEqual(values(out.logits), expected);
        assert.ok(values(out.re).every((r) => r === 0));
        tf.dispose(out);
      }
    }
    const seen = model.forward({ x, clusters: Int32Array.from(clusters, (id) => id % 2) });
    assert.ok(values(seen.re).every((r) => r !== 0), 'seen clusters do get their random effect');
    tf.dispose([seen, x]);
    fixedOnly.dispose();
    model.dispose();
  });

  test('fair-medl trains; the model folder round-trips; predict falls back to FE for an unseen cluster and counts the rows', async () => {
    const method = getMethod('fair-medl');
    const result = fit({ method, params: { lambdaFairness: 0.5 }, train: prepared.train, options: { epochs: 3, batchSize: 128, learningRate: 0.01, hidden: [8, 4], progress: 'silent', seed: 1 } });
    const { model } = result;
    assert.deepEqual(Object.keys(result.history[0].losses!).sort(), ['cluster', 'fairFE', 'fairME', 'fixed', 'kl', 'mixed', 'prediction']);
    assert.ok(result.history[2].losses!.prediction < result.history[0].losses!.prediction);
    const dir = join(root, 'fair-medl');
    await saveFittedModel(dir, { model, method, params: { lambdaFairness: 0.5 }, prepared, dataset: 'synthetic', seeds: { split: 5, training: 1 }, fractions: [0.6, 0.2, 0.2] });
    const loaded = await FittedModel.load(dir);
    assert.deepEqual(loaded.model.config, model.config);
    assert.deepEqual(loaded.folder.clusters, { column: 'region', keys: prepared.clusterKeys });
    const rows = { X: prepared.test.X, nRows: prepared.test.nRows, clusters: prepared.test.clusters };
    assert.deepEqual(predictProba(loaded.model, rows, { batchSize: 64 }), predictProba(model, rows, { batchSize: 64 }));
    const rebuilt = modelFromConfig(model.config, model.weights.map((w) => w.variable.dataSync() as Float32Array));
    assert.deepEqual(predictProba(rebuilt, rows, { batchSize: 500 }), predictProba(model, rows, { batchSize: 64 }));
    rebuilt.dispose();

    // Records of the first rows, every fourth moved to a region never seen: those score exactly σ(FE).
    const { table } = synthetic;
    const records = Array.from({ length: 40 }, (_, row) => Object.fromEntries(table.names.map((name) => {
      const column = table.columns.get(name)!;
      const value = column.kind === 'numeric' ? column.values[row] : cellText(column, row);
      return [name, name === 'region' && row % 4 === 0 ? 'atlantis' : value];
    })));
    const predicted = loaded.predictRecords(records, { batchSize: 16 });
    assert.equal(predicted.counts.unseenCluster, 10);
    assert.ok(predicted.notes.includes('10 rows have a cluster not seen in training (or none) and are predicted as an unseen cluster (id -1)'));
    const unseen = records.map((_, row) => row).filter((row) => row % 4 === 0);
    const X = Float32Array.from(unseen.flatMap((row) => Array.from(prepared.encoder.transform(selectRows(table, Int32Array.of(row))).X)));
    const fe = predictProba(loaded.model, { X, nRows: unseen.length }, { batchSize: 16, head: 'fe' });
    unseen.forEach((row, i) => assert.equal(predicted.rows[row].score, fe[i]));
    // The seen rows do get a random effect.
    const seenRows = records.map((_, row) => row).filter((row) => row % 4 !== 0);
    const seenX = Float32Array.from(seenRows.flatMap((row) => Array.from(prepared.encoder.transform(selectRows(table, Int32Array.of(row))).X)));
    const seenFe = predictProba(loaded.model, { X: seenX, nRows: seenRows.length }, { batchSize: 16, head: 'fe' });
    assert.ok(seenRows.every((row, i) => predicted.rows[row].score !== seenFe[i]));
    loaded.dispose();
    model.dispose();
  });
});

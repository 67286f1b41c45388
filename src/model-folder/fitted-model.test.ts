import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import { cellText } from '../data/table.js';
import type { LoadedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { getMethod } from '../methods/registry.js';
import { initBackend } from '../nn/backend.js';
import type { Model, ModelConfig } from '../nn/model.js';
import { registerModelKind } from '../nn/model-kinds.js';
import { predictProba } from '../nn/predict.js';
import { fit } from '../train/fit.js';
import { FittedModel, saveFittedModel, type RowPolicy, type RowPrediction } from './fitted-model.js';
import { readModelFolder } from './folder.js';
import type { InputRecord } from './records.js';

let root: string;
let dataset: LoadedDataset;
let prepared: PreparedSplits;
let records: InputRecord[];

/** A model whose logit is its row's cluster id: what reaches the model's `clusters` input shows in the scores. */
function clusterEcho(config: ModelConfig): Model {
  const logits = (clusters: Int32Array | undefined, rows: number) => tf.tensor2d(Float32Array.from({ length: rows }, (_, i) => clusters?.[i] ?? -100), [rows, 1]);
  return {
    config,
    weights: [],
    variables: [],
    forward: (inputs) => ({ logits: logits(inputs.clusters, inputs.x.shape[0]) }),
    apply: (x, options) => logits(options?.clusters, x.shape[0]),
    dispose: () => {},
  };
}

/** Counts of a prediction where every row was scored without a note. */
function noCellIssues(rows: number) {
  return { scored: rows, flagged: 0, refused: 0, imputed: {}, unseenCategory: {}, outOfRange: {}, emptyRows: 0, nonFiniteScores: 0 };
}

/** A model whose logit is its row's first feature (standardised x1), and NaN beyond 100: a model that can fail. */
function x1Echo(config: ModelConfig): Model {
  const logits = (x: tf.Tensor) => {
    const rows = x.arraySync() as number[][];
    return tf.tensor2d(Float32Array.from(rows, (row) => (row[0] > 100 ? Number.NaN : row[0])), [rows.length, 1]);
  };
  return { config, weights: [], variables: [], forward: (inputs) => ({ logits: logits(inputs.x) }), apply: (x) => logits(x), dispose: () => {} };
}

describe('FittedModel', () => {
  before(async () => {
    await initBackend('wasm');
    root = await mkdtemp(join(tmpdir(), 'fairkit-fitted-'));
    const synthetic = generateSynthetic({ rows: 1500, seed: 2, regions: true });
    dataset = { ...synthetic, spec: { ...synthetic.spec, cluster: 'region', features: synthetic.spec.features!.filter((name) => name !== 'region') } };
    prepared = prepareDataset(dataset, { seed: 2 });
    const { table } = dataset;
    records = Array.from({ length: table.nRows }, (_, row) => Object.fromEntries(table.names.map((name) => {
      const column = table.columns.get(name)!;
      return [name, column.kind === 'numeric' ? column.values[row] : cellText(column, row)];
    })));
    registerModelKind({ kind: 'test-cluster-echo', create: clusterEcho });
    registerModelKind({ kind: 'test-x1-echo', create: x1Echo });
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('saveFittedModel records groups, clusters and provenance; predictRecords maps records onto them as training did', async () => {
    const method = getMethod('groupmixnorm');
    const fitted = fit({ method, params: {}, train: prepared.train, options: { epochs: 2, batchSize: 200, hidden: [8], seed: 3, progress: 'silent' } });
    const dir = join(root, 'gmn');
    await saveFittedModel(dir, { model: fitted.model, method, params: { alpha: 0.1 }, prepared, dataset: 'synthetic', seeds: { split: 2, training: 3 }, fractions: [0.6, 0.2, 0.2] });
    const folder = await readModelFolder(dir);
    assert.deepEqual(folder.groups, { attributes: ['group'], keys: ['majority', 'minority'], privileged: 'majority' });
    assert.deepEqual(folder.clusters, { column: 'region', keys: prepared.clusterKeys });
    assert.ok(prepared.clusterKeys!.length > 1, `regions: ${prepared.clusterKeys}`);
    assert.deepEqual(folder.method, { name: 'groupmixnorm', params: { alpha: 0.1 }, needs: { groups: true } });
    const { fairkitVersion, backend, created, runId, ...provenance } = folder.provenance;
    assert.match(runId!, /^[0-9a-f-]{36}$/, 'a new run id');
    assert.deepEqual(provenance, { dataset: 'synthetic', spec: prepared.spec, positive: '1', split: { fractions: [0.6, 0.2, 0.2], seed: 2 }, trainingSeed: 3 });
    assert.deepEqual([typeof fairkitVersion, backend, typeof created], ['string', 'wasm', 'string']);

    const loaded = await FittedModel.load(dir);
    const predicted = loaded.predictRecords(records, { batchSize: 256 });
    const { table } = dataset;
    const groupValues = table.columns.get('group')!.values as string[];
    const groupIds = Int32Array.from(groupValues, (value) => ['majority', 'minority'].indexOf(value));
    const { X, nRows } = prepared.encoder.transform(table);
    const expected = predictProba(fitted.model, { X, nRows, groups: groupIds }, { batchSize: 256 });
    assert.deepEqual(Float32Array.from(predicted.rows, (row) => row.score!), expected);
    assert.deepEqual(predicted.rows.map((row) => row.groupKey), groupValues);
    assert.deepEqual(predicted.counts, { ...noCellIssues(records.length), unseenGroup: 0, missingGroup: 0, unseenCluster: 0 });
    assert.ok(predicted.rows.every((row) => row.status === 'scored'));
    assert.deepEqual(predicted.notes, []);

    // Numbers written as strings read as the CSV reader reads them.
    const asText = records.map((record) => Object.fromEntries(Object.entries(record).map(([name, value]) => [name, typeof value === 'number' ? String(value) : value])));
    assert.deepEqual(loaded.predictRecords(asText, { batchSize: 256 }).rows, predicted.rows);

    // Unseen and empty groups fall back to the no-group statistics (id -1), with per-row notes and counts.
    const edited = records.map((record, row) => ({ ...record, group: row % 5 === 0 ? 'other' : row % 7 === 0 ? null : record.group }));
    const fallback = loaded.predictRecords(edited, { batchSize: 256 });
    const fallbackIds = Int32Array.from(edited, (record, row) => (record.group === 'other' || record.group === null ? -1 : groupIds[row]));
    assert.deepEqual(Float32Array.from(fallback.rows, (row) => row.score!), predictProba(fitted.model, { X, nRows, groups: fallbackIds }, { batchSize: 256 }));
    const unseen = edited.filter((record) => record.group === 'other').length;
    const empty = edited.filter((record) => record.group === null).length;
    assert.deepEqual(fallback.counts, { ...noCellIssues(records.length), flagged: unseen + empty, unseenGroup: unseen, missingGroup: empty, unseenCluster: 0 });
    assert.deepEqual(fallback.rows.slice(0, 2).map(({ groupKey, note }) => ({ groupKey, note })), [{ groupKey: undefined, note: 'group not seen in training' }, { groupKey: groupValues[1], note: undefined }]);
    assert.equal(fallback.rows[7].note, 'empty sensitive value');
    assert.deepEqual(fallback.notes, [
      `${unseen} rows belong to groups not seen in training and are normalised with the statistics of all training groups`,
      `${empty} rows have an empty sensitive value and are normalised with the statistics of all training groups`,
    ]);

    // Without the sensitive column, no group ids at all (GroupMixNorm needs groups, so a note says so).
    const withoutGroup = loaded.predictRecords(records.map(({ group: _, ...rest }) => rest), { batchSize: 256 });
    assert.deepEqual(Float32Array.from(withoutGroup.rows, (row) => row.score!), predictProba(fitted.model, { X, nRows }, { batchSize: 256 }));
    assert.deepEqual(withoutGroup.notes, ['the records have no sensitive column group, so every row is normalised with the statistics of all training groups']);
    loaded.dispose();
    fitted.model.dispose();
  });

  test('cluster ids reach the model: saved keys map the records, unseen and empty clusters get -1 with a note', async () => {
    const dir = join(root, 'clusters');
    await saveFittedModel(dir, { model: clusterEcho({ kind: 'test-cluster-echo', inputDim: prepared.train.nFeatures, outputDim: 1 }), method: { name: 'erm' }, params: {}, prepared, dataset: 'synthetic', seeds: { split: 2, training: 2 }, fractions: [0.6, 0.2, 0.2] });
    const loaded = await FittedModel.load(dir);
    const keys = prepared.clusterKeys!;
    const edited = records.slice(0, 40).map((record, row) => ({ ...record, region: row % 4 === 0 ? 'atlantis' : row % 9 === 0 ? '' : record.region }));
    const predicted = loaded.predictRecords(edited, { batchSize: 16 });
    const expectedIds = edited.map((record) => keys.indexOf(record.region as string));
    assert.deepEqual(predicted.rows.map((row) => Math.round(Math.log(row.score! / (1 - row.score!)))), expectedIds, 'logit = cluster id');
    const unseen = expectedIds.filter((id) => id < 0).length;
    assert.deepEqual(predicted.counts, { ...noCellIssues(40), flagged: expectedIds.filter((id) => id < 0).length, unseenGroup: 0, missingGroup: 0, unseenCluster: unseen });
    assert.equal(predicted.rows[0].note, 'cluster not seen in training');
    assert.equal(predicted.rows[9].note, 'no cluster');
    // erm does not need groups: no group notes, only the cluster one.
    assert.deepEqual(predicted.notes, [`${unseen} rows have a cluster not seen in training (or none) and are predicted as an unseen cluster (id -1)`]);
    const noColumn = loaded.predictRecords(edited.map(({ region: _, ...rest }) => rest), { batchSize: 16 });
    assert.ok(noColumn.rows.every((row) => Math.round(Math.log(row.score! / (1 - row.score!))) === -1));
    assert.deepEqual(noColumn.notes, ['the records have no cluster column region, so every row is predicted as an unseen cluster (id -1)']);
    loaded.dispose();
  });

  test('a cluster of the data without training rows is not saved: predict counts its rows as falling back', async () => {
    // Every row of the last region goes to the test split; the other rows train (a few validate).
    const heldOut = (clusters: Int32Array) => Math.max(...clusters);
    const split = (strata: Int32Array, clusters?: Int32Array) => {
      const rows = Array.from(strata, (_, row) => row);
      const test = rows.filter((row) => clusters![row] === heldOut(clusters!));
      const rest = rows.filter((row) => clusters![row] !== heldOut(clusters!));
      return [rest.filter((row) => row % 10 !== 0), rest.filter((row) => row % 10 === 0), test].map((part) => Int32Array.from(part));
    };
    const partial = prepareDataset(dataset, { seed: 2, split });
    const region = [...new Set(records.map((record) => record.region as string))].sort().at(-1)!;
    assert.ok(!partial.clusterKeys!.includes(region) && partial.clusterKeys!.length > 1, `saved keys ${partial.clusterKeys}, held out ${region}`);
    const dir = join(root, 'held-out-cluster');
    await saveFittedModel(dir, { model: clusterEcho({ kind: 'test-cluster-echo', inputDim: partial.train.nFeatures, outputDim: 1 }), method: { name: 'erm' }, params: {}, prepared: partial, dataset: 'synthetic', seeds: { split: 2, training: 2 }, fractions: [0.6, 0.2, 0.2] });
    const loaded = await FittedModel.load(dir);
    const some = records.slice(0, 60);
    const inHeldOut = some.filter((record) => record.region === region).length;
    assert.ok(inHeldOut > 0);
    const predicted = loaded.predictRecords(some, { batchSize: 16 });
    assert.equal(predicted.counts.unseenCluster, inHeldOut);
    assert.deepEqual(predicted.notes, [`${inHeldOut} rows have a cluster not seen in training (or none) and are predicted as an unseen cluster (id -1)`]);
    loaded.dispose();
  });

  test('a record without a feature column, or with a non-number in a numeric one, is an error naming the row and column', async () => {
    const dir = join(root, 'errors');
    await saveFittedModel(dir, { model: clusterEcho({ kind: 'test-cluster-echo', inputDim: prepared.train.nFeatures, outputDim: 1 }), method: { name: 'erm' }, params: {}, prepared, dataset: 'synthetic', seeds: { split: 2, training: 2 }, fractions: [0.6, 0.2, 0.2] });
    const loaded = await FittedModel.load(dir);
    const { x1: _, ...withoutX1 } = records[1];
    assert.throws(() => loaded.predictRecords([records[0], withoutX1], { batchSize: 16 }), (e: unknown) => e instanceof FairkitError && e.message === 'record 2: the model needs column x1, missing from the record. Give null for a missing value');
    assert.throws(
      () => loaded.predictRecords([records[0], { ...records[1], x2: 'high' }], { batchSize: 16, origin: { source: 'in.csv', lines: [2, 3] } }),
      (e: unknown) => e instanceof FairkitError && e.message === 'in.csv, line 3, column "x2": "high" is not a number, but the model reads column "x2" as numeric',
    );
    // Missing values: null, empty and NaN are the same (the encoder's training mean).
    const scoresOf = (value: string | number | null) => loaded.predictRecords([{ ...records[0], x1: value }], { batchSize: 1 }).rows[0].score;
    assert.equal(scoresOf(''), scoresOf(null));
    assert.equal(scoresOf(Number.NaN), scoresOf(null));
    loaded.dispose();
  });

  test('every row gets a finite score or a stated reason: refuse, flag and impute policies, and what every policy refuses', async () => {
    const dir = join(root, 'policies');
    await saveFittedModel(dir, { model: x1Echo({ kind: 'test-x1-echo', inputDim: prepared.train.nFeatures, outputDim: 1 }), method: { name: 'erm' }, params: {}, prepared, dataset: 'synthetic', seeds: { split: 2, training: 2 }, fractions: [0.6, 0.2, 0.2] });
    const loaded = await FittedModel.load(dir);
    const { mean, std } = loaded.folder.encoder.numeric[0];
    const base: InputRecord = { ...records[0], x1: 0.5, segment: 'A' };
    const empty = Object.fromEntries(Object.keys(base).map((name) => [name, ['x1', 'x2', 'x3', 'x4', 'proxy', 'segment'].includes(name) ? null : base[name]]));
    const input = [
      base, // 0: complete
      { ...base, x2: null }, // 1: a missing numeric cell
      { ...base, segment: 'Z' }, // 2: an unseen category
      { ...base, segment: '' }, // 3: a missing categorical cell (training had none: no category)
      empty, // 4: every feature empty
      { ...base, x1: 1e300 }, // 5: absurd magnitude (z beyond 1e6; float32 would overflow)
      { ...base, x1: mean + 2e6 * std }, // 6: |z| = 2e6 > 1e6
      { ...base, x1: mean + 500 * std }, // 7: in range, but the model gives NaN
      { ...base, x1: Number.POSITIVE_INFINITY }, // 8: not finite
    ];
    const z = (0.5 - mean) / std;
    const sigmoid = (value: number) => Math.fround(1 / (1 + Math.exp(-value)));
    const expectedScore = Math.fround(sigmoid(Math.fround(z)));
    const always = {
      4: { status: 'refused', score: null, note: 'refused: every feature is empty' },
      5: { status: 'refused', score: null, note: 'refused: x1 = 1e+300 is out of range (more than 1000000 standard deviations from the training mean)' },
      6: { status: 'refused', score: null, note: `refused: x1 = ${mean + 2e6 * std} is out of range (more than 1000000 standard deviations from the training mean)` },
      7: { status: 'refused', score: null, note: 'refused: the model gave a non-finite score (NaN)' },
      8: { status: 'refused', score: null, note: 'refused: x1 = Infinity is out of range (more than 1000000 standard deviations from the training mean)' },
    };
    const strip = (rows: RowPrediction[]) => rows.map(({ status, score, note }) => ({ status, score, ...(note ? { note } : {}) }));
    const cellCounts = { imputed: { x1: 1, x2: 2, x3: 1, x4: 1, proxy: 1, segment: 2 }, unseenCategory: { segment: 1 }, outOfRange: { x1: 3 }, emptyRows: 1, nonFiniteScores: 1 };

    const flag = loaded.predictRecords(input, { batchSize: 4 });
    assert.equal(flag.rows[0].score, expectedScore);
    assert.deepEqual(strip(flag.rows).slice(1, 4), [
      { status: 'flagged', score: expectedScore, note: 'x2 missing (imputed with the training mean)' },
      { status: 'flagged', score: expectedScore, note: 'segment "Z" not seen in training (encoded as no category)' },
      { status: 'flagged', score: expectedScore, note: 'segment missing (encoded as no category)' },
    ].map((row, i) => ({ ...row, score: flag.rows[i + 1].score })));
    assert.deepEqual(strip(flag.rows).slice(4), Object.values(always));
    assert.deepEqual({ ...flag.counts, imputed: { ...flag.counts.imputed } }, { unseenGroup: 0, missingGroup: 0, unseenCluster: 0, scored: 4, flagged: 3, refused: 5, ...cellCounts });
    assert.deepEqual(flag.notes, [
      '8 missing cells (x1 1, x2 2, x3 1, x4 1, proxy 1, segment 2) filled in (numeric: the training mean; categorical: no category), their rows scored and flagged',
      '1 categories not seen in training (segment 1) encoded as no category, their rows scored and flagged',
      '3 values out of range (x1 3; more than 1000000 standard deviations from the training mean), their rows refused',
      '1 rows with every feature empty refused',
      '1 rows with a non-finite score refused',
    ]);
    assert.ok(flag.rows.every((row) => row.score === null || Number.isFinite(row.score)), 'never a non-finite number');

    const refuse = loaded.predictRecords(input, { batchSize: 4, policy: 'refuse' });
    assert.deepEqual(strip(refuse.rows), [
      { status: 'scored', score: flag.rows[0].score },
      { status: 'refused', score: null, note: 'refused: x2 missing (imputed with the training mean)' },
      { status: 'refused', score: null, note: 'refused: segment "Z" not seen in training (encoded as no category)' },
      { status: 'refused', score: null, note: 'refused: segment missing (encoded as no category)' },
      ...Object.values(always),
    ]);
    assert.equal(refuse.counts.refused, 8);
    assert.equal(refuse.counts.scored, 1);
    assert.match(refuse.notes[0], /, their rows refused$/);

    const impute = loaded.predictRecords(input, { batchSize: 4, policy: 'impute' });
    assert.deepEqual(strip(impute.rows).slice(0, 4).map((row) => row.status), ['scored', 'scored', 'scored', 'scored']);
    assert.deepEqual(impute.rows.slice(0, 4).map((row) => row.score), flag.rows.slice(0, 4).map((row) => row.score), 'the same scores, silently');
    assert.deepEqual(strip(impute.rows).slice(4), Object.values(always), 'refused under every policy');
    assert.deepEqual([impute.counts.imputed, impute.counts.unseenCategory], [flag.counts.imputed, flag.counts.unseenCategory], 'still counted');
    assert.throws(() => loaded.predictRecords(input, { batchSize: 4, policy: 'lenient' as RowPolicy }), (e: unknown) => e instanceof FairkitError && e.message === 'unknown policy "lenient" (refuse, flag or impute)');
    loaded.dispose();
  });
});

/**
 * FairMixup's stacked penalty (every mixup path in one pass, for plain MLPs) against the per-path formulation it
 * replaced, kept here as the reference: one path per pair, each its own forward pass and input gradient.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { prepareDataset } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import type { EncodedDataset } from '../data/types.js';
import { initBackend } from '../nn/backend.js';
import { relativeError } from '../nn/relative-error.test-helper.js';
import { copyRows } from '../train/batches.js';
import { fit } from '../train/fit.js';
import type { LossRecord, Method } from '../train/method.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { drawMixupPairs, fairMixup, mixupPenalty, referenceGroup, type FairMixupParams } from './fairmixup.js';

const reference: Method<FairMixupParams> = {
  ...fairMixup,
  penalty: ({ params, nGroups, train, rng, forward }) => {
    const group = referenceGroup(train);
    return (_outputs, batch) => {
      const pairs = drawMixupPairs(batch.labels, batch.groups, nGroups, group, params, rng);
      if (pairs.length === 0) return null;
      const features = batch.x.dataSync() as Float32Array;
      const rowsOf = (rows: Int32Array) => tf.tensor2d(copyRows(features, batch.x.shape[1], rows), [rows.length, batch.x.shape[1]]);
      return tf.addN(pairs.map(({ rows0, rows1, t }, k) => mixupPenalty((x) => forward({ x }, (batch.stepSeed + k + 1) % 0x7fffffff), rowsOf(rows0), rowsOf(rows1), t)));
    };
  },
};

const RATE = 1000;
const values = (variables: tf.Variable[]) => variables.map((v) => v.dataSync().slice() as Float32Array);

function oneStep(method: Method<FairMixupParams>, train: EncodedDataset, params: Partial<FairMixupParams>, model: TrainingOptionsInput): { update: Float64Array; record: LossRecord } {
  let initial: Float32Array[] = [];
  let final: Float32Array[] = [];
  let record: LossRecord | undefined;
  const result = fit({
    method, params, train,
    options: { ...model, epochs: 1, batchSize: train.nRows, optimizer: 'sgd', learningRate: RATE, progress: 'silent' },
    callbacks: [{ onTrainBegin: (run) => (initial = values(run.model.variables)), onBatchEnd: (r) => (record = r), onTrainEnd: (run) => (final = values(run.model.variables)) }],
  });
  result.model.dispose();
  return { update: Float64Array.from(initial.flatMap((a, i) => Array.from(a, (v, j) => (v - final[i][j]) / RATE))), record: record! };
}

function lossCurve(method: Method<FairMixupParams>, train: EncodedDataset, params: Partial<FairMixupParams>, model: TrainingOptionsInput): LossRecord[] {
  const records: LossRecord[] = [];
  const result = fit({ method, params, train, options: { ...model, epochs: 1, batchSize: Math.ceil(train.nRows / 5), learningRate: 0.01, progress: 'silent' }, callbacks: [{ onBatchEnd: (r) => records.push(r) }] });
  result.model.dispose();
  return records;
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('fairmixup: the stacked penalty equals one pass per mixup path', () => {
  let twoGroups: EncodedDataset;
  let sixGroups: EncodedDataset;
  before(async () => {
    await initBackend('wasm');
    const synthetic = generateSynthetic({ rows: 400, seed: 17 });
    twoGroups = prepareDataset(synthetic, { seed: 17 }).train;
    sixGroups = prepareDataset({ ...synthetic, spec: { ...synthetic.spec, sensitive: ['group', 'region'] } }, { seed: 17 }).train;
  });

  const cases: { name: string; data: () => EncodedDataset; params: Partial<FairMixupParams>; model: TrainingOptionsInput }[] = [
    { name: 'eo, two groups (two paths)', data: () => twoGroups, params: {}, model: { hidden: [16, 9], seed: 7 } },
    { name: 'dp, six groups (five paths), tanh', data: () => sixGroups, params: { form: 'dp', lambda: 2 }, model: { hidden: [12], activation: 'tanh', seed: 5 } },
  ];
  for (const { name, data, params, model } of cases) {
    test(`${name}: one step's update to 1e-6, a five-step loss curve to 1e-5`, (t) => {
      const before = tf.memory().numTensors;
      const expected = oneStep(reference, data(), params, model);
      const actual = oneStep(fairMixup, data(), params, model);
      const updateError = relativeError(actual.update, expected.update);
      const penaltyError = relative(actual.record.penalty, expected.record.penalty);
      const curve = { expected: lossCurve(reference, data(), params, model), actual: lossCurve(fairMixup, data(), params, model) };
      assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
      const curveError = Math.max(...curve.actual.map((r, i) => relative(r.total, curve.expected[i].total)));
      t.diagnostic(`update ${updateError.toExponential(2)}, penalty ${penaltyError.toExponential(2)}, curve ${curveError.toExponential(2)}`);
      assert.ok(expected.record.penalty > 0, 'the batch has mixup paths');
      assert.ok(updateError < 1e-6, `update: relative error ${updateError}`);
      assert.ok(penaltyError < 1e-6, `penalty ${actual.record.penalty} vs ${expected.record.penalty}`);
      assert.equal(curve.actual.length, 5);
      assert.ok(curveError < 1e-5, `loss curve ${JSON.stringify(curve.actual)} vs ${JSON.stringify(curve.expected)}`);
    });
  }
});

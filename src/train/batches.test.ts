// The host features a batch carries (TrainBatch.features) must be exactly the values of its tensor x: the cell
// splits of gcm, iga, grad-align and fairmixup's pairs read them instead of reading x back.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import { splitIntoCells } from '../methods/subgroup-gradients.js';
import { initBackend } from '../nn/backend.js';
import { disposeBatch, hostFeatures, makeBatch } from './batches.js';
import { fit } from './fit.js';
import type { Method, TrainBatch } from './method.js';

const plain: Method<Record<string, never>> = { name: 'plain', summary: 'task loss alone', params: z.object({}).strict() as z.ZodType<Record<string, never>>, paramDocs: {} };

describe('host features of a training batch', () => {
  let data: PreparedSplits;
  before(async () => {
    await initBackend();
    data = prepareDataset(generateSynthetic({ rows: 600, seed: 4 }), { seed: 4 });
  });

  test('every batch the loop hands out carries features equal to its x, row for row', () => {
    let batches = 0;
    const check = {
      onBatchBegin: (batch: TrainBatch) => {
        assert.ok(batch.features, 'the loop batch carries its host features');
        assert.deepEqual(batch.features, batch.x.dataSync());
        batches++;
      },
    };
    fit({ method: plain, params: {}, train: data.train, options: { epochs: 2, batchSize: 128, hidden: [4], progress: 'silent', seed: 5 }, callbacks: [check] });
    assert.ok(batches >= 4);
  });

  test('makeBatch copies the chosen rows of X; hostFeatures reads x only when a batch carries no features', () => {
    const rows = Int32Array.of(7, 0, 7, 42);
    const batch = makeBatch(data.train, rows, 1);
    const d = data.train.nFeatures;
    rows.forEach((row, i) => assert.deepEqual(batch.features!.subarray(i * d, (i + 1) * d), data.train.X.subarray(row * d, (row + 1) * d)));
    assert.equal(hostFeatures(batch), batch.features);
    const fromTensor = hostFeatures({ x: batch.x });
    assert.notEqual(fromTensor, batch.features);
    assert.deepEqual(fromTensor, batch.features);
    const cellValues = (source: Parameters<typeof splitIntoCells>[0]) => splitIntoCells(source, data.train.groups.keys.length).map((cell) => [cell.group, cell.label, Array.from(cell.x.dataSync())]);
    assert.deepEqual(cellValues(batch), cellValues({ ...batch, features: undefined }));
    disposeBatch(batch);
    tf.disposeVariables();
  });
});

/** Test support: one update of a method, as the loop makes it, with plain SGD at a given rate. */
import type { EncodedDataset } from '../data/types.js';
import type { Model } from '../nn/model.js';
import { Rng } from '../rng.js';
import { parseMethodParams, parseTrainingOptions } from './fit.js';
import type { LossRecord, Method, TrainBatch } from './method.js';
import { createUpdate } from './update.js';

export function oneUpdate<P extends Record<string, unknown>>(method: Method<P>, input: { params: Record<string, unknown>; model: Model; train: EncodedDataset; batch: TrainBatch; learningRate?: number; seed?: number }): LossRecord {
  const update = createUpdate({
    method,
    params: parseMethodParams(method, input.params),
    model: input.model,
    train: input.train,
    options: parseTrainingOptions({ optimizer: 'sgd', learningRate: input.learningRate ?? 1 }),
    rng: new Rng(input.seed ?? 5),
  });
  try {
    return update.run(input.batch, 0);
  } finally {
    update.dispose();
  }
}

/** Test support: one update of a method, as the loop makes it, with plain SGD at a given rate; a small player. */
import * as tf from '@tensorflow/tfjs';
import type { EncodedDataset } from '../data/types.js';
import type { Model } from '../nn/model.js';
import { Rng } from '../rng.js';
import { parseMethodParams, parseTrainingOptions } from './fit.js';
import type { LossRecord, Method, Player, TrainBatch } from './method.js';
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

/** A one-weight player with its own Adam that predicts the label from the logit: something with its own variables. */
export function labelReader(): Player {
  const initial = tf.scalar(0.1);
  const slope = tf.variable(initial, true);
  initial.dispose();
  return {
    name: 'reader',
    variables: [slope],
    optimizer: { kind: 'adam', learningRate: 0.05 },
    steps: 2,
    loss: ({ logits }, batch) => tf.tidy(() => tf.mean(tf.square(tf.sub(tf.mul(slope, tf.reshape(logits, [-1])), batch.y))) as tf.Scalar),
    dispose: () => slope.dispose(),
  };
}

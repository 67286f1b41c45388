import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { bceWithLogits } from '../nn/losses.js';
import { minimizeLoss } from '../train/batches.js';
import type { FairnessMethod } from './method.js';

/** Empirical risk minimisation: the task loss alone, the baseline every method is compared with. */
export const erm: FairnessMethod<Record<string, never>> = {
  name: 'erm',
  summary: 'Plain training on the task loss (binary cross-entropy); the baseline.',
  params: z.object({}).strict() as z.ZodType<Record<string, never>>,
  paramDocs: {},
  createStep: ({ model, optimizer }) => ({
    run: (batch) => minimizeLoss(optimizer, model.variables, () => taskLoss(model.apply(batch.x, { training: true, dropoutSeed: batch.dropoutSeed, groups: batch.groups }), batch)),
    dispose: () => {},
  }),
};

/** The task loss of a batch on logits [b, 1], weighted when the batch carries sample weights. */
export function taskLoss(logits: tf.Tensor2D, batch: { y: tf.Tensor1D; weights?: tf.Tensor1D }): tf.Scalar {
  return bceWithLogits(logits, batch.y, batch.weights);
}

import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { EncodedDataset } from '../data/types.js';
import type { ModelOutputs } from '../nn/model.js';
import type { Rng } from '../rng.js';
import { copyRows, hostFeatures } from '../train/batches.js';
import type { Method } from '../train/method.js';
import { requireTwoGroups } from './group-cells.js';
import { mlpMixupPenalty } from './mlp-mixup-gradients.js';
import { isPlainReluMlp } from './plain-mlp-forward.js';

export const fairMixupParams = z
  .object({
    lambda: z.number().min(0).default(0.5),
    form: z.enum(['eo', 'dp']).default('eo'),
    mixupAlpha: z.number().positive().default(1),
  })
  .strict();
export type FairMixupParams = z.infer<typeof fairMixupParams>;

/**
 * Fair Mixup (Chuang & Mroueh, ICLR 2021; methods.md §6): the task loss plus λ times the smoothness of the mean
 * prediction along the path between groups, |d/dt mean σ(f(t·x⁰ + (1−t)·x¹))|, with x⁰ and x¹ drawn from two
 * groups inside the batch (within each label for eo) and t ~ Beta(α, α). The regulariser is a gradient inside
 * the loss, so training differentiates twice (the sigmoid gradient fix of nn/gradient-fixes.ts makes that exact).
 */
export const fairMixup: Method<FairMixupParams> = {
  name: 'fairmixup',
  summary: 'Fair Mixup (Chuang & Mroueh 2021): task loss + lambda · |path derivative of the mean prediction| between groups.',
  params: fairMixupParams,
  paramDocs: {
    lambda: 'Weight of the mixup smoothness penalty (0 = erm).',
    form: "'eo': pairs drawn within each label, one penalty per label (equalised odds); 'dp': pairs drawn from the whole batch.",
    mixupAlpha: 'α of the Beta(α, α) distribution of the mixing weight t (1 = uniform, as in the paper\'s code).',
  },
  strength: 'lambda',
  check: (train) => requireTwoGroups('fairmixup', train),
  penalty: ({ params, nGroups, train, rng, forward, model }) => {
    const reference = referenceGroup(train);
    // A plain ReLU MLP (the tabular default) takes the hand-written penalty of mlp-mixup-gradients.ts: the same value
    // and weight gradient without double backprop. Its forward pass draws nothing, so the step seeds are not needed.
    const handWritten = isPlainReluMlp(model);
    return (_outputs, batch) => {
      const pairs = drawMixupPairs(batch.labels, batch.groups, nGroups, reference, params, rng);
      if (pairs.length === 0) return null;
      const features = hostFeatures(batch);
      if (handWritten) {
        const columns = batch.x.shape[1];
        const paths = pairs.map(({ rows0, rows1, t }) => ({ x0: copyRows(features, columns, rows0), x1: copyRows(features, columns, rows1), rows: rows0.length, t }));
        return mlpMixupPenalty(model, paths);
      }
      // Each path is one forward pass with its own step seed (k + 1: the batch's own pass has k = 0). A mixed row
      // lies between two groups, so it is given no group id.
      const terms = pairs.map(({ rows0, rows1, t }, k) =>
        mixupPenalty((x) => forward({ x }, (batch.stepSeed + k + 1) % 0x7fffffff), rowsOf(batch.x, features, rows0), rowsOf(batch.x, features, rows1), t),
      );
      return tf.addN(terms);
    };
  },
};

/** The rows of the batch's features, copied on the host (tf.gather is slow on wasm); constants to the tape as before. */
function rowsOf(x: tf.Tensor2D, features: Float32Array, rows: Int32Array): tf.Tensor2D {
  return tf.tensor2d(copyRows(features, x.shape[1], rows), [rows.length, x.shape[1]]);
}

/**
 * |mean_i ∇_x σ(f(x_t,i)) · (x⁰_i − x¹_i)| with x_t = t·x⁰ + (1−t)·x¹: the derivative in t of the mean prediction
 * along the mixing path, as a Jacobian-vector product of the batch mean's gradient with the direction.
 */
export function mixupPenalty(forward: (x: tf.Tensor2D) => ModelOutputs, x0: tf.Tensor2D, x1: tf.Tensor2D, t: number): tf.Scalar {
  return tf.tidy(() => {
    const mixed = tf.add(tf.mul(t, x0), tf.mul(1 - t, x1)) as tf.Tensor2D;
    const gradOfMean = tf.grad((x: tf.Tensor) => tf.mean(tf.sigmoid(forward(x as tf.Tensor2D).logits)))(mixed);
    return tf.abs(tf.sum(tf.mul(gradOfMean, tf.sub(x0, x1)))) as tf.Scalar;
  });
}

export interface MixupPair {
  /** Batch rows of the non-reference group and of the reference group, equally many. */
  rows0: Int32Array;
  rows1: Int32Array;
  t: number;
}

/**
 * The pairs of one step: for each condition (each label for eo, the whole batch for dp) and each group other than
 * the reference, min(n_g, n_ref) random rows of that group against as many of the reference group. A pairing with
 * an empty side (the batch lacks a group or label) is skipped.
 */
export function drawMixupPairs(labels: Uint8Array, groups: Int32Array, nGroups: number, reference: number, params: Pick<FairMixupParams, 'form' | 'mixupAlpha'>, rng: Rng): MixupPair[] {
  const conditions = params.form === 'eo' ? [0, 1] : [-1];
  const pairs: MixupPair[] = [];
  for (const condition of conditions) {
    const rowsOf = (group: number) => {
      const rows: number[] = [];
      for (let i = 0; i < groups.length; i++) if (groups[i] === group && (condition < 0 || labels[i] === condition)) rows.push(i);
      return rng.shuffle(Int32Array.from(rows));
    };
    const referenceRows = rowsOf(reference);
    for (let group = 0; group < nGroups; group++) {
      if (group === reference) continue;
      const rows = rowsOf(group);
      const m = Math.min(rows.length, referenceRows.length);
      if (m === 0) continue;
      pairs.push({ rows0: rows.slice(0, m), rows1: referenceRows.slice(0, m), t: rng.beta(params.mixupAlpha, params.mixupAlpha) });
    }
  }
  return pairs;
}

/** The group every other group is mixed with: the privileged group when the data names one, else the largest. */
export function referenceGroup(train: EncodedDataset): number {
  if (train.groups.privileged !== undefined) return train.groups.privileged;
  const counts = new Int32Array(train.groups.keys.length);
  for (const id of train.groups.ids) counts[id]++;
  return counts.indexOf(Math.max(...counts));
}

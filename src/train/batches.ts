import * as tf from '@tensorflow/tfjs';
import type { EncodedDataset } from '../data/types.js';
import type { TrainBatch } from './method.js';

/** Rows of a row-major host matrix with `width` columns, copied into one new row-major array. */
export function copyRows(source: Float32Array, width: number, rows: ArrayLike<number>): Float32Array {
  const copy = new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) copy.set(source.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
  return copy;
}

/** Copies the given rows of a data set into batch tensors (the caller disposes them with `disposeBatch`). */
export function makeBatch(data: EncodedDataset, rows: Int32Array, stepSeed: number, weights?: Float32Array): TrainBatch {
  const d = data.nFeatures;
  const features = copyRows(data.X, d, rows);
  const labels = new Uint8Array(rows.length);
  const groups = new Int32Array(rows.length);
  const labelValues = new Float32Array(rows.length);
  const batchWeights = weights ? new Float32Array(rows.length) : undefined;
  const clusters = data.clusters ? new Int32Array(rows.length) : undefined;
  const targets = data.targets ? new Float32Array(rows.length) : undefined;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    labels[i] = data.y[row];
    labelValues[i] = data.y[row];
    groups[i] = data.groups.ids[row];
    if (batchWeights) batchWeights[i] = weights![row];
    if (clusters) clusters[i] = data.clusters![row];
    if (targets) targets[i] = data.targets![row];
  }
  return {
    x: tf.tensor2d(features, [rows.length, d]),
    features,
    y: tf.tensor1d(labelValues),
    weights: batchWeights ? tf.tensor1d(batchWeights) : undefined,
    ...(targets ? { targets: tf.tensor1d(targets), targetValues: targets } : {}),
    labels,
    groups,
    ...(clusters ? { clusters } : {}),
    stepSeed,
  };
}

/** A batch's features on the host: the array it carries, else `x` read back (a batch built from a tensor alone). */
export function hostFeatures(batch: Pick<TrainBatch, 'x' | 'features'>): Float32Array {
  return batch.features ?? (batch.x.dataSync() as Float32Array);
}

export function disposeBatch(batch: TrainBatch): void {
  batch.x.dispose();
  batch.y.dispose();
  batch.weights?.dispose();
  batch.targets?.dispose();
}

/** The standard step body: minimise a scalar loss over the model's variables with the optimiser. */
export function minimizeLoss(optimizer: tf.Optimizer, variables: tf.Variable[], loss: () => tf.Scalar): number {
  const value = optimizer.minimize(loss, true, variables);
  const result = value!.dataSync()[0];
  value!.dispose();
  return result;
}

import * as tf from '@tensorflow/tfjs';
import type { EncodedDataset } from '../data/types.js';
import type { TrainBatch } from '../methods/method.js';
/** Copies the given rows of a data set into batch tensors (the caller disposes them with `disposeBatch`). */
export declare function makeBatch(data: EncodedDataset, rows: Int32Array, dropoutSeed: number, weights?: Float32Array): TrainBatch;
export declare function disposeBatch(batch: TrainBatch): void;
/** The standard step body: minimise a scalar loss over the model's variables with the optimiser. */
export declare function minimizeLoss(optimizer: tf.Optimizer, variables: tf.Variable[], loss: () => tf.Scalar): number;

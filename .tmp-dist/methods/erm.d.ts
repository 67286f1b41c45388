import * as tf from '@tensorflow/tfjs';
import type { FairnessMethod } from './method.js';
/** Empirical risk minimisation: the task loss alone, the baseline every method is compared with. */
export declare const erm: FairnessMethod<Record<string, never>>;
/** The task loss of a batch on logits [b, 1], weighted when the batch carries sample weights. */
export declare function taskLoss(logits: tf.Tensor2D, batch: {
    y: tf.Tensor1D;
    weights?: tf.Tensor1D;
}): tf.Scalar;

/**
 * The method contract. It belongs to the loop (train/), and methods import it, never the reverse. A method is a set
 * of optional parts; the loop owns everything else: the model's forward call (group, cluster ids and the step seed
 * always passed), the weighted task loss, batching, optimisers and their schedules, callbacks and evaluation.
 *
 * - data-level parts: `sampler` (how batches are drawn), `sampleWeights` (row weights in the task loss);
 * - `model`: a transform of the base model the loop builds (e.g. insert GroupMixNorm layers);
 * - `penalty`: a term the loop adds to the task loss, times the method's `strength` parameter;
 * - `players`: further networks with their own optimisers (adversaries), updated around the main network's step,
 *   and `combine`, how the main network's gradient is formed from its task gradient and the players' losses;
 * - `step`: the escape hatch for updates that fit none of the above (double-backprop penalties over per-cell
 *   forward passes);
 * - `check`: refuse data or parameters that cannot work, before any training.
 */
import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { EncodedDataset, Task } from '../data/types.js';
import type { Model, ModelInputs, ModelOutputs } from '../nn/model.js';
import type { Rng } from '../rng.js';
import type { Schedule } from './schedules.js';

/** One training batch: tensors for the model plus host copies of labels, groups and clusters for masks and cells. */
export interface TrainBatch {
  x: tf.Tensor2D;
  /**
   * The same features as `x`, row-major on the host (the array `x` was made from), so the host-side splits of a
   * batch need not read `x` back. Read-only: `x` does not follow changes to it. Absent when a caller built the batch
   * from a tensor alone; `hostFeatures` then reads `x`.
   */
  features?: Float32Array;
  /** Float 0/1 labels, shape [b] (regression: whether the target lies above the training median). */
  y: tf.Tensor1D;
  /** Regression: the standardised targets, shape [b]. */
  targets?: tf.Tensor1D;
  /** Regression: the same targets on the host, passed to the model's forward call. */
  targetValues?: Float32Array;
  /** Per-row loss weights, shape [b], averaging 1 over the training split, when the run has sample weights. */
  weights?: tf.Tensor1D;
  labels: Uint8Array;
  groups: Int32Array;
  clusters?: Int32Array;
  /** Seed of this step's random draws (dropout masks, GroupMixNorm mixes). */
  stepSeed: number;
}

export type SamplerKind = 'shuffle' | 'balanced';

/** Named loss values of one step, each a batch mean; `total` is what the main network minimised. */
export type LossRecord = { total: number } & Record<string, number>;

/** What the parts of a method may use during one run. */
export interface StepContext<P> {
  params: P;
  model: Model;
  train: EncodedDataset;
  nGroups: number;
  /** A stream of the run's seeded randomness for the method's own draws. */
  rng: Rng;
  /** The loop's training-mode forward call on some rows (a batch, or a subset of it with its own ids). */
  forward(inputs: ModelInputs, stepSeed: number): ModelOutputs;
  /** The loop's forward call on a whole batch (its groups, clusters and step seed). */
  forwardBatch(batch: TrainBatch): ModelOutputs;
  /**
   * The task loss of outputs on a batch, weighted by the batch's weights: binary cross-entropy on the logits, or for
   * regression the squared error or Huber loss of the output against the standardised target.
   */
  taskLoss(outputs: ModelOutputs, batch: TrainBatch): tf.Scalar;
}

/** Extra context of the escape-hatch step: it updates the model itself. */
export interface FullStepContext<P> extends StepContext<P> {
  optimizer: tf.Optimizer;
}

/** The penalty of a batch given the main network's outputs on it; null when the batch offers nothing to compare. */
export type Penalty = (outputs: ModelOutputs, batch: TrainBatch) => tf.Scalar | null;

/** A network trained alongside the main one (an adversary), with its own optimiser. */
export interface Player {
  name: string;
  variables: tf.Variable[];
  optimizer: { kind: 'adam' | 'sgd'; learningRate: number; schedule?: Schedule };
  /** Its updates per batch, made before the main network's update on the batch's outputs (constants to it). */
  steps: number;
  /** The player's own loss, from the main network's outputs on the batch. */
  loss(outputs: ModelOutputs, batch: TrainBatch): tf.Scalar;
  dispose(): void;
}

/** Flattened gradients over the main network's variables: of the task loss and of each player's loss. */
export interface MainGradients {
  task: tf.Tensor1D;
  players: Record<string, tf.Tensor1D>;
}

/** A method's whole per-batch update, for updates the parts above cannot express. */
export interface TrainingStep {
  run(batch: TrainBatch): LossRecord;
  dispose(): void;
}

export interface Needs {
  /** Group ids at prediction (else predictions fall back to group-free statistics). */
  groups?: boolean;
  /** Cluster ids in training (and at prediction, where unseen clusters fall back). */
  clusters?: boolean;
  /** Labels as a model input at prediction. */
  labelsAtPredict?: boolean;
}

export interface Method<P extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  /** One line for `fairkit methods`. */
  summary: string;
  /** Parameter schema with defaults; `parse({})` gives the defaults. Unknown keys are rejected. */
  params: z.ZodType<P>;
  /** Human-readable description of each parameter, for `fairkit methods`. */
  paramDocs: Record<keyof P & string, string>;
  /** The parameter a sweep varies (and the penalty's weight); absent when the method has no strength. */
  strength?: keyof P & string;
  needs?: Needs;
  /**
   * What it needs of the sensitive groups in training: 'none' (it does not read them), 'marginal' (each attribute's
   * values, e.g. one fairness head per attribute). Absent: every intersection group, which `--groups marginal`
   * (a training split where an intersection may have no rows) refuses.
   */
  trainingGroups?: 'none' | 'marginal';
  /** The tasks it trains for (default: classification only); fit refuses the others naming the method. */
  tasks?: readonly Task[];
  /** Whether the method honours row weights (default true); one that does not refuses them with a clear error. */
  acceptsSampleWeights?: boolean;
  sampler?(params: P): SamplerKind;
  sampleWeights?(train: EncodedDataset, params: P): Float32Array;
  /**
   * Transforms the base model the loop built, taking it over: returns it, a model that wraps it (and disposes it with
   * itself), or a new model (and then disposes the base).
   */
  model?(base: Model, params: P, train: EncodedDataset): Model;
  penalty?(context: StepContext<P>): Penalty;
  players?(context: StepContext<P>): Player[];
  /** The main network's update direction from its gradients (default: task − strength · Σ players). */
  combine?(gradients: MainGradients, params: P): tf.Tensor1D;
  step?(context: FullStepContext<P>): TrainingStep;
  /** Raises a FairkitError when the data or parameters cannot work (before any training). */
  check?(train: EncodedDataset, params: P): void;
}

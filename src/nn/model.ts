/**
 * The model contract every method trains and every prediction path reads. A model takes named inputs (features,
 * and the group, cluster and label ids of the rows where it uses them) and returns named heads: `logits` always,
 * others (e.g. fixed- and mixed-effects outputs) where the kind has them. Models are plain named tf.Variables
 * with a functional forward pass, so methods can differentiate through them twice (GCM, IGA, FairMixup).
 *
 * A kind is registered by name (model-kinds.ts); its `config` is JSON and, with the weights in `weights` order,
 * rebuilds the model exactly, which is all saving and loading need.
 */
import type * as tf from '@tensorflow/tfjs';

export interface NamedWeight {
  name: string;
  variable: tf.Variable;
}

/** What a forward pass reads. Ids are host arrays with one entry per row of `x`; a model ignores those it does not use. */
export interface ModelInputs {
  x: tf.Tensor2D;
  groups?: Int32Array;
  clusters?: Int32Array;
  labels?: Uint8Array;
  /** Regression, in training: the rows' standardised targets (the F-Layer's EER constraint reads them). */
  targets?: Float32Array;
}

export interface ForwardOptions {
  /** Training mode switches dropout and batch-statistics layers on. */
  training?: boolean;
  /** Seed of this call's random draws (dropout masks, GroupMixNorm mixes); required in training mode when the model draws. */
  stepSeed?: number;
}

/** Named outputs, each [rows, outputDim]; `logits` is always there. */
export type ModelOutputs = { logits: tf.Tensor2D } & Record<string, tf.Tensor2D>;

/** What every kind's config holds; the rest is the kind's own. */
export interface ModelConfig {
  kind: string;
  inputDim: number;
  outputDim: number;
}

/** `forward` with the ids as options, returning the logits: the shorthand methods use for a batch of rows. */
export interface ApplyOptions extends ForwardOptions {
  groups?: Int32Array;
  clusters?: Int32Array;
}

export interface Model<C extends ModelConfig = ModelConfig> {
  /** The saved description: kind and everything needed to rebuild the model with its weights. */
  readonly config: C;
  /** Every saved tensor in a fixed order (trainable or not, e.g. GroupMixNorm's running statistics). */
  readonly weights: NamedWeight[];
  /** The trained tensors. */
  readonly variables: tf.Variable[];
  forward(inputs: ModelInputs, options?: ForwardOptions): ModelOutputs;
  /** The logits of `x`; does not dispose `x`. */
  apply(x: tf.Tensor2D, options?: ApplyOptions): tf.Tensor2D;
  /**
   * The last hidden layer's activations at inference (no dropout), [rows, units]: the input of the output layer,
   * which `fairkit predict --embeddings` writes. It reads the same inputs as `forward` (a GroupMixNorm MLP's layer
   * depends on each row's group). Only kinds that have one implement it; does not dispose `inputs.x`.
   */
  lastHidden?(inputs: ModelInputs): tf.Tensor2D;
  /** With `lastHidden`: its number of units, known from the config before any pass. */
  readonly lastHiddenUnits?: number;
  /** With `lastHidden`: true when every row needs a group id (≥ 0) for it, because the layer normalises by group. */
  readonly lastHiddenNeedsGroups?: boolean;
  dispose(): void;
}

/** The inputs of `apply`'s options, for kinds that implement apply through forward. */
export function inputsOf(x: tf.Tensor2D, options: ApplyOptions): ModelInputs {
  return { x, groups: options.groups, clusters: options.clusters };
}

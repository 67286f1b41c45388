/**
 * A small functional multilayer perceptron. Design decisions:
 *
 * - Not a tf.layers model: methods take tf.grads / tf.variableGrads through the forward pass and
 *   differentiate gradients again (GCM, IGA, FairMixup), which is simplest over plain named
 *   tf.Variables and a pure `apply(x) → logits`.
 * - Kernels are stored [in, out] so the forward pass is x·W + b with a plain matMul: transposed
 *   matMuls are ≈12× slower on wasm, and tf.fused.matMul's gradient uses them.
 * - Initialisation is PyTorch's nn.Linear default, kernel and bias ~ U(−1/√fan_in, 1/√fan_in), because
 *   the reference implementations of the methods are PyTorch. The arrays are filled from the project Rng
 *   layer by layer (kernel row-major, then bias), so a seed gives the same weights on every backend.
 * - Dropout is inverted dropout after every hidden activation; its masks come from Rng(dropoutSeed), so
 *   a training step is reproducible when the trainer passes a fresh seed per step.
 * - Activations: relu, leakyRelu (slope 0.01, PyTorch's default), tanh, sigmoid; all have exact
 *   second derivatives once the gradient fixes are registered.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng.js';
export declare const ACTIVATIONS: readonly ["relu", "leakyRelu", "tanh", "sigmoid"];
export type Activation = (typeof ACTIVATIONS)[number];
export interface MlpConfig {
    inputDim: number;
    hidden: number[];
    activation: Activation;
    /** Drop probability after each hidden activation, in [0, 1); default 0. */
    dropout?: number;
    /** Number of logits; default 1 (binary). */
    outputDim?: number;
    seed: number;
}
/** The architecture as saved: the config with every default filled in. */
export type MlpArchitecture = Required<MlpConfig> & {
    kind: 'mlp';
};
export interface NamedWeight {
    name: string;
    variable: tf.Variable;
}
export interface ApplyOptions {
    /** Training mode switches dropout on. */
    training?: boolean;
    /** Seed of this call's dropout masks; required when training with dropout > 0. */
    dropoutSeed?: number;
    /** Group id of each row, for models that use it (GroupMixNorm); a plain MLP ignores it. */
    groups?: Int32Array;
}
export interface Mlp {
    readonly architecture: MlpArchitecture;
    /** dense0/kernel, dense0/bias, dense1/kernel, … in layer order. */
    readonly weights: NamedWeight[];
    readonly variables: tf.Variable[];
    /** Logits [n, outputDim] for a batch x [n, inputDim]. Does not dispose x. */
    apply(x: tf.Tensor2D, options?: ApplyOptions): tf.Tensor2D;
    /** Logits for row-major rows, computed in batches: nRows·outputDim values. */
    predictLogits(X: Float32Array, nRows: number, batchSize?: number, groups?: Int32Array): Float32Array;
    /** Probabilities: sigmoid for one output, softmax per row for several. */
    predictProba(X: Float32Array, nRows: number, batchSize?: number, groups?: Int32Array): Float32Array;
    dispose(): void;
}
/** Builds an MLP with seeded PyTorch-default initial weights. */
export declare function buildMlp(config: MlpConfig): Mlp;
/** Builds an MLP from an architecture and weight arrays in `weights` order (used by loading). */
export declare function createMlp(saved: MlpArchitecture, arrays: Float32Array[]): Mlp;
export declare function activate(h: tf.Tensor2D, activation: Activation): tf.Tensor2D;
export declare function dropoutMask(shape: number[], rate: number, rng: Rng): tf.Tensor;

/**
 * A small functional multilayer perceptron (model kind 'mlp'). Design decisions:
 *
 * - Not a tf.layers model: methods take tf.grads / tf.variableGrads through the forward pass and
 *   differentiate gradients again (GCM, IGA, FairMixup), which is simplest over plain named
 *   tf.Variables and a pure `forward({ x }) → { logits }`.
 * - Kernels are stored [in, out] so the forward pass is x·W + b with a plain matMul: transposed
 *   matMuls are ≈12× slower on wasm, and tf.fused.matMul's gradient uses them.
 * - Initialisation is PyTorch's nn.Linear default, kernel and bias ~ U(−1/√fan_in, 1/√fan_in), because
 *   the reference implementations of the methods are PyTorch. The arrays are filled from the project Rng
 *   layer by layer (kernel row-major, then bias), so a seed gives the same weights on every backend.
 * - Dropout is inverted dropout after every hidden activation; its masks come from Rng(stepSeed), so
 *   a training step is reproducible when the trainer passes a fresh seed per step.
 * - Activations: relu, leakyRelu (slope 0.01, PyTorch's default), tanh, sigmoid; all have exact
 *   second derivatives once the gradient fixes are registered.
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { inputsOf, type ApplyOptions, type ForwardOptions, type Model, type ModelInputs, type NamedWeight } from './model.js';

export const ACTIVATIONS = ['relu', 'leakyRelu', 'tanh', 'sigmoid'] as const;
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
export type MlpArchitecture = Required<MlpConfig> & { kind: 'mlp' };

/** A plain MLP: the base model of every tabular method. */
export type Mlp = Model<MlpArchitecture>;

/** Builds an MLP with seeded PyTorch-default initial weights. */
export function buildMlp(config: MlpConfig): Mlp {
  const architecture = normaliseConfig(config);
  return createMlp(architecture, initialWeights(architecture));
}

/** Builds an MLP from an architecture and weight arrays in `weights` order (used by loading). */
export function createMlp(saved: MlpArchitecture, arrays: Float32Array[]): Mlp {
  if (saved?.kind !== 'mlp') throw new FairkitError(`unknown model kind "${saved?.kind}"`, { where: 'MLP architecture' });
  const architecture = normaliseConfig(saved);
  const shapes = weightShapes(architecture);
  if (arrays.length !== shapes.length) {
    throw new FairkitError(`expected ${shapes.length} weight arrays, got ${arrays.length}`, { where: 'MLP weights' });
  }
  const weights = shapes.map(({ name, shape }, i) => {
    const expected = shape.reduce((a, b) => a * b, 1);
    if (arrays[i].length !== expected) {
      throw new FairkitError(`${name} has ${arrays[i].length} values, expected ${expected}`, { where: 'MLP weights' });
    }
    // tf.variable shares the initial tensor's data but does not own the tensor: dispose it, or it leaks.
    const initial = tf.tensor(arrays[i], shape);
    const variable = tf.variable(initial, true);
    initial.dispose();
    return { name, variable };
  });
  return new FunctionalMlp(architecture, weights);
}

class FunctionalMlp implements Mlp {
  readonly variables: tf.Variable[];

  constructor(
    readonly config: MlpArchitecture,
    readonly weights: NamedWeight[],
  ) {
    this.variables = weights.map((w) => w.variable);
  }

  forward({ x }: ModelInputs, options: ForwardOptions = {}): { logits: tf.Tensor2D } {
    const { hidden, dropout, activation } = this.config;
    const useDropout = options.training === true && dropout > 0;
    if (useDropout && options.stepSeed === undefined) {
      throw new Error('MLP forward: training with dropout needs a stepSeed');
    }
    return {
      logits: tf.tidy(() => {
        const rng = useDropout ? new Rng(options.stepSeed!) : null;
        let h: tf.Tensor2D = x;
        for (let layer = 0; layer <= hidden.length; layer++) {
          const kernel = this.variables[2 * layer];
          const bias = this.variables[2 * layer + 1];
          h = tf.add(tf.matMul(h, kernel), bias);
          if (layer === hidden.length) break;
          h = activate(h, activation);
          if (rng !== null) h = tf.mul(h, dropoutMask(h.shape, dropout, rng));
        }
        return h;
      }),
    };
  }

  apply(x: tf.Tensor2D, options: ApplyOptions = {}): tf.Tensor2D {
    return this.forward(inputsOf(x, options), options).logits;
  }

  get lastHiddenUnits(): number {
    return this.config.hidden.at(-1) ?? 0;
  }

  lastHidden({ x }: ModelInputs): tf.Tensor2D {
    const { hidden, activation } = this.config;
    if (hidden.length === 0) throw new FairkitError('the MLP has no hidden layer (hidden: [])', { where: 'last hidden layer', fix: 'Train it with at least one hidden layer' });
    return tf.tidy(() => {
      let h: tf.Tensor2D = x;
      for (let layer = 0; layer < hidden.length; layer++) h = activate(tf.add(tf.matMul(h, this.variables[2 * layer]), this.variables[2 * layer + 1]), activation);
      return h;
    });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

export function activate(h: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case 'relu':
      return tf.relu(h);
    case 'leakyRelu':
      return tf.leakyRelu(h, 0.01);
    case 'tanh':
      return tf.tanh(h);
    case 'sigmoid':
      return tf.sigmoid(h);
  }
}

export function dropoutMask(shape: number[], rate: number, rng: Rng): tf.Tensor {
  const mask = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const keptScale = 1 / (1 - rate);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() < rate ? 0 : keptScale;
  return tf.tensor(mask, shape);
}

function weightShapes(architecture: MlpArchitecture): { name: string; shape: number[]; fanIn: number }[] {
  const sizes = [architecture.inputDim, ...architecture.hidden, architecture.outputDim];
  return sizes.slice(1).flatMap((fanOut, layer) => [
    { name: `dense${layer}/kernel`, shape: [sizes[layer], fanOut], fanIn: sizes[layer] },
    { name: `dense${layer}/bias`, shape: [fanOut], fanIn: sizes[layer] },
  ]);
}

function initialWeights(architecture: MlpArchitecture): Float32Array[] {
  const rng = new Rng(architecture.seed);
  return weightShapes(architecture).map(({ shape, fanIn }) => {
    const bound = 1 / Math.sqrt(fanIn);
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = (2 * rng.uniform() - 1) * bound;
    return values;
  });
}

function normaliseConfig(config: MlpConfig): MlpArchitecture {
  const where = 'MLP config';
  const isSize = (n: unknown) => Number.isInteger(n) && (n as number) > 0;
  if (!isSize(config.inputDim)) throw new FairkitError(`inputDim must be a positive integer, got ${config.inputDim}`, { where });
  if (!Array.isArray(config.hidden) || !config.hidden.every(isSize)) {
    throw new FairkitError(`hidden must be a list of positive integers, got ${JSON.stringify(config.hidden)}`, { where });
  }
  if (!ACTIVATIONS.includes(config.activation)) {
    throw new FairkitError(`unknown activation "${config.activation}"`, { where, fix: `Use one of ${ACTIVATIONS.join(', ')}` });
  }
  const dropout = config.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new FairkitError(`dropout must be in [0, 1), got ${dropout}`, { where });
  const outputDim = config.outputDim ?? 1;
  if (!isSize(outputDim)) throw new FairkitError(`outputDim must be a positive integer, got ${outputDim}`, { where });
  if (!Number.isInteger(config.seed)) throw new FairkitError(`seed must be an integer, got ${config.seed}`, { where });
  return {
    kind: 'mlp',
    inputDim: config.inputDim,
    hidden: [...config.hidden],
    activation: config.activation,
    dropout,
    outputDim,
    seed: config.seed,
  };
}

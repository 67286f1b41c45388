/**
 * A small CNN for image rows (the Colored MNIST case), optionally with GroupMixNorm after conv blocks (per-channel
 * statistics over rows and positions, [B, H, W, C]). Rows arrive flattened [B, H·W·C] (channels last), so the
 * model (kind 'patch-cnn') plugs into the same training loop, methods, metrics and save/load as the MLP.
 *
 * - Each block is a convolution whose kernel equals its stride ("patchify": p × p patches, no overlap), then ReLU,
 *   then GroupMixNorm where configured; the head is a dense layer on the flattened last feature map. Overlapping
 *   kernels are out of reach on the wasm backend: it has no Conv2DBackpropFilter kernel, its Conv3D route takes ≈2 s
 *   per step of 250 images, and im2col by slices ≈0.7 s (measured here), whereas a patch convolution is one reshape,
 *   one transpose and one plain matMul.
 * - Initialisation as PyTorch's Conv2d / Linear defaults: U(−1/√fan_in, 1/√fan_in), from the project Rng.
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { GroupMixNormUnit, resolveSettings, unitWeightSpecs, type GroupMixNormSettings } from './group-mix-norm-unit.js';
import { inputsOf, type ApplyOptions, type ForwardOptions, type Model, type ModelInputs, type NamedWeight } from './model.js';

export interface PatchCnnConfig {
  height: number;
  width: number;
  channels: number;
  /** Conv blocks in order: patch size p (kernel = stride = p) and number of filters. */
  blocks: { patch: number; filters: number }[];
  seed: number;
  /** GroupMixNorm after the ReLU of the listed blocks (default: every block). */
  groupMixNorm?: { nGroups: number; blocks?: number[]; settings?: Partial<GroupMixNormSettings> };
}

export interface PatchCnnArchitecture extends PatchCnnConfig {
  kind: 'patch-cnn';
  inputDim: number;
  outputDim: 1;
}

/** A fresh model with seeded weights. */
export function buildPatchCnn(config: PatchCnnConfig): Model<PatchCnnArchitecture> {
  return createPatchCnn(config);
}

/**
 * The model from a config, with `arrays` (in `weights` order, as saved) or else seeded initial weights. A saved
 * config carries kind, inputDim and outputDim besides the PatchCnnConfig; they are recomputed here.
 */
export function createPatchCnn(config: PatchCnnConfig, arrays?: Float32Array[]): Model<PatchCnnArchitecture> {
  const where = 'patch CNN config';
  const shapes: { height: number; width: number; channels: number }[] = [{ height: config.height, width: config.width, channels: config.channels }];
  for (const [i, { patch, filters }] of config.blocks.entries()) {
    const input = shapes[i];
    if (!(Number.isInteger(patch) && patch > 0 && input.height % patch === 0 && input.width % patch === 0)) {
      throw new FairkitError(`block ${i}: patch ${patch} does not divide its ${input.height} × ${input.width} input`, { where });
    }
    if (!(Number.isInteger(filters) && filters > 0)) throw new FairkitError(`block ${i}: filters must be a positive integer, got ${filters}`, { where });
    shapes.push({ height: input.height / patch, width: input.width / patch, channels: filters });
  }
  const gmnBlocks = config.groupMixNorm ? [...new Set(config.groupMixNorm.blocks ?? config.blocks.map((_, i) => i))].sort((a, b) => a - b) : [];
  if (gmnBlocks.some((b) => !Number.isInteger(b) || b < 0 || b >= config.blocks.length)) {
    throw new FairkitError(`groupMixNorm blocks ${JSON.stringify(gmnBlocks)} must be block indices below ${config.blocks.length}`, { where });
  }
  const settings = config.groupMixNorm ? resolveSettings(config.groupMixNorm.settings ?? {}, where) : undefined;
  const unitShape = (block: number) => ({ nGroups: config.groupMixNorm!.nGroups, channels: config.blocks[block].filters });
  const last = shapes[shapes.length - 1];
  const flat = last.height * last.width * last.channels;
  const specs = [
    ...config.blocks.flatMap(({ patch, filters }, i) => {
      const fanIn = patch * patch * shapes[i].channels;
      return [
        { name: `conv${i}/kernel`, shape: [fanIn, filters], fanIn },
        { name: `conv${i}/bias`, shape: [filters], fanIn },
      ];
    }),
    { name: 'head/kernel', shape: [flat, 1], fanIn: flat },
    { name: 'head/bias', shape: [1], fanIn: flat },
  ];
  const perUnit = gmnBlocks.map((b) => unitWeightSpecs(unitShape(b), settings!));
  if (arrays) checkSavedArrays(arrays, [...specs, ...perUnit.flat()]);
  const rng = new Rng(config.seed);
  const weights: NamedWeight[] = specs.map(({ name, shape, fanIn }, i) => {
    const bound = 1 / Math.sqrt(fanIn);
    const values = arrays ? arrays[i] : Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (2 * rng.uniform() - 1) * bound);
    // tf.variable shares the initial tensor's data but does not own the tensor: dispose it, or it leaks.
    const initial = tf.tensor(values, shape);
    const variable = tf.variable(initial, true);
    initial.dispose();
    return { name, variable };
  });
  let offset = specs.length;
  const units = new Map(
    gmnBlocks.map((b, u) => {
      const unitArrays = arrays?.slice(offset, (offset += perUnit[u].length));
      return [b, new GroupMixNormUnit(`gmn${b}`, unitShape(b), settings!, unitArrays)];
    }),
  );
  const { kind: _kind, inputDim: _inputDim, outputDim: _outputDim, ...plain } = config as PatchCnnArchitecture;
  const architecture: PatchCnnArchitecture = { ...plain, kind: 'patch-cnn', inputDim: config.height * config.width * config.channels, outputDim: 1 };
  return new PatchCnn(architecture, weights, units, shapes);
}

function checkSavedArrays(arrays: Float32Array[], specs: { name: string; shape: number[] }[]): void {
  const where = 'patch CNN weights';
  if (arrays.length !== specs.length) throw new FairkitError(`expected ${specs.length} weight arrays, got ${arrays.length}`, { where });
  specs.forEach(({ name, shape }, i) => {
    const size = shape.reduce((a, b) => a * b, 1);
    if (arrays[i].length !== size) throw new FairkitError(`${name} has ${arrays[i].length} values, expected ${size}`, { where });
  });
}

class PatchCnn implements Model<PatchCnnArchitecture> {
  readonly weights: NamedWeight[];
  readonly variables: tf.Variable[];

  constructor(
    readonly config: PatchCnnArchitecture,
    private readonly parameters: NamedWeight[],
    private readonly units: Map<number, GroupMixNormUnit>,
    private readonly shapes: { height: number; width: number; channels: number }[],
  ) {
    this.weights = [...parameters, ...[...units.values()].flatMap((u) => u.weights)];
    this.variables = [...parameters.map((w) => w.variable), ...[...units.values()].flatMap((u) => u.trainable)];
  }

  forward({ x, groups }: ModelInputs, options: ForwardOptions = {}): { logits: tf.Tensor2D } {
    const training = options.training === true;
    if (training && this.units.size > 0 && options.stepSeed === undefined) throw new Error('patch CNN forward: training with GroupMixNorm needs a stepSeed');
    const logits = tf.tidy(() => {
      const mixRng = training && this.units.size > 0 ? new Rng(options.stepSeed!).fork() : undefined;
      const rows = x.shape[0];
      const { height, width, channels } = this.shapes[0];
      let h: tf.Tensor = tf.reshape(x, [rows, height, width, channels]);
      this.config.blocks.forEach(({ patch, filters }, i) => {
        const input = this.shapes[i];
        const out = this.shapes[i + 1];
        const patches = tf.reshape(
          tf.transpose(tf.reshape(h, [rows, out.height, patch, out.width, patch, input.channels]), [0, 1, 3, 2, 4, 5]),
          [rows * out.height * out.width, patch * patch * input.channels],
        );
        const conv = tf.add(tf.matMul(patches, this.parameters[2 * i].variable), this.parameters[2 * i + 1].variable);
        h = tf.relu(tf.reshape(conv, [rows, out.height, out.width, filters]));
        const unit = this.units.get(i);
        if (unit) h = unit.apply(h, { training, groups, rng: mixRng });
      });
      const head = this.parameters.length - 2;
      return tf.add(tf.matMul(tf.reshape(h, [rows, -1]), this.parameters[head].variable), this.parameters[head + 1].variable) as tf.Tensor2D;
    });
    return { logits };
  }

  apply(x: tf.Tensor2D, options: ApplyOptions = {}): tf.Tensor2D {
    return this.forward(inputsOf(x, options), options).logits;
  }

  dispose(): void {
    for (const w of this.weights) w.variable.dispose();
  }
}

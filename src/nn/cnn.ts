/**
 * A small CNN for image rows (the Colored MNIST case), optionally with GroupMixNorm after conv blocks (per-channel
 * statistics over rows and positions, [B, H, W, C]). Rows arrive flattened [B, H·W·C] (channels last), so the
 * model plugs into the same training loop, methods and metrics as the MLP (it implements the Mlp interface).
 *
 * - Each block is a convolution whose kernel equals its stride ("patchify": p × p patches, no overlap), then ReLU,
 *   then GroupMixNorm where configured; the head is a dense layer on the flattened last feature map. Overlapping
 *   kernels are out of reach on the wasm backend: it has no Conv2DBackpropFilter kernel, its Conv3D route takes ≈2 s
 *   per step of 250 images, and im2col by slices ≈0.7 s (measured here), whereas a patch convolution is one reshape,
 *   one transpose and one plain matMul.
 * - Initialisation as PyTorch's Conv2d / Linear defaults: U(−1/√fan_in, 1/√fan_in), from the project Rng.
 * - Not saveable yet: `architecture` carries kind 'patch-cnn', which loadModel does not know (the Mlp interface
 *   types it as an MLP architecture; see the cast below).
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { GroupMixNormUnit, resolveSettings, type GroupMixNormSettings } from './group-mix-norm-unit.js';
import type { ApplyOptions, Mlp, MlpArchitecture, NamedWeight } from './mlp.js';

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

const PREDICT_BATCH = 1024;

export function buildPatchCnn(config: PatchCnnConfig): Mlp {
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
  const rng = new Rng(config.seed);
  const weights: NamedWeight[] = [];
  const add = (name: string, shape: number[], fanIn: number) => {
    const bound = 1 / Math.sqrt(fanIn);
    const initial = tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (2 * rng.uniform() - 1) * bound), shape);
    weights.push({ name, variable: tf.variable(initial, true) });
    initial.dispose();
  };
  config.blocks.forEach(({ patch, filters }, i) => {
    const fanIn = patch * patch * shapes[i].channels;
    add(`conv${i}/kernel`, [fanIn, filters], fanIn);
    add(`conv${i}/bias`, [filters], fanIn);
  });
  const last = shapes[shapes.length - 1];
  const flat = last.height * last.width * last.channels;
  add('head/kernel', [flat, 1], flat);
  add('head/bias', [1], flat);
  const settings = config.groupMixNorm ? resolveSettings(config.groupMixNorm.settings ?? {}, where) : undefined;
  const units = new Map(gmnBlocks.map((b) => [b, new GroupMixNormUnit(`gmn${b}`, { nGroups: config.groupMixNorm!.nGroups, channels: config.blocks[b].filters }, settings!)]));
  const architecture: PatchCnnArchitecture = { ...config, kind: 'patch-cnn', inputDim: config.height * config.width * config.channels, outputDim: 1 };
  return new PatchCnn(architecture, weights, units, shapes);
}

class PatchCnn implements Mlp {
  /** The Mlp interface types this as an MLP architecture; it is a PatchCnnArchitecture (kind 'patch-cnn'). */
  readonly architecture: MlpArchitecture;
  readonly weights: NamedWeight[];
  readonly variables: tf.Variable[];

  constructor(
    private readonly cnn: PatchCnnArchitecture,
    private readonly parameters: NamedWeight[],
    private readonly units: Map<number, GroupMixNormUnit>,
    private readonly shapes: { height: number; width: number; channels: number }[],
  ) {
    this.architecture = cnn as unknown as MlpArchitecture;
    this.weights = [...parameters, ...[...units.values()].flatMap((u) => u.weights)];
    this.variables = [...parameters.map((w) => w.variable), ...[...units.values()].flatMap((u) => u.trainable)];
  }

  apply(x: tf.Tensor2D, options: ApplyOptions = {}): tf.Tensor2D {
    const training = options.training === true;
    if (training && this.units.size > 0 && options.dropoutSeed === undefined) throw new Error('patch CNN apply: training with GroupMixNorm needs a dropoutSeed');
    return tf.tidy(() => {
      const mixRng = training && this.units.size > 0 ? new Rng(options.dropoutSeed!).fork() : undefined;
      const rows = x.shape[0];
      const { height, width, channels } = this.shapes[0];
      let h: tf.Tensor = tf.reshape(x, [rows, height, width, channels]);
      this.cnn.blocks.forEach(({ patch, filters }, i) => {
        const input = this.shapes[i];
        const out = this.shapes[i + 1];
        const patches = tf.reshape(
          tf.transpose(tf.reshape(h, [rows, out.height, patch, out.width, patch, input.channels]), [0, 1, 3, 2, 4, 5]),
          [rows * out.height * out.width, patch * patch * input.channels],
        );
        const conv = tf.add(tf.matMul(patches, this.parameters[2 * i].variable), this.parameters[2 * i + 1].variable);
        h = tf.relu(tf.reshape(conv, [rows, out.height, out.width, filters]));
        const unit = this.units.get(i);
        if (unit) h = unit.apply(h, { training, groups: options.groups, rng: mixRng });
      });
      const head = this.parameters.length - 2;
      return tf.add(tf.matMul(tf.reshape(h, [rows, -1]), this.parameters[head].variable), this.parameters[head + 1].variable) as tf.Tensor2D;
    });
  }

  predictLogits(X: Float32Array, nRows: number, batchSize = PREDICT_BATCH, groups?: Int32Array): Float32Array {
    return this.batched(X, nRows, batchSize, groups, false);
  }

  predictProba(X: Float32Array, nRows: number, batchSize = PREDICT_BATCH, groups?: Int32Array): Float32Array {
    return this.batched(X, nRows, batchSize, groups, true);
  }

  dispose(): void {
    for (const w of this.weights) w.variable.dispose();
  }

  private batched(X: Float32Array, nRows: number, batchSize: number, groups: Int32Array | undefined, sigmoid: boolean): Float32Array {
    const { inputDim } = this.cnn;
    const where = 'patch CNN input';
    if (X.length !== nRows * inputDim) throw new FairkitError(`features have ${X.length} values, expected ${nRows} rows × ${inputDim}`, { where });
    if (groups !== undefined && groups.length !== nRows) throw new FairkitError(`${groups.length} group ids for ${nRows} rows`, { where });
    const out = new Float32Array(nRows);
    for (let start = 0; start < nRows; start += batchSize) {
      const rows = Math.min(batchSize, nRows - start);
      const logits = tf.tidy(() => {
        const z = this.apply(tf.tensor2d(X.subarray(start * inputDim, (start + rows) * inputDim), [rows, inputDim]), { groups: groups?.subarray(start, start + rows) });
        return sigmoid ? tf.sigmoid(z) : z;
      });
      out.set(logits.dataSync(), start);
      logits.dispose();
    }
    return out;
  }
}

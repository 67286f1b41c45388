/**
 * An MLP with GroupMixNorm layers after chosen hidden layers (model kind 'groupmixnorm-mlp'): the model of the
 * `groupmixnorm` method and of debiasing a trained MLP. Group ids come in as the `groups` input.
 *
 * - `config.base` is the dense stack (a plain MlpArchitecture, whose weights are named and initialised exactly as
 *   buildMlp's); `config` is the whole architecture written to model.json.
 * - `weights` lists every saved tensor: the dense weights, then per GroupMixNorm layer γ, β and the running
 *   statistics; `variables` only the trained ones (the running statistics are state, not parameters).
 * - In training mode `forward` needs `stepSeed`: the mixing weights of this call are drawn from it, so a step is
 *   reproducible; it also updates the running statistics (so call it in training mode once per optimiser step).
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { GroupMixNormUnit, GroupMoments, resolveSettings, unitWeightSpecs, type GroupMixNormSettings, type InferenceMix, type InferenceMode } from './group-mix-norm-unit.js';
import { activate, buildMlp, createMlp, dropoutMask, type Mlp, type MlpArchitecture, type MlpConfig } from './mlp.js';
import { inputsOf, type ApplyOptions, type ForwardOptions, type Model, type ModelInputs, type NamedWeight } from './model.js';

export const PLACEMENTS = ['postActivation', 'preActivation'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export interface GroupMixNormMlpArchitecture {
  kind: 'groupmixnorm-mlp';
  /** The dense stack's, repeated here as every model config has them. */
  inputDim: number;
  outputDim: number;
  base: MlpArchitecture;
  nGroups: number;
  /** Hidden layers (0-based) followed by a GroupMixNorm layer. */
  positions: number[];
  /** After the hidden layer's activation (default) or between its dense map and its activation (as BatchNorm often sits). */
  placement: Placement;
  settings: GroupMixNormSettings;
  /** Only γ and β are trained (the dense weights are frozen), e.g. when debiasing a trained model. */
  freezeBase: boolean;
}

export interface GroupMixNormOptions {
  nGroups: number;
  /** Default: every hidden layer. */
  positions?: number[];
  placement?: Placement;
  settings?: Partial<GroupMixNormSettings>;
  freezeBase?: boolean;
}

export interface GroupMixNormMlp extends Model<GroupMixNormMlpArchitecture> {
  /** Switches how inference normalises rows and what it re-projects onto (see group-mix-norm-unit.ts). */
  setInference(mode: InferenceMode, mix?: InferenceMix): void;
  /**
   * Sets the running statistics of every GroupMixNorm layer to the exact statistics of the given rows ("precise
   * BN"), layer after layer in inference mode; groups without rows keep theirs. Use it after inserting layers into a
   * trained model, or after training when the momentum averages lag behind the final weights.
   */
  calibrate(X: Float32Array, nRows: number, groups: Int32Array, batchSize?: number): void;
}

export function isGroupMixNormMlp(model: Model): model is GroupMixNormMlp {
  return model.config.kind === 'groupmixnorm-mlp';
}

/** A fresh model: seeded dense weights as buildMlp(config), GroupMixNorm layers at their initial state. */
export function buildGroupMixNormMlp(config: MlpConfig, options: GroupMixNormOptions): GroupMixNormMlp {
  const base = buildMlp(config);
  return assemble(resolveArchitecture(base.config, options), base);
}

/** Inserts GroupMixNorm layers into a trained MLP (its weights are copied; the original model is left as it is). */
export function insertGroupMixNorm(trained: Model, options: GroupMixNormOptions): GroupMixNormMlp {
  if (isGroupMixNormMlp(trained)) throw new FairkitError('the model already has GroupMixNorm layers', { where: 'insertGroupMixNorm' });
  if (trained.config.kind !== 'mlp') throw new FairkitError(`GroupMixNorm can be inserted into an MLP, not a '${trained.config.kind}' model`, { where: 'insertGroupMixNorm' });
  const architecture = trained.config as MlpArchitecture;
  const base = createMlp(architecture, trained.weights.map((w) => w.variable.dataSync() as Float32Array));
  return assemble(resolveArchitecture(architecture, options), base);
}

/** The model from a saved architecture and arrays in `weights` order (loading), or freshly initialised without arrays. */
export function createGroupMixNormMlp(saved: GroupMixNormMlpArchitecture, arrays?: Float32Array[]): GroupMixNormMlp {
  const where = 'GroupMixNorm MLP weights';
  const architecture = resolveArchitecture(saved.base, saved);
  if (!arrays) return assemble(architecture, buildMlp(architecture.base));
  const nDense = 2 * (architecture.base.hidden.length + 1);
  const base = createMlp(architecture.base, arrays.slice(0, nDense));
  const perUnit = unitWeightSpecs({ nGroups: 1, channels: 1 }, architecture.settings).length;
  const expected = nDense + perUnit * architecture.positions.length;
  if (arrays.length !== expected) {
    base.dispose();
    throw new FairkitError(`expected ${expected} weight arrays, got ${arrays.length}`, { where });
  }
  const unitArrays = architecture.positions.map((_, u) => arrays.slice(nDense + u * perUnit, nDense + (u + 1) * perUnit));
  return assemble(architecture, base, unitArrays);
}

function assemble(architecture: GroupMixNormMlpArchitecture, base: Mlp, unitArrays?: Float32Array[][]): GroupMixNormMlp {
  const units = new Map<number, GroupMixNormUnit>();
  try {
    architecture.positions.forEach((layer, u) => {
      const shape = { nGroups: architecture.nGroups, channels: architecture.base.hidden[layer] };
      const arrays = unitArrays?.[u];
      if (arrays) checkUnitArrays(arrays, unitWeightSpecs(shape, architecture.settings), `gmn${layer}`);
      units.set(layer, new GroupMixNormUnit(`gmn${layer}`, shape, architecture.settings, arrays));
    });
  } catch (error) {
    base.dispose();
    for (const unit of units.values()) unit.dispose();
    throw error;
  }
  return new FunctionalGroupMixNormMlp(architecture, base, units);
}

function checkUnitArrays(arrays: Float32Array[], specs: { name: string; shape: number[] }[], prefix: string): void {
  specs.forEach((spec, i) => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (arrays[i].length !== size) {
      throw new FairkitError(`${prefix}/${spec.name} has ${arrays[i].length} values, expected ${size}`, { where: 'GroupMixNorm MLP weights' });
    }
  });
}

function resolveArchitecture(base: MlpArchitecture, options: GroupMixNormOptions): GroupMixNormMlpArchitecture {
  const where = 'GroupMixNorm MLP';
  const nHidden = base.hidden.length;
  if (!Number.isInteger(options.nGroups) || options.nGroups < 1) throw new FairkitError(`nGroups must be a positive integer, got ${options.nGroups}`, { where });
  if (nHidden === 0) throw new FairkitError('the MLP has no hidden layer to put GroupMixNorm after', { where, fix: 'Give it at least one hidden layer' });
  const positions = [...new Set(options.positions ?? base.hidden.map((_, i) => i))].sort((a, b) => a - b);
  const bad = positions.filter((p) => !Number.isInteger(p) || p < 0 || p >= nHidden);
  if (bad.length > 0 || positions.length === 0) {
    throw new FairkitError(`positions ${JSON.stringify(options.positions)} must be hidden layer indices from 0 to ${nHidden - 1}`, { where });
  }
  const settings = resolveSettings(options.settings ?? {}, where);
  if (options.freezeBase && !settings.affine) {
    throw new FairkitError('freezeBase with affine = false leaves no weight to train', { where, fix: 'Keep affine = true, or do not freeze the base' });
  }
  const placement = options.placement ?? 'postActivation';
  if (!PLACEMENTS.includes(placement)) throw new FairkitError(`placement must be one of ${PLACEMENTS.join(', ')}, got '${placement}'`, { where });
  return {
    kind: 'groupmixnorm-mlp',
    inputDim: base.inputDim,
    outputDim: base.outputDim,
    base,
    nGroups: options.nGroups,
    positions,
    placement,
    settings,
    freezeBase: options.freezeBase ?? false,
  };
}

/** Rows per forward pass when calibrating (the statistics are exact whatever the batch size). */
const CALIBRATION_BATCH = 8192;

class FunctionalGroupMixNormMlp implements GroupMixNormMlp {
  readonly weights: NamedWeight[];
  readonly variables: tf.Variable[];
  /** The dense stack. */
  private readonly dense: MlpArchitecture;

  constructor(
    readonly config: GroupMixNormMlpArchitecture,
    private readonly base: Mlp,
    private readonly units: Map<number, GroupMixNormUnit>,
  ) {
    this.dense = config.base;
    const ordered = [...units.values()];
    this.weights = [...base.weights, ...ordered.flatMap((unit) => unit.weights)];
    this.variables = [...(config.freezeBase ? [] : base.variables), ...ordered.flatMap((unit) => unit.trainable)];
  }

  setInference(mode: InferenceMode, mix: InferenceMix = this.config.settings.inferenceMix): void {
    // The units share this settings object, so the change reaches them all (and the next save).
    Object.assign(this.config.settings, resolveSettings({ ...this.config.settings, inferenceMode: mode, inferenceMix: mix }, 'setInference'));
  }

  forward(inputs: ModelInputs, options: ForwardOptions = {}): { logits: tf.Tensor2D } {
    return { logits: this.layers(inputs, options) };
  }

  apply(x: tf.Tensor2D, options: ApplyOptions = {}): tf.Tensor2D {
    return this.forward(inputsOf(x, options), options).logits;
  }

  get lastHiddenUnits(): number {
    return this.dense.hidden[this.dense.hidden.length - 1];
  }

  /** Normalising by the running statistics of the row's group (or the batch's) reads the group; 'globalRunning' does not. */
  get lastHiddenNeedsGroups(): boolean {
    return this.config.settings.inferenceMode !== 'globalRunning';
  }

  /** The input of the output layer at inference: the last hidden layer after its activation and GroupMixNorm (if any). */
  lastHidden(inputs: ModelInputs): tf.Tensor2D {
    return this.layers(inputs, {}, 'lastHidden');
  }

  calibrate(X: Float32Array, nRows: number, groups: Int32Array, batchSize = CALIBRATION_BATCH): void {
    this.checkRows(X, nRows, groups);
    for (const [layer, unit] of this.units) {
      const moments = new GroupMoments(this.config.nGroups, unit.shape.channels);
      for (let start = 0; start < nRows; start += batchSize) {
        const rows = Math.min(batchSize, nRows - start);
        const batchGroups = groups.subarray(start, start + rows);
        const features = tf.tidy(() => this.layers({ x: this.rowsOf(X, start, rows), groups: batchGroups }, {}, layer));
        moments.add(features.dataSync(), batchGroups);
        features.dispose();
      }
      unit.setStatistics(moments.result());
    }
  }

  /**
   * The logits; with `stopAt` a layer index, the features that enter the GroupMixNorm layer of that hidden layer;
   * with 'lastHidden', the last hidden layer's output (the output layer's input).
   */
  private layers({ x, groups }: ModelInputs, options: ForwardOptions, stopAt?: number | 'lastHidden'): tf.Tensor2D {
    const { hidden, dropout, activation } = this.dense;
    const training = options.training === true;
    if (training && options.stepSeed === undefined) {
      throw new Error('GroupMixNorm MLP forward: training needs a stepSeed (the mixing weights are drawn from it)');
    }
    return tf.tidy(() => {
      const dropoutRng = training && dropout > 0 ? new Rng(options.stepSeed!) : null;
      const mixRng = training ? new Rng(options.stepSeed!).fork() : undefined;
      const norm = (h: tf.Tensor2D, layer: number) =>
        (this.units.get(layer)?.apply(h, { training, groups, rng: mixRng }) ?? h) as tf.Tensor2D;
      let h: tf.Tensor2D = x;
      for (let layer = 0; layer <= hidden.length; layer++) {
        h = tf.add(tf.matMul(h, this.base.variables[2 * layer]), this.base.variables[2 * layer + 1]);
        if (layer === hidden.length) break;
        if (this.config.placement === 'preActivation') {
          if (layer === stopAt) return h;
          h = norm(h, layer);
        }
        h = activate(h, activation);
        if (this.config.placement === 'postActivation') {
          if (layer === stopAt) return h;
          h = norm(h, layer);
        }
        if (stopAt === 'lastHidden' && layer === hidden.length - 1) return h;
        if (dropoutRng !== null) h = tf.mul(h, dropoutMask(h.shape, dropout, dropoutRng));
      }
      return h;
    });
  }

  dispose(): void {
    this.base.dispose();
    for (const unit of this.units.values()) unit.dispose();
  }

  private rowsOf(X: Float32Array, start: number, rows: number): tf.Tensor2D {
    const { inputDim } = this.dense;
    return tf.tensor2d(X.subarray(start * inputDim, (start + rows) * inputDim), [rows, inputDim]);
  }

  private checkRows(X: Float32Array, nRows: number, groups: Int32Array | undefined): void {
    const { inputDim } = this.dense;
    const where = 'GroupMixNorm MLP input';
    if (!Number.isInteger(nRows) || nRows < 0 || X.length !== nRows * inputDim) {
      throw new FairkitError(`features have ${X.length} values, expected ${nRows} rows × ${inputDim} columns`, { where });
    }
    if (groups !== undefined && groups.length !== nRows) throw new FairkitError(`${groups.length} group ids for ${nRows} rows`, { where });
  }
}

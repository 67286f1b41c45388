/**
 * GroupMixNorm as a TensorFlow.js Layers API layer, for users who build models with tf.sequential / tf.model.
 * The maths and the running statistics are those of group-mix-norm-unit.ts; this file only adapts them to the
 * Layer life cycle (build → addWeight, call, getConfig) and registers the class, so saved models load with
 * tf.loadLayersModel.
 *
 * Inputs: `[features, groupIds]` (features [B, C] or [B, H, W, C] channels last; group ids [B] or [B, 1], any
 * numeric dtype, an id outside [0, nGroups) meaning "unknown group"), or the features alone (no group
 * information: the whole batch's statistics in training, the 'globalRunning' statistics at inference).
 * Training (model.fit passes training = true) draws the mixing weights from the layer's own seeded Rng (seed: the
 * `seed` argument, else a hash of the layer's name; the Rng's progress is not saved, so a reloaded layer draws from
 * the start again) and updates the running statistics; group ids are read back to the host, which is fine in eager
 * execution. A NaN group id is an unknown group (−1).
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { inferenceForward, resolveSettings, STATE_NAMES, trainingForward, unitWeightSpecs, type GroupMixNormSettings, type RunningState } from './group-mix-norm-unit.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface GroupMixNormLayerArgs extends LayerArgs, Partial<GroupMixNormSettings> {
  nGroups: number;
  /** Seed of the mixing-weight draws (default 0). */
  seed?: number;
}

export class GroupMixNormLayer extends tf.layers.Layer {
  static readonly className = 'GroupMixNorm';
  readonly nGroups: number;
  readonly settings: GroupMixNormSettings;
  readonly seed: number;
  private readonly rng: Rng;
  private readonly variablesByName = new Map<string, tf.LayerVariable>();

  constructor(args: GroupMixNormLayerArgs) {
    super(args);
    const where = `GroupMixNorm layer${args.name ? ` '${args.name}'` : ''}`;
    if (!Number.isInteger(args.nGroups) || args.nGroups < 1) throw new FairkitError(`nGroups must be a positive integer, got ${args.nGroups}`, { where });
    this.nGroups = args.nGroups;
    this.settings = resolveSettings(pickSettings(args), where);
    // Without a seed each layer seeds from its own name, so two layers of a model do not draw the same mixes.
    this.seed = args.seed ?? seedOfName(this.name);
    this.rng = new Rng(this.seed);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const features = featuresShape(inputShape);
    const channels = features[features.length - 1];
    if (channels === null) throw new FairkitError('the channel (last) axis of the features must have a fixed size', { where: `GroupMixNorm layer '${this.name}'` });
    for (const spec of unitWeightSpecs({ nGroups: this.nGroups, channels }, this.settings)) {
      const initializer = spec.initial === 1 ? tf.initializers.ones() : tf.initializers.zeros();
      this.variablesByName.set(spec.name, this.addWeight(spec.name, spec.shape, 'float32', initializer, undefined, spec.trainable));
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return featuresShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const [x, groupTensor] = Array.isArray(inputs) ? inputs : [inputs];
      // A missing (NaN) id is an unknown group, not group 0.
      const groups = groupTensor ? Int32Array.from(groupTensor.dataSync(), (id) => (Number.isFinite(id) ? Math.round(id) : -1)) : undefined;
      const shape = { nGroups: this.nGroups, channels: x.shape[x.rank - 1] };
      const affine = { gamma: this.variablesByName.get('gamma')?.read(), beta: this.variablesByName.get('beta')?.read() };
      const running = Object.fromEntries(STATE_NAMES.map((name) => [name, this.variablesByName.get(name)!.read()])) as unknown as RunningState;
      if (kwargs.training !== true) return inferenceForward(x, groups, shape, this.settings, affine, running);
      const { output, next } = trainingForward(x, groups, shape, this.settings, affine, running, this.rng);
      for (const name of STATE_NAMES) this.variablesByName.get(name)!.write(next[name]);
      return output;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), nGroups: this.nGroups, seed: this.seed, ...this.settings };
  }
}

tf.serialization.registerClass(GroupMixNormLayer);

function featuresShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  return Array.isArray(inputShape[0]) ? (inputShape[0] as tf.Shape) : (inputShape as tf.Shape);
}

/** A 31-bit FNV-1a hash of a layer name: a seed that differs between the layers of a model. */
function seedOfName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return (hash >>> 0) & 0x7fffffff;
}

function pickSettings(args: GroupMixNormLayerArgs): Partial<GroupMixNormSettings> {
  const keys: (keyof GroupMixNormSettings)[] = ['alpha', 'eps', 'momentum', 'minGroupSize', 'mixPer', 'multiGroupMix', 'detachStats', 'affine', 'inferenceMode', 'inferenceMix'];
  return Object.fromEntries(keys.filter((key) => args[key] !== undefined).map((key) => [key, args[key]]));
}

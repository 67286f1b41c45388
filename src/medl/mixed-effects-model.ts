/**
 * The mixed-effects model of ARMED / Fair MEDL (model kind 'medl'; methods.md §2; docs/methods/fair-medl.md): a
 * fixed-effects MLP and, optionally, a Bayesian random-effects layer mixed in logit space (logit_M = logit_F + r).
 * Heads: `logits` (mixed effects, what predictions use), `fe` (fixed effects), `re` (the random effect r) and
 * `hidden` (every hidden activation of the fixed-effects MLP side by side, what the cluster adversary reads).
 * Without random effects (the fair-da ablation) `logits` is the fixed-effects output.
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { activate, createMlp, dropoutMask, type Mlp, type MlpArchitecture } from '../nn/mlp.js';
import { inputsOf, type ApplyOptions, type ForwardOptions, type Model, type ModelConfig, type ModelInputs, type NamedWeight } from '../nn/model.js';
import {
  clusterDesign,
  drawNoise,
  initialRandomEffects,
  RANDOM_EFFECT_WEIGHTS,
  randomEffect,
  weightShapes,
  type RandomEffectsInit,
  type RandomEffectsNoise,
} from './random-effects.js';

export interface RandomEffectsConfig extends RandomEffectsInit {
  /** Cluster ids 0 … nClusters − 1 have parameters; only those in `seen` had training rows and are used. */
  nClusters: number;
  seen: number[];
  /** s.d. of the normal prior of every slope and intercept (ARMED: 0.1). */
  priorSd: number;
  seed: number;
}

export interface MedlModelConfig extends ModelConfig {
  kind: 'medl';
  fixed: MlpArchitecture;
  /** Absent: no random effects (mixed = fixed). */
  randomEffects?: RandomEffectsConfig;
}

export type MedlOutputs = { logits: tf.Tensor2D; fe: tf.Tensor2D; re: tf.Tensor2D; hidden: tf.Tensor2D };

/** Wraps a fixed-effects MLP (which it then owns) into a mixed-effects model with fresh random effects. */
export function withRandomEffects(fixed: Mlp, randomEffects: RandomEffectsConfig | undefined): MedlModel {
  const config = medlConfig(fixed.config, randomEffects);
  const arrays = randomEffects ? initialRandomEffects({ nClusters: randomEffects.nClusters, inputDim: fixed.config.inputDim }, randomEffects, randomEffects.seed) : [];
  return new MedlModel(config, fixed, arrays);
}

/** Rebuilds a saved model: the fixed-effects MLP's arrays first, then the random effects'. */
export function createMedlModel(config: MedlModelConfig, arrays?: Float32Array[]): MedlModel {
  if (!arrays) throw new FairkitError('a medl model is built by its method from a fixed-effects MLP; loading needs its saved weights', { where: 'medl model' });
  const fixedCount = 2 * (config.fixed.hidden.length + 1);
  const expected = fixedCount + (config.randomEffects ? RANDOM_EFFECT_WEIGHTS.length : 0);
  if (arrays.length !== expected) throw new FairkitError(`expected ${expected} weight arrays, got ${arrays.length}`, { where: 'medl model weights' });
  const fixed = createMlp(config.fixed, arrays.slice(0, fixedCount));
  return new MedlModel(medlConfig(config.fixed, config.randomEffects), fixed, arrays.slice(fixedCount));
}

function medlConfig(fixed: MlpArchitecture, randomEffects: RandomEffectsConfig | undefined): MedlModelConfig {
  const where = 'medl model';
  if (fixed.outputDim !== 1) throw new FairkitError(`the fixed-effects MLP must have one output, got ${fixed.outputDim}`, { where });
  if (fixed.hidden.length === 0) throw new FairkitError('the fixed-effects MLP needs a hidden layer: the cluster adversary reads its activations', { where, fix: 'Give --hidden' });
  if (randomEffects) {
    const { nClusters, seen, priorSd } = randomEffects;
    if (!Number.isInteger(nClusters) || nClusters < 1) throw new FairkitError(`nClusters must be a positive integer, got ${nClusters}`, { where });
    if (!seen.every((id) => Number.isInteger(id) && id >= 0 && id < nClusters)) throw new FairkitError(`seen cluster ids must lie in [0, ${nClusters})`, { where });
    if (!(priorSd > 0)) throw new FairkitError(`priorSd must be > 0, got ${priorSd}`, { where });
  }
  return { kind: 'medl', inputDim: fixed.inputDim, outputDim: 1, fixed, ...(randomEffects ? { randomEffects: { ...randomEffects, seen: [...randomEffects.seen] } } : {}) };
}

export class MedlModel implements Model<MedlModelConfig> {
  readonly weights: NamedWeight[];
  readonly variables: tf.Variable[];
  private readonly seen: ReadonlySet<number>;
  private readonly reVariables: tf.Variable[];

  constructor(
    readonly config: MedlModelConfig,
    private readonly fixed: Mlp,
    randomEffectArrays: Float32Array[],
  ) {
    const re = config.randomEffects;
    const shapes = re ? weightShapes({ nClusters: re.nClusters, inputDim: config.inputDim }) : [];
    this.reVariables = shapes.map((shape, i) => {
      const size = shape.reduce((a, b) => a * b, 1);
      if (randomEffectArrays[i].length !== size) throw new FairkitError(`${RANDOM_EFFECT_WEIGHTS[i]} has ${randomEffectArrays[i].length} values, expected ${size}`, { where: 'medl model weights' });
      const initial = tf.tensor(randomEffectArrays[i], shape);
      const variable = tf.variable(initial, true);
      initial.dispose();
      return variable;
    });
    this.weights = [...fixed.weights.map((w) => ({ name: `fe/${w.name}`, variable: w.variable })), ...this.reVariables.map((variable, i) => ({ name: RANDOM_EFFECT_WEIGHTS[i], variable }))];
    this.variables = this.weights.map((w) => w.variable);
    this.seen = new Set(re?.seen ?? []);
  }

  forward(inputs: ModelInputs, options: ForwardOptions = {}): MedlOutputs {
    const training = options.training === true;
    const re = this.config.randomEffects;
    const needsSeed = training && (re !== undefined || this.config.fixed.dropout > 0);
    if (needsSeed && options.stepSeed === undefined) throw new FairkitError('medl forward: training draws random effects (and dropout masks) and needs a stepSeed');
    const noise = training && re ? drawNoise({ nClusters: re.nClusters, inputDim: this.config.inputDim }, options.stepSeed!) : null;
    return this.forwardWithNoise(inputs, noise, training ? options.stepSeed : undefined);
  }

  /**
   * The forward pass with given random-effects noise (null: posterior means). Exposed so that tests can feed the
   * draws of an independent reference; `dropoutSeed` switches dropout on.
   */
  forwardWithNoise({ x, clusters }: ModelInputs, noise: RandomEffectsNoise | null, dropoutSeed?: number): MedlOutputs {
    return tf.tidy(() => {
      const { hidden, activation, dropout } = this.config.fixed;
      // Seeded apart from the random-effects draws, which use Rng(stepSeed) itself.
      const rng = dropoutSeed !== undefined && dropout > 0 ? new Rng(dropoutSeed ^ 0x5bd1e995) : null;
      const vars = this.fixed.variables;
      const activations: tf.Tensor2D[] = [];
      let h: tf.Tensor2D = x;
      for (let layer = 0; layer <= hidden.length; layer++) {
        h = tf.add(tf.matMul(h, vars[2 * layer]), vars[2 * layer + 1]);
        if (layer === hidden.length) break;
        h = activate(h, activation);
        if (rng !== null) h = tf.mul(h, dropoutMask(h.shape, dropout, rng));
        activations.push(h);
      }
      const fe = h;
      const re = this.config.randomEffects;
      const r = re ? randomEffect(x, clusterDesign(clusters, x.shape[0], re.nClusters, this.seen), this.reVariables, noise) : tf.zerosLike(fe);
      // Without random effects, mixed = fixed; with them an unseen cluster's r is exactly 0, so logits equal fe.
      const logits = re ? (tf.add(fe, r) as tf.Tensor2D) : fe;
      // One hidden layer: its activations themselves (a concat of one tensor would be a copy, kept again for its gradient).
      const allHidden = activations.length === 1 ? activations[0] : (tf.concat(activations, 1) as tf.Tensor2D);
      return { logits, fe, re: r, hidden: allHidden };
    });
  }

  apply(x: tf.Tensor2D, options: ApplyOptions = {}): tf.Tensor2D {
    const outputs = this.forward(inputsOf(x, options), options);
    tf.dispose([outputs.fe, outputs.re, outputs.hidden].filter((t) => t !== outputs.logits));
    return outputs.logits;
  }

  dispose(): void {
    this.fixed.dispose();
    for (const v of this.reVariables) v.dispose();
  }
}

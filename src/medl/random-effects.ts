/**
 * The Bayesian random-effects layer of ARMED / Fair MEDL (methods.md §2 (a) 3): per cluster c a random slope
 * u_c ∈ R^d and a random intercept b_c, each entry with a variational posterior N(m, s²), s = 1e-5 + softplus(ρ), and
 * prior N(0, σ_p²). The contribution of a row of cluster c is r = x·u_c + b_c. Training draws one reparameterised
 * sample of every weight per forward pass (W = m + s·ε, as DenseVariational does); inference uses the posterior means.
 * A row whose cluster was not seen in training (id −1, out of range, or without training rows) gets a zero row of the
 * design matrix Z, so r = 0 and the mixed effects equal the fixed effects exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng.js';
import type { NamedWeight } from '../nn/model.js';

/** The floor of the posterior scale, as in ARMED (keeps s > 0 when softplus(ρ) underflows). */
export const SCALE_FLOOR = 1e-5;

export const RANDOM_EFFECT_WEIGHTS = ['re/slope/mean', 're/slope/rho', 're/intercept/mean', 're/intercept/rho'] as const;

export interface RandomEffectsShape {
  nClusters: number;
  inputDim: number;
}

/** The standard-normal draws of one training pass: ε for the slopes [C, d] and for the intercepts [C, 1]. */
export interface RandomEffectsNoise {
  slope: Float32Array;
  intercept: Float32Array;
}

export interface RandomEffectsInit {
  /** s.d. of the normal the posterior means start from (ARMED: 0.1). */
  meanInitSd: number;
  /** The posterior scales start uniform in this range (ARMED: 0.05 to 0.1), stored as ρ = softplus⁻¹(s − floor). */
  scaleInit: [number, number];
}

export function weightShapes({ nClusters, inputDim }: RandomEffectsShape): number[][] {
  return [[nClusters, inputDim], [nClusters, inputDim], [nClusters, 1], [nClusters, 1]];
}

/** Seeded initial arrays in RANDOM_EFFECT_WEIGHTS order. */
export function initialRandomEffects(shape: RandomEffectsShape, init: RandomEffectsInit, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  const [low, high] = init.scaleInit;
  const rho = (n: number) => Float32Array.from({ length: n }, () => Math.log(Math.expm1(low + (high - low) * rng.uniform() - SCALE_FLOOR)));
  const mean = (n: number) => Float32Array.from({ length: n }, () => init.meanInitSd * rng.normal());
  const slopes = shape.nClusters * shape.inputDim;
  return [mean(slopes), rho(slopes), mean(shape.nClusters), rho(shape.nClusters)];
}

/** One training pass's noise drawn from the step seed: the slopes' ε row-major, then the intercepts'. */
export function drawNoise({ nClusters, inputDim }: RandomEffectsShape, stepSeed: number): RandomEffectsNoise {
  const rng = new Rng(stepSeed);
  const slope = Float32Array.from({ length: nClusters * inputDim }, () => rng.normal());
  const intercept = Float32Array.from({ length: nClusters }, () => rng.normal());
  return { slope, intercept };
}

/** The posterior scale s = floor + softplus(ρ). */
export function posteriorScale(rho: tf.Tensor): tf.Tensor {
  return tf.add(SCALE_FLOOR, tf.softplus(rho));
}

/**
 * The design matrix Z [rows, C]: one-hot of each row's cluster; all zeros for a cluster that is unseen (−1, out of
 * range, or not in `seen`).
 */
export function clusterDesign(clusters: Int32Array | undefined, rows: number, nClusters: number, seen: ReadonlySet<number>): tf.Tensor2D {
  const z = new Float32Array(rows * nClusters);
  if (clusters) for (let i = 0; i < rows; i++) if (seen.has(clusters[i])) z[i * nClusters + clusters[i]] = 1;
  return tf.tensor2d(z, [rows, nClusters]);
}

/**
 * r = Σ_j x_j·(Z·W_s)_j + Z·W_b, [rows, 1], with W the posterior means (noise null) or a reparameterised sample.
 * `weights` are the four variables in RANDOM_EFFECT_WEIGHTS order.
 */
export function randomEffect(x: tf.Tensor2D, z: tf.Tensor2D, weights: tf.Tensor[], noise: RandomEffectsNoise | null): tf.Tensor2D {
  return tf.tidy(() => {
    const [slopeMean, slopeRho, interceptMean, interceptRho] = weights;
    const sample = (mean: tf.Tensor, rho: tf.Tensor, eps: Float32Array) => tf.add(mean, tf.mul(posteriorScale(rho), tf.tensor(eps, mean.shape)));
    const slopes = noise ? sample(slopeMean, slopeRho, noise.slope) : slopeMean;
    const intercepts = noise ? sample(interceptMean, interceptRho, noise.intercept) : interceptMean;
    const rowSlopes = tf.matMul(z, slopes as tf.Tensor2D);
    return tf.add(tf.sum(tf.mul(x, rowSlopes), 1, true), tf.matMul(z, intercepts as tf.Tensor2D)) as tf.Tensor2D;
  });
}

/**
 * KL(q ‖ p) summed over every slope and intercept entry, in closed form for normals:
 * log(σ_p / s) + (s² + m²) / (2σ_p²) − 1/2 per entry.
 */
export function klToPrior(weights: tf.Tensor[], priorSd: number): tf.Scalar {
  return tf.tidy(() => {
    const [slopeMean, slopeRho, interceptMean, interceptRho] = weights;
    const entries = (mean: tf.Tensor, rho: tf.Tensor) => {
      const scale = posteriorScale(rho);
      const ratio = tf.div(tf.add(tf.square(scale), tf.square(mean)), 2 * priorSd * priorSd);
      return tf.sum(tf.sub(tf.add(tf.sub(Math.log(priorSd), tf.log(scale)), ratio), 0.5));
    };
    return tf.add(entries(slopeMean, slopeRho), entries(interceptMean, interceptRho)) as tf.Scalar;
  });
}

/** The four random-effects variables of a model's named weights, in RANDOM_EFFECT_WEIGHTS order. */
export function randomEffectVariables(weights: readonly NamedWeight[]): tf.Variable[] {
  return RANDOM_EFFECT_WEIGHTS.map((name) => {
    const found = weights.find((w) => w.name === name);
    if (!found) throw new Error(`the model has no random-effects weight '${name}'`);
    return found.variable;
  });
}

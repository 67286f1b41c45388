/**
 * The losses of one Fair MEDL step (methods.md §2 (a)). The main network (fixed effects and random effects) minimises
 *
 *   L_main = λ_M·BCE(y, ŷ_M) + λ_F·BCE(y, ŷ_F) − λ_g·CCE(Z, Ẑ) + λ_K·KL(q ‖ p) − λ_D·(λ_FE·CCE(S, Ŝ_F) + λ_ME·CCE(S, Ŝ_M))
 *
 * with the adversaries frozen; the adversaries minimise their own cross-entropies with the main network frozen.
 * Regression: MSE(t, ŷ) of the standardised target t in place of each BCE, the heads read (ŷ, t), and ACL uses ŷ
 * itself within the stratum classes (target above the training median or not).
 * Without random effects (fair-da) the prediction loss is BCE(y, ŷ_F) alone and there is no KL and no ME adversary.
 * The BCE terms honour row weights; the adversaries' cross-entropies are plain batch means. With `ratioTerm` the
 * main loss also gets L_pred / L_fair (Yang et al.'s extra term, methods.md §2 (v)).
 * With fairness 'abscorr' (the fair DA-ACL ablation) there are no fairness heads: the absolute-correlation loss of
 * each output (abs-correlation.ts) takes the place of its adversary's cross-entropy and is added, not subtracted:
 *   … + λ_D·(λ_FE·ACL(ŷ_F) + λ_ME·ACL(ŷ_M)).
 */
import * as tf from '@tensorflow/tfjs';
import { bceWithLogits, regressionLoss } from '../nn/losses.js';
import type { Mlp } from '../nn/mlp.js';
import type { TrainBatch } from '../train/method.js';
import { absCorrelationLoss, labelClasses, type LabelClass } from './abs-correlation.js';
import { attributeTargets, categoricalCrossEntropy, fairnessLoss, headLabels, oneHot, type SensitiveAttribute } from './adversaries.js';
import type { MedlOutputs } from './mixed-effects-model.js';

export interface LossWeights {
  lambdaMixed: number;
  lambdaFixed: number;
  lambdaCluster: number;
  klWeight: number;
  /** λ_D: the weight of the fairness terms as a whole (0 or absent heads: no fairness). */
  lambdaFairness: number;
  lambdaFE: number;
  lambdaME: number;
  ratioTerm: boolean;
  /** How the predictions are kept from revealing the sensitive values: adversaries, the ACL penalty, or not at all. */
  fairness: FairnessForm;
}

export const FAIRNESS_FORMS = ['adversary', 'abscorr'] as const;
export type FairnessForm = (typeof FAIRNESS_FORMS)[number] | 'none';

export interface Adversaries {
  cluster: Mlp;
  /** One head per sensitive attribute reading ŷ_F (empty without fairness). */
  fairFE: Mlp[];
  /** One head per sensitive attribute reading ŷ_M (empty without fairness or without random effects). */
  fairME: Mlp[];
  attributes: SensitiveAttribute[];
  /**
   * The frozen heads' summed cross-entropy on an output in L_main, computed elsewhere (the host, host-heads.ts) with
   * the same value and gradient as fairnessLoss to round-off; absent: fairnessLoss on TensorFlow.js.
   */
  frozenHeadsLoss?: (heads: Mlp[], output: tf.Tensor2D) => tf.Scalar;
  /** The frozen cluster adversary's term in L_main from the host (host-cluster.ts), in place of its TensorFlow.js pass. */
  frozenClusterLoss?: (hidden: tf.Tensor2D) => tf.Scalar;
}

const BUILT = Symbol('built targets');

/** The adversaries' one-hot targets of a batch: its clusters, and each sensitive attribute's values. */
export interface LossTargets {
  clusters: tf.Tensor2D;
  attributes: tf.Tensor2D[];
  /** The label classes ACL correlates within (empty unless fairness is 'abscorr'). */
  labelClasses: LabelClass[];
  /** The label column of the fairness heads' input (headLabels; null unless fairness is 'adversary'). */
  headLabels: tf.Tensor2D | null;
  /** The tensors built so far (each is built on its first read), for disposeTargets. */
  readonly [BUILT]: tf.Tensor[];
}

/**
 * A batch as the losses read it: labels, row weights, regression targets (regression only), and the adversaries'
 * one-hot targets, each built once, on its first read, for all of its steps.
 */
export type LossBatch = Pick<TrainBatch, 'y' | 'weights' | 'targets'> & { classes: LossTargets };

/**
 * The one-hot targets of a batch's clusters and sensitive values, its label classes and the heads' label column (the
 * caller disposes them). Each is built on its first read: with the host adversaries (step.ts) L_main reads none of
 * them but ACL's attribute one-hots and label classes, and building the rest cost tensor uploads and kernels per batch.
 */
export function lossTargets(batch: Pick<TrainBatch, 'groups' | 'clusters' | 'labels' | 'y' | 'targets'>, adversaries: Adversaries, fairness: FairnessForm): LossTargets {
  const built: tf.Tensor[] = [];
  // Kept: a first read may come inside a tidy (L_main's), and later reads in other scopes; disposeTargets frees them.
  const lazy = <T>(build: () => T, tensors: (value: T) => tf.Tensor[]): (() => T) => {
    let value: T | undefined;
    return () => {
      if (value === undefined) {
        value = build();
        for (const tensor of tensors(value)) built.push(tf.keep(tensor));
      }
      return value;
    };
  };
  const clusters = lazy(() => oneHot(batch.clusters!, adversaries.cluster.config.outputDim), (t) => [t]);
  const attributes = lazy(() => (fairness === 'none' ? [] : attributeTargets(adversaries.attributes, batch.groups)), (ts) => ts);
  const classes = lazy(() => (fairness === 'abscorr' ? labelClasses(batch.labels) : []), (cs) => cs.map((c) => c.mask));
  const labels = lazy(() => (fairness === 'adversary' ? headLabels(batch) : null), (t) => (t ? [t] : []));
  return {
    get clusters() {
      return clusters();
    },
    get attributes() {
      return attributes();
    },
    get labelClasses() {
      return classes();
    },
    get headLabels() {
      return labels();
    },
    [BUILT]: built,
  };
}

/** Disposes what was built of a batch's targets. */
export function disposeTargets(targets: LossTargets): void {
  tf.dispose(targets[BUILT]);
}

/** The parts of L_main as scalars; `total` is what the main network minimises. */
export type MainLossParts = Record<'total' | 'prediction' | 'mixed' | 'fixed' | 'cluster' | 'kl' | 'fairFE' | 'fairME', tf.Scalar>;

/** Every part of L_main for the outputs of a batch; `kl` is null without random effects. */
export function mainLoss(outputs: MedlOutputs, batch: LossBatch, adversaries: Adversaries, kl: tf.Scalar | null, weights: LossWeights): MainLossParts {
  return tf.tidy(() => {
    const zero = tf.scalar(0);
    // λ·x, leaving out the multiplication (and its gradient kernels) when λ is 1: 1·x is x exactly.
    const times = (lambda: number, x: tf.Tensor) => (lambda === 1 ? x : tf.mul(lambda, x));
    // Regression: squared error of each output against the standardised target, in place of BCE.
    const taskLoss = (z: tf.Tensor2D) => (batch.targets ? regressionLoss(z, batch.targets, 'mse', 1, batch.weights) : bceWithLogits(z, batch.y, batch.weights));
    const fixed = taskLoss(outputs.fe);
    const mixed = kl ? taskLoss(outputs.logits) : zero;
    const prediction = kl ? tf.add(times(weights.lambdaMixed, mixed), times(weights.lambdaFixed, fixed)) : fixed;
    const cluster = adversaries.frozenClusterLoss ? adversaries.frozenClusterLoss(outputs.hidden) : adversaryClusterLoss(outputs, batch, adversaries);
    // The targets are read only where a term needs them: each is built on its first read (lossTargets).
    const targets = batch.classes;
    const regression = batch.targets !== undefined;
    const abscorr = weights.fairness === 'abscorr';
    const headsLoss = (heads: Mlp[], output: tf.Tensor2D) => (adversaries.frozenHeadsLoss ? adversaries.frozenHeadsLoss(heads, output) : fairnessLoss(heads, output, targets.headLabels!, regression, targets.attributes));
    const fairFE = abscorr ? absCorrelationLoss(outputs.fe, targets.attributes, targets.labelClasses, regression) : adversaries.fairFE.length > 0 ? headsLoss(adversaries.fairFE, outputs.fe) : zero;
    const fairME = abscorr && kl ? absCorrelationLoss(outputs.logits, targets.attributes, targets.labelClasses, regression) : adversaries.fairME.length > 0 ? headsLoss(adversaries.fairME, outputs.logits) : zero;
    // A fairness part that is absent (the constant 0) adds nothing and is left out: x + λ·0 is x.
    const fairness = fairME === zero ? (fairFE === zero ? null : times(weights.lambdaFE, fairFE)) : tf.add(times(weights.lambdaFE, fairFE), times(weights.lambdaME, fairME));
    let total = tf.sub(prediction, times(weights.lambdaCluster, cluster));
    if (kl) total = tf.add(total, times(weights.klWeight, kl));
    // An adversary's cross-entropy is to be raised, a correlation lowered.
    if (fairness) total = abscorr ? tf.add(total, times(weights.lambdaFairness, fairness)) : tf.sub(total, times(weights.lambdaFairness, fairness));
    if (weights.ratioTerm && adversaries.fairFE.length > 0) total = tf.add(total, tf.div(prediction, tf.add(fairFE, fairME)));
    return { total, prediction, mixed, fixed, cluster, kl: kl ?? zero, fairFE, fairME } as MainLossParts;
  });
}

/** The cluster adversary's cross-entropy on the fixed-effects hidden activations. */
export function adversaryClusterLoss(outputs: Pick<MedlOutputs, 'hidden'>, batch: LossBatch, adversaries: Adversaries): tf.Scalar {
  return categoricalCrossEntropy(adversaries.cluster.apply(outputs.hidden), batch.classes.clusters);
}

/** The fairness adversaries' own loss: their cross-entropies on the FE and ME predictions. */
export function adversaryFairnessLoss(outputs: MedlOutputs, batch: LossBatch, adversaries: Adversaries): tf.Scalar {
  return tf.tidy(() => {
    const { headLabels, attributes } = batch.classes;
    const regression = batch.targets !== undefined;
    const fe = fairnessLoss(adversaries.fairFE, outputs.fe, headLabels!, regression, attributes);
    if (adversaries.fairME.length === 0) return fe;
    return tf.add(fe, fairnessLoss(adversaries.fairME, outputs.logits, headLabels!, regression, attributes)) as tf.Scalar;
  });
}

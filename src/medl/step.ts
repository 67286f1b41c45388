/**
 * One Fair MEDL training step, the alternating schedule of ARMED (methods.md §2 (a)): on the main network's outputs
 * for the batch (held constant), the cluster adversary and the fairness heads each take `adversarySteps` Adam steps on
 * their own cross-entropies; then the main network takes one step of the loop's optimiser on L_main with the
 * adversaries frozen. No gradient-reversal layer: the minus signs in L_main play its part. Both passes use the
 * batch's step seed, so the adversaries see the same random-effects draw as the main update.
 */
import * as tf from '@tensorflow/tfjs';
import type { Mlp } from '../nn/mlp.js';
import type { FullStepContext, LossRecord, TrainBatch, TrainingStep } from '../train/method.js';
import { buildClusterAdversary, buildFairnessHead, sensitiveAttributes } from './adversaries.js';
import { adversaryClusterLoss, adversaryFairnessLoss, disposeTargets, lossTargets, mainLoss, type Adversaries, type LossBatch, type LossWeights } from './composite-loss.js';
import type { MedlModelConfig, MedlOutputs } from './mixed-effects-model.js';
import { clusterCount } from './clusters.js';
import { klToPrior, randomEffectVariables } from './random-effects.js';

export interface StepSettings {
  /** `weights.fairness` says whether there are fairness adversaries ('adversary') or an ACL penalty ('abscorr'). */
  weights: LossWeights;
  clusterAdversaryHidden: number[];
  fairnessHidden: number;
  adversaryLearningRate: number;
  adversarySteps: number;
}

const PARTS = ['prediction', 'mixed', 'fixed', 'cluster', 'kl', 'fairFE', 'fairME'] as const;

export function medlStep<P>(context: FullStepContext<P>, settings: StepSettings): TrainingStep {
  const config = context.model.config as MedlModelConfig;
  const withRandomEffects = config.randomEffects !== undefined;
  const nClusters = clusterCount(context.train.clusters!);
  const attributes = sensitiveAttributes(context.train.groups);
  const seed = () => context.rng.int(0x7fffffff);
  const heads = () => (settings.weights.fairness === 'adversary' ? attributes.map((attribute) => buildFairnessHead(settings.fairnessHidden, attribute.values.length, seed())) : []);
  const hiddenWidth = config.fixed.hidden.reduce((a, b) => a + b, 0);
  const cluster = buildClusterAdversary(hiddenWidth, settings.clusterAdversaryHidden, nClusters, seed());
  const fairFE = heads();
  const fairME = withRandomEffects ? heads() : [];
  const adversaries: Adversaries = { cluster, fairFE, fairME, attributes };
  const fairVariables = [...fairFE, ...fairME].flatMap((head) => head.variables);
  const clusterOptimizer = tf.train.adam(settings.adversaryLearningRate);
  const fairOptimizer = tf.train.adam(settings.adversaryLearningRate);
  const reVariables = withRandomEffects ? randomEffectVariables(context.model.weights) : [];
  const priorSd = config.randomEffects?.priorSd ?? 1;

  const updateAdversaries = (batch: TrainBatch, lossBatch: LossBatch) => {
    const outputs = tf.tidy(() => context.forwardBatch(batch)) as MedlOutputs;
    try {
      for (let k = 0; k < settings.adversarySteps; k++) {
        clusterOptimizer.minimize(() => adversaryClusterLoss(outputs, lossBatch, adversaries), false, cluster.variables);
        if (fairVariables.length > 0) fairOptimizer.minimize(() => adversaryFairnessLoss(outputs, lossBatch, adversaries), false, fairVariables);
      }
    } finally {
      tf.dispose(outputs);
    }
  };

  return {
    run: (batch) => {
      // The one-hot targets are built once per batch and serve every adversary step and the main step.
      const targets = lossTargets(batch, adversaries, settings.weights.fairness);
      const lossBatch: LossBatch = { y: batch.y, weights: batch.weights, targets: batch.targets, classes: targets };
      let parts: tf.Tensor | undefined;
      let total: tf.Scalar;
      try {
        updateAdversaries(batch, lossBatch);
        total = context.optimizer.minimize(
          () => {
            const kl = withRandomEffects ? klToPrior(reVariables, priorSd) : null;
            const loss = mainLoss(context.forwardBatch(batch) as MedlOutputs, lossBatch, adversaries, kl, settings.weights);
            parts = tf.keep(tf.stack(PARTS.map((part) => loss[part])));
            return loss.total;
          },
          true,
          context.model.variables,
        )!;
      } finally {
        disposeTargets(targets);
      }
      const record: LossRecord = { total: total.dataSync()[0] };
      total.dispose();
      const values = parts!.dataSync();
      parts!.dispose();
      PARTS.forEach((part, i) => (record[part] = values[i]));
      return record;
    },
    dispose: () => {
      for (const net of [cluster, ...fairFE, ...fairME] as Mlp[]) net.dispose();
      clusterOptimizer.dispose();
      fairOptimizer.dispose();
    },
  };
}

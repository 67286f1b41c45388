/**
 * One Fair MEDL training step, the alternating schedule of ARMED (methods.md §2 (a)): on the main network's outputs
 * for the batch (held constant), the cluster adversary and the fairness heads each take `adversarySteps` Adam steps on
 * their own cross-entropies; then the main network takes one step of the loop's optimiser on L_main with the
 * adversaries frozen. No gradient-reversal layer: the minus signs in L_main play its part.
 *
 * The adversaries' steps read the very outputs the main step differentiates: the forward pass runs once, on the main
 * step's gradient tape, and the adversaries' updates run off that tape (outsideTape) between it and L_main. The main
 * weights do not change in between, so this equals a separate forward pass for the adversaries, bit for bit, at half
 * the cost. The cluster adversary's layers after its first product run in WebAssembly (host-cluster.ts) and the
 * fairness heads' steps wholly on the host (host-heads.ts): their gradients in float64, equal to autodiff's to
 * round-off, with tf.train.adam's arithmetic.
 */
import * as tf from '@tensorflow/tfjs';
import type { Mlp } from '../nn/mlp.js';
import type { FullStepContext, LossRecord, TrainBatch, TrainingStep } from '../train/method.js';
import { buildClusterAdversary, buildFairnessHead, sensitiveAttributes, type SensitiveAttribute } from './adversaries.js';
import { disposeTargets, lossTargets, mainLoss, type Adversaries, type LossBatch, type LossWeights } from './composite-loss.js';
import type { MedlModelConfig, MedlOutputs } from './mixed-effects-model.js';
import { clusterCount } from './clusters.js';
import { HostAdam } from '../nn/host-adam.js';
import { frozenClusterLoss, HostClusterAdversary } from './host-cluster.js';
import { frozenHeadsLoss, headInput, HostFairnessHeads, type HeadRows } from './host-heads.js';
import { klToPrior, randomEffectVariables } from './random-effects.js';
import { outsideTape } from '../nn/outside-tape.js';
import { withSharedSaves } from '../nn/shared-saves.js';

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
  const hostCluster = new HostClusterAdversary(cluster, settings.adversaryLearningRate);
  const fairHeads = fairFE.length > 0 ? new HostFairnessHeads([...fairFE, ...fairME], settings.adversaryLearningRate) : null;
  const reVariables = withRandomEffects ? randomEffectVariables(context.model.weights) : [];
  const priorSd = config.randomEffects?.priorSd ?? 1;
  // The loop's optimiser, or when it is Adam, the same Adam on the host (its ~14 kernels per variable gone).
  const hostAdam = HostAdam.following(context.optimizer, context.model.variables);
  const minimizeMain = (f: () => tf.Scalar): tf.Scalar => (hostAdam ? hostAdam.minimize(f) : context.optimizer.minimize(f, true, context.model.variables)!);

  // The cluster adversary and the heads have their own variables and read the same frozen outputs: their steps are
  // independent, so the heads' run after the cluster adversary's rather than interleaved with them.
  // Returns the heads' inputs on the host, for their frozen term in L_main (null without heads).
  const updateAdversaries = (outputs: MedlOutputs, batch: TrainBatch): HeadRows[] | null => {
    hostCluster.train(outputs.hidden, batch.clusters!, settings.adversarySteps);
    if (!fairHeads) return null;
    const rows = headRows(outputs, batch, fairFE.length, fairME.length > 0, attributes);
    fairHeads.train(rows, settings.adversarySteps, batch.targets !== undefined);
    return rows;
  };

  return {
    run: (batch) => {
      // The losses' targets, each built on its first read: with the host adversaries only ACL reads any of them.
      const targets = lossTargets(batch, adversaries, settings.weights.fairness);
      const lossBatch: LossBatch = { y: batch.y, weights: batch.weights, targets: batch.targets, classes: targets };
      let parts: tf.Scalar[] = [];
      let total: tf.Scalar;
      try {
        // The tapes keep what gradients read by reference, not by an Identity copy each (shared-saves.ts).
        total = withSharedSaves(() => minimizeMain(
          () => {
            const kl = withRandomEffects ? klToPrior(reVariables, priorSd) : null;
            const outputs = context.forwardBatch(batch) as MedlOutputs;
            const rows = outsideTape(() => updateAdversaries(outputs, batch));
            // The frozen heads' term in L_main from the host too: their forward and backward passes off the tape.
            const frozen: Adversaries = {
              ...adversaries,
              frozenClusterLoss: (hidden) => frozenClusterLoss(hostCluster, batch.clusters!, hidden),
            };
            if (rows !== null) {
              frozen.frozenHeadsLoss = (heads, output) => {
                const first = heads === fairFE ? 0 : fairFE.length;
                return frozenHeadsLoss(fairHeads!, first, rows.slice(first, first + heads.length), batch.targets !== undefined, output);
              };
            }
            const loss = mainLoss(outputs, lossBatch, frozen, kl, settings.weights);
            parts = PARTS.map((part) => tf.keep(loss[part]));
            return loss.total;
          },
        ));
      } finally {
        disposeTargets(targets);
      }
      const record: LossRecord = { total: total.dataSync()[0] };
      total.dispose();
      // Read one by one: a tf.stack of the parts cost a Pack kernel per batch.
      PARTS.forEach((part, i) => (record[part] = parts[i].dataSync()[0]));
      tf.dispose(parts);
      return record;
    },
    dispose: () => {
      for (const net of [cluster, ...fairFE, ...fairME] as Mlp[]) net.dispose();
      hostCluster.dispose();
    },
  };
}

/** The heads' inputs on the host: the FE heads read ŷ_F, the ME heads (`mixed`) ŷ_M; one head per attribute each. */
function headRows(outputs: MedlOutputs, batch: TrainBatch, perOutput: number, mixed: boolean, attributes: SensitiveAttribute[]): HeadRows[] {
  const labels = (batch.targets ?? batch.y).dataSync() as Float32Array;
  const classes = attributes.map((attribute) => Int32Array.from(batch.groups, (g) => attribute.valueOfGroup[g]));
  const rows = (tensor: tf.Tensor) => {
    // One input column per output, read by each of its heads in their own steps and their frozen term.
    const input = headInput(tensor.dataSync() as Float32Array, batch.targets !== undefined);
    return Array.from({ length: perOutput }, (_, a) => ({ input, labels, classes: classes[a] }));
  };
  return [...rows(outputs.fe), ...(mixed ? rows(outputs.logits) : [])];
}

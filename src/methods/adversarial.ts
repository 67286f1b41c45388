import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { bceWithLogits } from '../nn/losses.js';
import { buildMlp, type Mlp } from '../nn/mlp.js';
import type { ModelOutputs } from '../nn/model.js';
import type { Method, Player, TrainBatch } from '../train/method.js';
import { requireTwoGroups } from './group-cells.js';

export const adversarialParams = z
  .object({
    lambda: z.number().min(0).default(0.3),
    form: z.enum(['eo', 'dp']).default('eo'),
    adversaryLearningRate: z.number().positive().default(0.01),
    adversarySteps: z.number().int().min(1).default(10),
    adversaryHidden: z.number().int().min(0).default(16),
  })
  .strict();
export type AdversarialParams = z.infer<typeof adversarialParams>;

/**
 * Adversarial debiasing (Zhang, Lemoine & Mitchell 2018; methods.md §6). An adversary predicts the group from
 * s = σ((1+|c|)·z) (dp) or from [s, s·y, s·(1−y), y] (eo; y lets it model P(A | Y)). Per batch it takes
 * `adversarySteps` Adam steps on its own loss; then the predictor takes one step along
 * ∇L_P − proj_{∇L_A} ∇L_P − λ·∇L_A, computed on the gradient flattened over all predictor weights.
 */
export const adversarial: Method<AdversarialParams> = {
  name: 'adversarial',
  summary: 'Zhang et al. (2018) adversarial debiasing with the gradient projection; the adversary predicts the group from the output (and label).',
  params: adversarialParams,
  paramDocs: {
    lambda: 'α of Zhang et al.: how hard the predictor pushes against the adversary (0 = projection only).',
    form: "'eo': the adversary also sees the label (equalised odds); 'dp': it sees the output only (demographic parity).",
    adversaryLearningRate: 'Learning rate of the adversary\'s own Adam optimiser.',
    adversarySteps: 'Adversary updates per predictor update.',
    adversaryHidden: 'Hidden units of the adversary (0 = logistic regression on its inputs).',
  },
  strength: 'lambda',
  check: (train) => requireTwoGroups('adversarial', train),
  players: ({ params, nGroups, rng }) => [new Adversary(params, nGroups, rng.int(0x7fffffff))],
  combine: (gradients, params) => projectedPredictorGradient(gradients.task, gradients.players.adversary, params.lambda),
};

/**
 * Zhang et al.'s predictor direction g_P − proj_{g_A} g_P − α·g_A, with proj_v u = (u·v / ‖v‖²)·v; the projection
 * is taken as zero when g_A = 0. With α = 0 the result is orthogonal to g_A: the predictor cannot help the adversary.
 */
export function projectedPredictorGradient(gradTask: tf.Tensor1D, gradAdversary: tf.Tensor1D, alpha: number): tf.Tensor1D {
  return tf.tidy(() => {
    const normSquared = tf.sum(tf.square(gradAdversary));
    const coefficient = tf.div(tf.sum(tf.mul(gradTask, gradAdversary)), tf.maximum(normSquared, 1e-30));
    return tf.sub(gradTask, tf.mul(tf.add(coefficient, alpha), gradAdversary));
  });
}

/** The adversary: a logistic model or one-hidden-layer MLP with a sigmoid (two groups) or softmax (more) output. */
class Adversary implements Player {
  readonly name = 'adversary';
  readonly variables: tf.Variable[];
  readonly optimizer: Player['optimizer'];
  readonly steps: number;
  private readonly net: Mlp;
  /** Zhang's c in s = σ((1+|c|)·z), learned by the adversary. */
  private readonly sharpness: tf.Variable;

  constructor(private readonly params: AdversarialParams, private readonly nGroups: number, seed: number) {
    const hidden = params.adversaryHidden > 0 ? [params.adversaryHidden] : [];
    this.net = buildMlp({ inputDim: params.form === 'eo' ? 4 : 1, hidden, activation: 'relu', outputDim: nGroups === 2 ? 1 : nGroups, seed });
    const initial = tf.scalar(0);
    this.sharpness = tf.variable(initial, true);
    initial.dispose();
    this.variables = [...this.net.variables, this.sharpness];
    this.optimizer = { kind: 'adam', learningRate: params.adversaryLearningRate };
    this.steps = params.adversarySteps;
  }

  /** What the adversary predicts: group ids as 0/1 floats (two groups) or one-hot rows. */
  private targets(groups: Int32Array): tf.Tensor {
    return this.nGroups === 2 ? tf.tensor1d(Float32Array.from(groups)) : tf.oneHot(tf.tensor1d(groups, 'int32'), this.nGroups).toFloat();
  }

  loss({ logits }: ModelOutputs, batch: TrainBatch): tf.Scalar {
    return tf.tidy(() => {
      const targets = this.targets(batch.groups);
      const s = tf.sigmoid(tf.mul(tf.add(1, tf.abs(this.sharpness)), logits));
      const input = this.params.form === 'eo' ? eoInput(s, batch.labels) : s;
      const output = this.net.apply(input as tf.Tensor2D);
      if (this.nGroups === 2) return bceWithLogits(output, targets);
      return tf.mean(tf.sub(tf.logSumExp(output, 1), tf.sum(tf.mul(output, targets), 1)));
    });
  }

  dispose(): void {
    this.net.dispose();
    this.sharpness.dispose();
  }
}

/**
 * The eo adversary's input [s, s·y, s·(1−y), y] for 0/1 labels y, formed as s·[1, y, 1−y, 0] + [0, 0, 0, y]: the same
 * values exactly, without the column concat (and its split in the backward pass), which are slow on wasm.
 */
function eoInput(s: tf.Tensor, labels: Uint8Array): tf.Tensor2D {
  const scale = new Float32Array(labels.length * 4);
  const offset = new Float32Array(labels.length * 4);
  for (let i = 0; i < labels.length; i++) {
    scale.set([1, labels[i], 1 - labels[i], 0], i * 4);
    offset[i * 4 + 3] = labels[i];
  }
  return tf.add(tf.mul(s, tf.tensor2d(scale, [labels.length, 4])), tf.tensor2d(offset, [labels.length, 4]));
}

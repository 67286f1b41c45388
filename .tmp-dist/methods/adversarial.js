import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { bceWithLogits } from '../nn/losses.js';
import { buildMlp } from '../nn/mlp.js';
import { taskLoss } from './erm.js';
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
/**
 * Adversarial debiasing (Zhang, Lemoine & Mitchell 2018; methods.md §6). An adversary predicts the group from
 * s = σ((1+|c|)·z) (dp) or from [s, s·y, s·(1−y), y] (eo; y lets it model P(A | Y)). Per batch it takes
 * `adversarySteps` Adam steps on its own loss; then the predictor takes one step along
 * ∇L_P − proj_{∇L_A} ∇L_P − λ·∇L_A, computed on the gradient flattened over all predictor weights.
 */
export const adversarial = {
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
    check: (train) => requireTwoGroups('adversarial', train),
    createStep: ({ params, model, optimizer, nGroups, rng }) => {
        const adversary = new Adversary(params, nGroups, rng.int(0x7fffffff));
        const adversaryOptimizer = tf.train.adam(params.adversaryLearningRate);
        return {
            run: (batch) => {
                const forward = () => model.apply(batch.x, { training: true, dropoutSeed: batch.dropoutSeed });
                const labels = tf.reshape(batch.y, [-1, 1]);
                const targets = adversary.targets(batch.groups);
                try {
                    const logits = forward();
                    try {
                        for (let k = 0; k < params.adversarySteps; k++) {
                            adversaryOptimizer.minimize(() => adversary.loss(logits, labels, targets), false, adversary.variables);
                        }
                    }
                    finally {
                        logits.dispose();
                    }
                    return predictorStep(batch, forward, () => adversary.loss(forward(), labels, targets), model, optimizer, params.lambda);
                }
                finally {
                    labels.dispose();
                    targets.dispose();
                }
            },
            dispose: () => {
                adversary.dispose();
                adversaryOptimizer.dispose();
            },
        };
    },
};
/** One predictor update with Zhang's projected gradient; returns the task loss. */
function predictorStep(batch, forward, adversaryLoss, model, optimizer, alpha) {
    return tf.tidy(() => {
        const task = tf.variableGrads(() => taskLoss(forward(), batch), model.variables);
        const against = tf.variableGrads(adversaryLoss, model.variables);
        const flat = (grads) => tf.concat(model.variables.map((v) => tf.reshape(grads[v.name], [-1])));
        const direction = projectedPredictorGradient(flat(task.grads), flat(against.grads), alpha);
        const parts = tf.split(direction, model.variables.map((v) => v.size));
        optimizer.applyGradients(Object.fromEntries(model.variables.map((v, i) => [v.name, tf.reshape(parts[i], v.shape)])));
        return task.value.dataSync()[0];
    });
}
/**
 * Zhang et al.'s predictor direction g_P − proj_{g_A} g_P − α·g_A, with proj_v u = (u·v / ‖v‖²)·v; the projection
 * is taken as zero when g_A = 0. With α = 0 the result is orthogonal to g_A: the predictor cannot help the adversary.
 */
export function projectedPredictorGradient(gradTask, gradAdversary, alpha) {
    return tf.tidy(() => {
        const normSquared = tf.sum(tf.square(gradAdversary));
        const coefficient = tf.div(tf.sum(tf.mul(gradTask, gradAdversary)), tf.maximum(normSquared, 1e-30));
        return tf.sub(gradTask, tf.mul(tf.add(coefficient, alpha), gradAdversary));
    });
}
/** The adversary: a logistic model or one-hidden-layer MLP with a sigmoid (two groups) or softmax (more) output. */
class Adversary {
    params;
    nGroups;
    variables;
    net;
    /** Zhang's c in s = σ((1+|c|)·z), learned by the adversary. */
    sharpness;
    constructor(params, nGroups, seed) {
        this.params = params;
        this.nGroups = nGroups;
        const hidden = params.adversaryHidden > 0 ? [params.adversaryHidden] : [];
        this.net = buildMlp({ inputDim: params.form === 'eo' ? 4 : 1, hidden, activation: 'relu', outputDim: nGroups === 2 ? 1 : nGroups, seed });
        const initial = tf.scalar(0);
        this.sharpness = tf.variable(initial, true);
        initial.dispose();
        this.variables = [...this.net.variables, this.sharpness];
    }
    /** What the adversary predicts: group ids as 0/1 floats (two groups) or one-hot rows. */
    targets(groups) {
        return tf.tidy(() => (this.nGroups === 2 ? tf.tensor1d(Float32Array.from(groups)) : tf.oneHot(tf.tensor1d(groups, 'int32'), this.nGroups).toFloat()));
    }
    loss(logits, labels, targets) {
        return tf.tidy(() => {
            const s = tf.sigmoid(tf.mul(tf.add(1, tf.abs(this.sharpness)), logits));
            const input = this.params.form === 'eo' ? tf.concat([s, tf.mul(s, labels), tf.mul(s, tf.sub(1, labels)), labels], 1) : s;
            const output = this.net.apply(input);
            if (this.nGroups === 2)
                return bceWithLogits(output, targets);
            return tf.mean(tf.sub(tf.logSumExp(output, 1), tf.sum(tf.mul(output, targets), 1)));
        });
    }
    dispose() {
        this.net.dispose();
        this.sharpness.dispose();
    }
}
//# sourceMappingURL=adversarial.js.map
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { minimizeLoss } from '../train/batches.js';
import { taskLoss } from './erm.js';
import { requireTwoGroups } from './group-cells.js';
export const fairMixupParams = z
    .object({
    lambda: z.number().min(0).default(0.5),
    form: z.enum(['eo', 'dp']).default('eo'),
    mixupAlpha: z.number().positive().default(1),
})
    .strict();
/**
 * Fair Mixup (Chuang & Mroueh, ICLR 2021; methods.md §6): the task loss plus λ times the smoothness of the mean
 * prediction along the path between groups, |d/dt mean σ(f(t·x⁰ + (1−t)·x¹))|, with x⁰ and x¹ drawn from two
 * groups inside the batch (within each label for eo) and t ~ Beta(α, α). The regulariser is a gradient inside
 * the loss, so training differentiates twice (the sigmoid gradient fix of nn/gradient-fixes.ts makes that exact).
 */
export const fairMixup = {
    name: 'fairmixup',
    summary: 'Fair Mixup (Chuang & Mroueh 2021): task loss + lambda · |path derivative of the mean prediction| between groups.',
    params: fairMixupParams,
    paramDocs: {
        lambda: 'Weight of the mixup smoothness penalty (0 = erm).',
        form: "'eo': pairs drawn within each label, one penalty per label (equalised odds); 'dp': pairs drawn from the whole batch.",
        mixupAlpha: 'α of the Beta(α, α) distribution of the mixing weight t (1 = uniform, as in the paper\'s code).',
    },
    check: (train) => requireTwoGroups('fairmixup', train),
    createStep: ({ params, model, optimizer, nGroups, train, rng }) => {
        const reference = referenceGroup(train);
        return {
            run: (batch) => {
                const pairs = drawMixupPairs(batch.labels, batch.groups, nGroups, reference, params, rng).map(({ rows0, rows1, t }) => ({
                    x0: gatherRows(batch.x, rows0),
                    x1: gatherRows(batch.x, rows1),
                    t,
                }));
                try {
                    return minimizeLoss(optimizer, model.variables, () => {
                        let loss = taskLoss(model.apply(batch.x, { training: true, dropoutSeed: batch.dropoutSeed }), batch);
                        pairs.forEach(({ x0, x1, t }, k) => {
                            const options = { training: true, dropoutSeed: (batch.dropoutSeed + k + 1) % 0x7fffffff };
                            loss = tf.add(loss, tf.mul(params.lambda, mixupPenalty(model, x0, x1, t, options)));
                        });
                        return loss;
                    });
                }
                finally {
                    for (const pair of pairs)
                        tf.dispose([pair.x0, pair.x1]);
                }
            },
            dispose: () => { },
        };
    },
};
function gatherRows(x, rows) {
    return tf.tidy(() => tf.gather(x, tf.tensor1d(rows, 'int32')));
}
/**
 * |mean_i ∇_x σ(f(x_t,i)) · (x⁰_i − x¹_i)| with x_t = t·x⁰ + (1−t)·x¹: the derivative in t of the mean prediction
 * along the mixing path, as a Jacobian-vector product of the batch mean's gradient with the direction.
 */
export function mixupPenalty(model, x0, x1, t, options = {}) {
    return tf.tidy(() => {
        const mixed = tf.add(tf.mul(t, x0), tf.mul(1 - t, x1));
        const gradOfMean = tf.grad((x) => tf.mean(tf.sigmoid(model.apply(x, options))))(mixed);
        return tf.abs(tf.sum(tf.mul(gradOfMean, tf.sub(x0, x1))));
    });
}
/**
 * The pairs of one step: for each condition (each label for eo, the whole batch for dp) and each group other than
 * the reference, min(n_g, n_ref) random rows of that group against as many of the reference group. A pairing with
 * an empty side (the batch lacks a group or label) is skipped.
 */
export function drawMixupPairs(labels, groups, nGroups, reference, params, rng) {
    const conditions = params.form === 'eo' ? [0, 1] : [-1];
    const pairs = [];
    for (const condition of conditions) {
        const rowsOf = (group) => {
            const rows = [];
            for (let i = 0; i < groups.length; i++)
                if (groups[i] === group && (condition < 0 || labels[i] === condition))
                    rows.push(i);
            return rng.shuffle(Int32Array.from(rows));
        };
        const referenceRows = rowsOf(reference);
        for (let group = 0; group < nGroups; group++) {
            if (group === reference)
                continue;
            const rows = rowsOf(group);
            const m = Math.min(rows.length, referenceRows.length);
            if (m === 0)
                continue;
            pairs.push({ rows0: rows.slice(0, m), rows1: referenceRows.slice(0, m), t: rng.beta(params.mixupAlpha, params.mixupAlpha) });
        }
    }
    return pairs;
}
/** The group every other group is mixed with: the privileged group when the data names one, else the largest. */
export function referenceGroup(train) {
    if (train.groups.privileged !== undefined)
        return train.groups.privileged;
    const counts = new Int32Array(train.groups.keys.length);
    for (const id of train.groups.ids)
        counts[id]++;
    return counts.indexOf(Math.max(...counts));
}
//# sourceMappingURL=fairmixup.js.map
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { requireTwoGroups } from './group-cells.js';
import { gradientPenaltyStep, pairsWithReference, splitIntoCells } from './subgroup-gradients.js';
export const gradAlignParams = z
    .object({
    lambda: z.number().min(0).default(1e-5),
    mismatch: z.enum(['abs', 'square']).default('abs'),
    reduction: z.enum(['sum', 'mean']).default('sum'),
    layers: z.string().min(1).default('all'),
    oversample: z.boolean().default(false),
})
    .strict();
/**
 * Direct gradient aligning (GCM paper Eq. 17; methods.md §6; docs/methods/grad-align.md): the signed gradients of
 * the cells (A=a, Y=y) are pulled together within each label, every group against the reference group (the one
 * the model is most confident about):  L = BCE + λ · Σ_y Σ_{a ≠ ref} Σ_w d(g_w^{a,y} − g_w^{ref,y}).
 * Unlike GCM it matches directions as well as magnitudes and has no confidence weights.
 */
export const gradAlign = {
    name: 'grad-align',
    summary: 'Direct gradient aligning (GCM Eq. 17): + lambda · Σ_y |subgroup gradient differences| (double backprop).',
    params: gradAlignParams,
    paramDocs: {
        lambda: 'Weight of the alignment penalty (0 = erm). With summed subgroup losses, abs mismatch and all 20,601 weights of Adult\'s MLP, useful values are about 1e-6 to 1e-4.',
        mismatch: "'abs' |d| summed over weights (default), or 'square' d².",
        reduction: "'sum': gradients of the summed subgroup losses (Eq. 6–7 notation; default); 'mean': of the mean losses.",
        layers: "Weights the penalty covers: 'all', or names separated by ',' or '+' (dense0/kernel, dense0/bias, a layer dense0, weight0, bias0, …).",
        oversample: 'Draw batches with equal (group, label) cells (the GCM paper\'s aligning table starts from OverSampling).',
    },
    sampler: (params) => (params.oversample ? 'balanced' : 'shuffle'),
    check: (train) => requireTwoGroups('grad-align', train),
    createStep: ({ params, model, optimizer, nGroups }) => gradientPenaltyStep(model, optimizer, {
        lambda: params.lambda,
        layers: params.layers,
        cellsOf: (batch) => splitIntoCells(batch, nGroups),
        penalty: (cells) => gradAlignPenalty(cells, params),
    }),
};
/** Σ_y Σ_{a ≠ ref} Σ_w d(g^{a,y} − g^{ref,y}); null when no label has cells from two groups. */
export function gradAlignPenalty(cells, options) {
    const pairs = pairsWithReference(cells);
    if (pairs.length === 0)
        return null;
    return tf.tidy(() => {
        const scale = (cell) => (options.reduction === 'mean' ? 1 / cell.size : 1);
        const terms = [];
        for (const { reference, others } of pairs) {
            for (const other of others) {
                other.grads.forEach((grad, k) => {
                    const difference = tf.sub(tf.mul(scale(other), grad), tf.mul(scale(reference), reference.grads[k]));
                    terms.push(tf.sum(options.mismatch === 'abs' ? tf.abs(difference) : tf.square(difference)));
                });
            }
        }
        return tf.addN(terms);
    });
}
//# sourceMappingURL=grad-align.js.map
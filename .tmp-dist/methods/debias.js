/**
 * Debiasing a trained model with GroupMixNorm (the paper's "pre-trained debiasing" experiment, methods.md §1(b)):
 * GroupMixNorm layers are inserted into a trained MLP, whose weights are kept, their running statistics set to the
 * exact statistics of the fine-tuning rows, and the result is fine-tuned on a small fraction of the training data
 * with the task loss alone.
 *
 * Not a registry method: it needs a trained model object. `groupMixNormDebias(pretrained)` is a FairnessMethod
 * whose buildModel inserts the layers into `pretrained` (left unchanged), so `fit` fine-tunes it like any method;
 * `startingFrom(method, pretrained)` gives any other method the same warm start, for fair comparisons; and
 * `fineTuningSubset` draws the limited data, stratified by (group, label).
 */
import { z } from 'zod';
import { FairkitError } from '../errors.js';
import { insertGroupMixNorm } from '../nn/group-mix-norm-mlp.js';
import { createMlp } from '../nn/mlp.js';
import { Rng } from '../rng.js';
import { groupMixNorm, groupMixNormOptions, groupMixNormParamDocs, groupMixNormParams } from './groupmixnorm.js';
export const debiasParams = groupMixNormParams.extend({ freezeBase: z.boolean().default(false), calibrate: z.boolean().default(true) }).strict();
export function groupMixNormDebias(pretrained) {
    return {
        ...groupMixNorm,
        name: 'groupmixnorm-debias',
        summary: 'GroupMixNorm layers inserted into a trained MLP, then fine-tuned (on limited data).',
        params: debiasParams,
        paramDocs: {
            ...groupMixNormParamDocs,
            freezeBase: 'Train only the GroupMixNorm scale and shift; the trained dense weights stay fixed.',
            calibrate: "Start the layers' running statistics at the exact statistics of the fine-tuning rows (else at mean 0, variance 1, which the momentum averages need many steps to forget).",
        },
        buildModel: (config, params, train) => {
            checkSameShape(config, pretrained);
            const model = insertGroupMixNorm(pretrained, { ...groupMixNormOptions(params, train), freezeBase: params.freezeBase });
            if (params.calibrate)
                model.calibrate(train.X, train.nRows, train.groups.ids);
            return model;
        },
    };
}
/** The method, with training starting from a copy of `pretrained`'s weights instead of a fresh MLP. */
export function startingFrom(method, pretrained) {
    if (method.buildModel)
        throw new FairkitError(`method '${method.name}' builds its own model, so it cannot start from a trained MLP`);
    return {
        ...method,
        buildModel: (config) => {
            checkSameShape(config, pretrained);
            return createMlp(pretrained.architecture, pretrained.weights.map((w) => w.variable.dataSync()));
        },
    };
}
/** A random `fraction` of the rows, the same fraction of every (group, label) cell (at least one row of each). */
export function fineTuningSubset(data, fraction, seed) {
    if (!(fraction > 0 && fraction <= 1))
        throw new FairkitError(`the fine-tuning fraction must be in (0, 1], got ${fraction}`);
    const rng = new Rng(seed);
    const cells = new Map();
    for (let row = 0; row < data.nRows; row++) {
        const cell = data.groups.ids[row] * 2 + data.y[row];
        if (!cells.has(cell))
            cells.set(cell, []);
        cells.get(cell).push(row);
    }
    const rows = [...cells.values()].flatMap((members) => Array.from(rng.shuffle(Int32Array.from(members)).subarray(0, Math.max(1, Math.round(fraction * members.length)))));
    rows.sort((a, b) => a - b);
    const d = data.nFeatures;
    const X = new Float32Array(rows.length * d);
    rows.forEach((row, i) => X.set(data.X.subarray(row * d, (row + 1) * d), i * d));
    return {
        ...data,
        X,
        nRows: rows.length,
        y: Uint8Array.from(rows, (row) => data.y[row]),
        groups: { ...data.groups, ids: Int32Array.from(rows, (row) => data.groups.ids[row]) },
        ...(data.clusters ? { clusters: Int32Array.from(rows, (row) => data.clusters[row]) } : {}),
    };
}
function checkSameShape(config, pretrained) {
    const { inputDim, hidden } = pretrained.architecture;
    if (config.inputDim !== inputDim || config.hidden.join() !== hidden.join()) {
        throw new FairkitError(`the trained model is ${inputDim}→[${hidden.join(', ')}], but training asks for ${config.inputDim}→[${config.hidden.join(', ')}]`, {
            fix: 'Fine-tune with the hidden sizes the model was trained with, on data encoded the same way',
        });
    }
}
//# sourceMappingURL=debias.js.map
/**
 * GCM's group contribution disparity (Li et al. 2023, Eq. 8–9; methods.md §5a), a training diagnostic:
 *
 *   r^{t,y} = (1/p) Σ_w |g_w^{a,y}| / |g_w^{ref,y}|,
 *
 * with g^{a,y} the gradient of the summed BCE of the batch's cell (A=a, Y=y) (= |Z_ay|·|ḡ|, Eq. 6), the mean taken
 * over all p weights (overall, Eq. 8) or over one layer's kernel and bias (perLayer, Eq. 9). 1 means both groups
 * pull every weight equally hard; the paper's Fig. 2 plots it over training for standard training and oversampling.
 *
 * A weight whose reference gradient is exactly 0 has no defined ratio and is left out: with one-hot inputs this
 * is common (the reference cell never has the other group's one-hot feature set, nor rare categories), and any
 * ε added instead would decide the mean. Ratios over tiny reference gradients still make the mean heavy-tailed,
 * so the median over the same weights is recorded beside it (median, perLayerMedian).
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { cellGradients, disposeCells, splitIntoCells } from './subgroup-gradients.js';
/**
 * Eq. 8/9 for one batch and model, for each label y and each group other than `reference` that has rows with
 * label y in the batch (nothing for a label whose reference cell is empty).
 */
export function contributionDisparity(model, batch, reference) {
    const nGroups = Math.max(reference, ...batch.groups) + 1;
    const cells = splitIntoCells(batch, nGroups);
    try {
        const gradients = tf.tidy(() => cellGradients(model, cells, model.variables).map((cell) => ({ group: cell.group, label: cell.label, size: cell.size, grads: cell.grads.map((g) => g.dataSync()) })));
        const layerOf = model.weights.map((w) => w.name.split('/')[0]);
        const layers = [...new Set(layerOf)];
        const result = [];
        for (const y of [0, 1]) {
            const referenceCell = gradients.find((cell) => cell.label === y && cell.group === reference);
            if (!referenceCell)
                continue;
            for (const cell of gradients.filter((c) => c.label === y && c.group !== reference)) {
                const byLayer = layers.map((layer) => definedRatios(cell.grads.filter((_, k) => layerOf[k] === layer), referenceCell.grads.filter((_, k) => layerOf[k] === layer)));
                const all = Float64Array.from(byLayer.flatMap((ratios) => [...ratios]));
                result.push({
                    y,
                    group: cell.group,
                    reference,
                    sizes: [cell.size, referenceCell.size],
                    overall: mean(all),
                    perLayer: Object.fromEntries(layers.map((layer, l) => [layer, mean(byLayer[l])])),
                    median: median(all),
                    perLayerMedian: Object.fromEntries(layers.map((layer, l) => [layer, median(byLayer[l])])),
                });
            }
        }
        return result;
    }
    finally {
        disposeCells(cells);
    }
}
/** |a_w| / |b_w| for every weight w of the given arrays where b_w ≠ 0. */
function definedRatios(a, b) {
    const ratios = [];
    a.forEach((values, k) => {
        for (let i = 0; i < values.length; i++)
            if (b[k][i] !== 0)
                ratios.push(Math.abs(values[i]) / Math.abs(b[k][i]));
    });
    return Float64Array.from(ratios);
}
const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;
function median(values) {
    const sorted = values.slice().sort();
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
/**
 * Records the contribution disparity before every (every-th) optimiser step. Pass `tracker.onBatchStart` to
 * fit's `onBatchStart`; it costs about one extra forward and backward pass per recorded step.
 */
export class ContributionTracker {
    records = [];
    reference;
    every;
    groups;
    constructor(options = {}) {
        this.every = options.every ?? 1;
        if (!Number.isInteger(this.every) || this.every < 1)
            throw new FairkitError(`every must be a positive integer, got ${options.every}`, { where: 'contribution tracker' });
        this.groups = options.groups;
        this.reference = options.reference ?? options.groups?.privileged;
    }
    onBatchStart = (batch, model, step, epoch) => {
        if (step % this.every !== 0)
            return;
        this.reference ??= largestGroup(batch.groups);
        for (const disparity of contributionDisparity(model, batch, this.reference))
            this.records.push({ step, epoch, ...disparity });
    };
    /** The records with the group names when known. */
    toJSON(groups = this.groups) {
        return {
            metric: 'GCM group contribution disparity (Eq. 8 overall, Eq. 9 per layer): mean over weights of |g^{group,y}| / |g^{reference,y}|, summed-BCE cell gradients, before each optimiser step',
            ...(groups ? { groups: groups.keys } : {}),
            ...(this.reference !== undefined ? { reference: this.reference } : {}),
            records: this.records,
        };
    }
    writeJson(path, groups) {
        writeFileAtomic(path, `${JSON.stringify(this.toJSON(groups))}\n`);
    }
}
function largestGroup(groups) {
    const counts = new Map();
    for (const g of groups)
        counts.set(g, (counts.get(g) ?? 0) + 1);
    return [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
}
//# sourceMappingURL=contribution.js.map
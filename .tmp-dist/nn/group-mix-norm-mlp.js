/**
 * An MLP with GroupMixNorm layers after chosen hidden layers: the model of the `groupmixnorm` method and of
 * debiasing a trained MLP. It implements the Mlp interface, so the training loop, metrics and save/load treat it
 * like any model; group ids come in through `apply(x, { groups })` and `predictProba(X, n, batchSize, groups)`.
 *
 * - `architecture` is the dense stack (a plain MlpArchitecture, whose weights are named and initialised exactly as
 *   buildMlp's); `saved` is the whole architecture written to model.json (kind 'groupmixnorm-mlp').
 * - `weights` lists every saved tensor: the dense weights, then per GroupMixNorm layer γ, β and the running
 *   statistics; `variables` only the trained ones (the running statistics are state, not parameters).
 * - In training mode `apply` needs `dropoutSeed`: the mixing weights of this call are drawn from it, so a step is
 *   reproducible; it also updates the running statistics (so call it in training mode once per optimiser step).
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { GroupMixNormUnit, GroupMoments, resolveSettings, unitWeightSpecs } from './group-mix-norm-unit.js';
import { activate, buildMlp, createMlp, dropoutMask } from './mlp.js';
export const PLACEMENTS = ['postActivation', 'preActivation'];
export function isGroupMixNormMlp(model) {
    return model.saved?.kind === 'groupmixnorm-mlp';
}
/** A fresh model: seeded dense weights as buildMlp(config), GroupMixNorm layers at their initial state. */
export function buildGroupMixNormMlp(config, options) {
    const base = buildMlp(config);
    return assemble(resolveArchitecture(base.architecture, options), base);
}
/** Inserts GroupMixNorm layers into a trained MLP (its weights are copied; the original model is left as it is). */
export function insertGroupMixNorm(trained, options) {
    if (isGroupMixNormMlp(trained))
        throw new FairkitError('the model already has GroupMixNorm layers', { where: 'insertGroupMixNorm' });
    const base = createMlp(trained.architecture, trained.weights.map((w) => w.variable.dataSync()));
    return assemble(resolveArchitecture(trained.architecture, options), base);
}
/** The model from a saved architecture and arrays in `weights` order (used by loadModel). */
export function createGroupMixNormMlp(saved, arrays) {
    const where = 'GroupMixNorm MLP weights';
    const architecture = resolveArchitecture(saved.base, saved);
    const nDense = 2 * (architecture.base.hidden.length + 1);
    const base = createMlp(architecture.base, arrays.slice(0, nDense));
    const perUnit = unitWeightSpecs({ nGroups: 1, channels: 1 }, architecture.settings).length;
    const expected = nDense + perUnit * architecture.positions.length;
    if (arrays.length !== expected) {
        base.dispose();
        throw new FairkitError(`expected ${expected} weight arrays, got ${arrays.length}`, { where });
    }
    const unitArrays = architecture.positions.map((_, u) => arrays.slice(nDense + u * perUnit, nDense + (u + 1) * perUnit));
    return assemble(architecture, base, unitArrays);
}
function assemble(architecture, base, unitArrays) {
    const units = new Map();
    try {
        architecture.positions.forEach((layer, u) => {
            const shape = { nGroups: architecture.nGroups, channels: architecture.base.hidden[layer] };
            const arrays = unitArrays?.[u];
            if (arrays)
                checkUnitArrays(arrays, unitWeightSpecs(shape, architecture.settings), `gmn${layer}`);
            units.set(layer, new GroupMixNormUnit(`gmn${layer}`, shape, architecture.settings, arrays));
        });
    }
    catch (error) {
        base.dispose();
        for (const unit of units.values())
            unit.dispose();
        throw error;
    }
    return new FunctionalGroupMixNormMlp(architecture, base, units);
}
function checkUnitArrays(arrays, specs, prefix) {
    specs.forEach((spec, i) => {
        const size = spec.shape.reduce((a, b) => a * b, 1);
        if (arrays[i].length !== size) {
            throw new FairkitError(`${prefix}/${spec.name} has ${arrays[i].length} values, expected ${size}`, { where: 'GroupMixNorm MLP weights' });
        }
    });
}
function resolveArchitecture(base, options) {
    const where = 'GroupMixNorm MLP';
    const nHidden = base.hidden.length;
    if (!Number.isInteger(options.nGroups) || options.nGroups < 1)
        throw new FairkitError(`nGroups must be a positive integer, got ${options.nGroups}`, { where });
    if (nHidden === 0)
        throw new FairkitError('the MLP has no hidden layer to put GroupMixNorm after', { where, fix: 'Give it at least one hidden layer' });
    const positions = [...new Set(options.positions ?? base.hidden.map((_, i) => i))].sort((a, b) => a - b);
    const bad = positions.filter((p) => !Number.isInteger(p) || p < 0 || p >= nHidden);
    if (bad.length > 0 || positions.length === 0) {
        throw new FairkitError(`positions ${JSON.stringify(options.positions)} must be hidden layer indices from 0 to ${nHidden - 1}`, { where });
    }
    const placement = options.placement ?? 'postActivation';
    if (!PLACEMENTS.includes(placement))
        throw new FairkitError(`placement must be one of ${PLACEMENTS.join(', ')}, got '${placement}'`, { where });
    return {
        kind: 'groupmixnorm-mlp',
        base,
        nGroups: options.nGroups,
        positions,
        placement,
        settings: resolveSettings(options.settings ?? {}, where),
        freezeBase: options.freezeBase ?? false,
    };
}
const PREDICT_BATCH = 8192;
class FunctionalGroupMixNormMlp {
    saved;
    base;
    units;
    architecture;
    weights;
    variables;
    constructor(saved, base, units) {
        this.saved = saved;
        this.base = base;
        this.units = units;
        this.architecture = saved.base;
        const ordered = [...units.values()];
        this.weights = [...base.weights, ...ordered.flatMap((unit) => unit.weights)];
        this.variables = [...(saved.freezeBase ? [] : base.variables), ...ordered.flatMap((unit) => unit.trainable)];
    }
    setInference(mode, mix = this.saved.settings.inferenceMix) {
        // The units share this settings object, so the change reaches them all (and the next save).
        Object.assign(this.saved.settings, resolveSettings({ ...this.saved.settings, inferenceMode: mode, inferenceMix: mix }, 'setInference'));
    }
    apply(x, options = {}) {
        return this.forward(x, options);
    }
    calibrate(X, nRows, groups, batchSize = PREDICT_BATCH) {
        this.checkRows(X, nRows, groups);
        for (const [layer, unit] of this.units) {
            const moments = new GroupMoments(this.saved.nGroups, unit.shape.channels);
            for (let start = 0; start < nRows; start += batchSize) {
                const rows = Math.min(batchSize, nRows - start);
                const batchGroups = groups.subarray(start, start + rows);
                const features = tf.tidy(() => this.forward(this.rowsOf(X, start, rows), { groups: batchGroups }, layer));
                moments.add(features.dataSync(), batchGroups);
                features.dispose();
            }
            unit.setStatistics(moments.result());
        }
    }
    /** The logits, or with `stopAt` the features that enter the GroupMixNorm layer of that hidden layer. */
    forward(x, options, stopAt) {
        const { hidden, dropout, activation } = this.architecture;
        const training = options.training === true;
        if (training && options.dropoutSeed === undefined) {
            throw new Error('GroupMixNorm MLP.apply: training needs a dropoutSeed (the mixing weights are drawn from it)');
        }
        return tf.tidy(() => {
            const dropoutRng = training && dropout > 0 ? new Rng(options.dropoutSeed) : null;
            const mixRng = training ? new Rng(options.dropoutSeed).fork() : undefined;
            const norm = (h, layer) => (this.units.get(layer)?.apply(h, { training, groups: options.groups, rng: mixRng }) ?? h);
            let h = x;
            for (let layer = 0; layer <= hidden.length; layer++) {
                h = tf.add(tf.matMul(h, this.base.variables[2 * layer]), this.base.variables[2 * layer + 1]);
                if (layer === hidden.length)
                    break;
                if (this.saved.placement === 'preActivation') {
                    if (layer === stopAt)
                        return h;
                    h = norm(h, layer);
                }
                h = activate(h, activation);
                if (this.saved.placement === 'postActivation') {
                    if (layer === stopAt)
                        return h;
                    h = norm(h, layer);
                }
                if (dropoutRng !== null)
                    h = tf.mul(h, dropoutMask(h.shape, dropout, dropoutRng));
            }
            return h;
        });
    }
    predictLogits(X, nRows, batchSize = PREDICT_BATCH, groups) {
        return this.batched(X, nRows, batchSize, groups, (logits) => logits);
    }
    predictProba(X, nRows, batchSize = PREDICT_BATCH, groups) {
        const toProba = this.architecture.outputDim === 1 ? tf.sigmoid : tf.softmax;
        return this.batched(X, nRows, batchSize, groups, (logits) => toProba(logits));
    }
    dispose() {
        this.base.dispose();
        for (const unit of this.units.values())
            unit.dispose();
    }
    batched(X, nRows, batchSize, groups, finish) {
        this.checkRows(X, nRows, groups);
        const { outputDim } = this.architecture;
        const out = new Float32Array(nRows * outputDim);
        for (let start = 0; start < nRows; start += batchSize) {
            const rows = Math.min(batchSize, nRows - start);
            const values = tf.tidy(() => finish(this.apply(this.rowsOf(X, start, rows), { groups: groups?.subarray(start, start + rows) })).dataSync());
            out.set(values, start * outputDim);
        }
        return out;
    }
    rowsOf(X, start, rows) {
        const { inputDim } = this.architecture;
        return tf.tensor2d(X.subarray(start * inputDim, (start + rows) * inputDim), [rows, inputDim]);
    }
    checkRows(X, nRows, groups) {
        const { inputDim } = this.architecture;
        const where = 'GroupMixNorm MLP input';
        if (!Number.isInteger(nRows) || nRows < 0 || X.length !== nRows * inputDim) {
            throw new FairkitError(`features have ${X.length} values, expected ${nRows} rows × ${inputDim} columns`, { where });
        }
        if (groups !== undefined && groups.length !== nRows)
            throw new FairkitError(`${groups.length} group ids for ${nRows} rows`, { where });
    }
}
//# sourceMappingURL=group-mix-norm-mlp.js.map
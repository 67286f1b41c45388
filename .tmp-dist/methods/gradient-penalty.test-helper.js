/**
 * Test support for the gradient-penalty methods (gcm, iga, grad-align): the float64 PyTorch double-backprop
 * fixture of scripts/fixtures/gcm_double_backprop.py, and the same quantities computed by fairkit.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng.js';
import fixtureJson from './fixtures/gcm.json' with { type: 'json' };
import { gcmPenalty } from './gcm.js';
import { gradAlignPenalty } from './grad-align.js';
import { igaPenalty } from './iga.js';
import { cellGradients, disposeCells, meanTaskLoss, selectWeights, splitIntoCells } from './subgroup-gradients.js';
import { mlpWithWeights } from './test-support.js';
export const penaltyCases = fixtureJson.cases;
export function modelFor(c) {
    return mlpWithWeights(c.inputDim, c.hidden, c.activation, c.weights);
}
/** The fixture's batch; the caller disposes x and y. */
export function batchFor(c) {
    return {
        x: tf.tensor2d(c.x, [c.nRows, c.inputDim]),
        y: tf.tensor1d(c.labels),
        labels: Uint8Array.from(c.labels),
        groups: Int32Array.from(c.groups),
        dropoutSeed: 1,
    };
}
function penaltyOf(c, cells) {
    switch (c.method) {
        case 'gcm':
            return gcmPenalty(cells, c.params);
        case 'iga':
            return igaPenalty(cells);
        case 'grad-align':
            return gradAlignPenalty(cells, c.params);
    }
}
/** Task loss, penalty and d penalty / d(every weight), computed by fairkit's functions on the fixture's case. */
export function penaltyAndGrads(c) {
    const model = modelFor(c);
    const batch = batchFor(c);
    const cells = splitIntoCells(batch, c.nGroups);
    try {
        const selected = selectWeights(model, String(c.params.layers));
        let taskLoss = Number.NaN;
        const result = tf.tidy(() => {
            const { value, grads } = tf.variableGrads(() => {
                const gradients = cellGradients(model, cells, selected);
                taskLoss = meanTaskLoss(gradients).dataSync()[0];
                return penaltyOf(c, gradients);
            }, model.variables);
            const gradOf = (v) => grads[v.name]?.dataSync() ?? new Float32Array(v.size);
            return { penalty: value.dataSync()[0], grads: model.variables.map(gradOf) };
        });
        return { taskLoss, ...result };
    }
    finally {
        disposeCells(cells);
        tf.dispose([batch.x, batch.y]);
        model.dispose();
    }
}
/** One step of the method with SGD at learning rate 1 on the fixture's batch: returns old − new weights (= the gradient). */
export function stepUpdate(method, c, extraParams = {}) {
    const model = modelFor(c);
    const optimizer = tf.train.sgd(1);
    const batch = batchFor(c);
    const train = { y: batch.labels, groups: { keys: [], ids: batch.groups, attributes: [], values: [] } };
    try {
        const params = method.params.parse({ ...c.params, lambda: c.lambda, ...extraParams });
        const before = model.variables.map((v) => v.dataSync().slice());
        const step = method.createStep({ params, model, train, nGroups: c.nGroups, optimizer, rng: new Rng(5) });
        const loss = step.run(batch);
        step.dispose();
        return { update: model.variables.map((v, i) => before[i].map((value, j) => value - v.dataSync()[j])), loss };
    }
    finally {
        tf.dispose([batch.x, batch.y]);
        optimizer.dispose();
        model.dispose();
    }
}
//# sourceMappingURL=gradient-penalty.test-helper.js.map
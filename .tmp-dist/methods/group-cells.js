import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
export function cellMembership(cellOf, nCells) {
    const onehot = new Float32Array(cellOf.length * nCells);
    const counts = new Float64Array(nCells);
    for (let i = 0; i < cellOf.length; i++) {
        onehot[i * nCells + cellOf[i]] = 1;
        counts[cellOf[i]]++;
    }
    return { onehot: tf.tensor2d(onehot, [cellOf.length, nCells]), counts };
}
/** Per-cell sums of a per-row value v [b] or [b, 1]: a [nCells] tensor (differentiable in v). */
export function cellSums(values, membership) {
    return tf.tidy(() => tf.reshape(tf.matMul(tf.reshape(values, [1, -1]), membership.onehot), [-1]));
}
/** The cell of each row: its group id (`dp`), or label·nGroups + group id (`eo`, conditioning on the label). */
export function cellsOf(labels, groups, nGroups, form) {
    return form === 'dp' ? groups : Int32Array.from(groups, (g, i) => labels[i] * nGroups + g);
}
/** Group-gap methods compare groups, so a sensitive attribute with one value leaves them nothing to do. */
export function requireTwoGroups(method, train) {
    if (train.groups.keys.length < 2) {
        throw new FairkitError(`method '${method}' needs at least two groups, but the sensitive attribute has only '${train.groups.keys[0]}'`, {
            fix: 'Choose a sensitive attribute with two or more values, or train with erm',
        });
    }
}
//# sourceMappingURL=group-cells.js.map
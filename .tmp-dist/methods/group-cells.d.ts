import * as tf from '@tensorflow/tfjs';
import type { EncodedDataset } from '../data/types.js';
/**
 * Rows of a batch sorted into cells (a group, or a (label, group) pair): a one-hot membership matrix for
 * summing per cell with one plain matMul, and the host-side count of each cell.
 */
export interface CellMembership {
    /** [b, nCells], 1 where row i is in cell j. */
    onehot: tf.Tensor2D;
    counts: Float64Array;
}
export declare function cellMembership(cellOf: ArrayLike<number>, nCells: number): CellMembership;
/** Per-cell sums of a per-row value v [b] or [b, 1]: a [nCells] tensor (differentiable in v). */
export declare function cellSums(values: tf.Tensor, membership: CellMembership): tf.Tensor1D;
/** The cell of each row: its group id (`dp`), or label·nGroups + group id (`eo`, conditioning on the label). */
export declare function cellsOf(labels: Uint8Array, groups: Int32Array, nGroups: number, form: 'eo' | 'dp'): Int32Array;
/** Group-gap methods compare groups, so a sensitive attribute with one value leaves them nothing to do. */
export declare function requireTwoGroups(method: string, train: EncodedDataset): void;

import * as tf from '@tensorflow/tfjs';
import type { EncodedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';

/**
 * Rows of a batch sorted into cells (a group, or a (label, group) pair): a one-hot membership matrix for
 * summing per cell with one plain matMul, and the host-side count of each cell.
 */
export interface CellMembership {
  /** [b, nCells], 1 where row i is in cell j. */
  onehot: tf.Tensor2D;
  counts: Float64Array;
}

export function cellMembership(cellOf: ArrayLike<number>, nCells: number): CellMembership {
  const onehot = new Float32Array(cellOf.length * nCells);
  const counts = new Float64Array(nCells);
  for (let i = 0; i < cellOf.length; i++) {
    onehot[i * nCells + cellOf[i]] = 1;
    counts[cellOf[i]]++;
  }
  return { onehot: tf.tensor2d(onehot, [cellOf.length, nCells]), counts };
}

/** Per-cell sums of a per-row value v [b] or [b, 1]: a [nCells] tensor (differentiable in v). */
export function cellSums(values: tf.Tensor, membership: CellMembership): tf.Tensor1D {
  return tf.tidy(() => tf.reshape(tf.matMul(tf.reshape(values, [1, -1]), membership.onehot), [-1]) as tf.Tensor1D);
}

/** The cell of each row: its group id (`dp`), or label·nGroups + group id (`eo`, conditioning on the label). */
export function cellsOf(labels: Uint8Array, groups: Int32Array, nGroups: number, form: 'eo' | 'dp'): Int32Array {
  return form === 'dp' ? groups : Int32Array.from(groups, (g, i) => labels[i] * nGroups + g);
}

/** Group-gap methods compare groups, so a sensitive attribute with one value leaves them nothing to do. */
export function requireTwoGroups(method: string, train: EncodedDataset): void {
  if (train.groups.keys.length < 2) {
    throw new FairkitError(`method '${method}' needs at least two groups, but the sensitive attribute has only '${train.groups.keys[0]}'`, {
      fix: 'Choose a sensitive attribute with two or more values, or train with erm',
    });
  }
}

import * as tf from '@tensorflow/tfjs';
import type { GroupIndex } from '../data/types.js';
import type { TrainBatch } from '../methods/method.js';
import { cellGradients, disposeCells, splitIntoCells } from '../methods/subgroup-gradients.js';
import type { Mlp } from '../nn/mlp.js';
import type { ContributionSample } from './trial.js';

/**
 * Records how much each group contributes to the weight update, GCM's diagnostic (methods.md §5, Eq. 8): at the
 * first step of every epoch, for each label y and each group a other than the reference, the ratio
 * Σ_w |g_w^{a,y}| / Σ_w |g_w^{ref,y}| of the summed-loss gradients of the (group, label) cells of the batch.
 * The reference is the privileged group when the data names one, else the first group. Eq. 8 averages the ratio
 * parameter by parameter; the ratio of sums is used instead because per-parameter ratios explode wherever the
 * reference gradient of one weight is near zero. 1 means equal contribution; below 1, group a contributes less.
 */
export class ContributionRecorder {
  readonly samples: ContributionSample[] = [];
  private lastEpoch = 0;
  private readonly reference: number;

  constructor(private readonly groups: Pick<GroupIndex, 'keys' | 'privileged'>) {
    this.reference = groups.privileged ?? 0;
  }

  /** The fit loop's onBatchStart hook. */
  readonly observe = (batch: TrainBatch, model: Mlp, step: number, epoch: number): void => {
    if (epoch === this.lastEpoch) return;
    this.lastEpoch = epoch;
    const nGroups = this.groups.keys.length;
    const cells = splitIntoCells(batch, nGroups);
    try {
      const magnitudes = tf.tidy(() =>
        cellGradients(model, cells, model.variables).map((cell) => ({
          group: cell.group,
          label: cell.label,
          magnitude: tf.addN(cell.grads.map((grad) => tf.sum(tf.abs(grad)))).dataSync()[0],
        })),
      );
      for (const label of [0, 1] as const) {
        const reference = magnitudes.find((cell) => cell.label === label && cell.group === this.reference);
        if (!reference || !(reference.magnitude > 0)) continue;
        for (const cell of magnitudes) {
          if (cell.label !== label || cell.group === this.reference) continue;
          this.samples.push({ step, epoch, label, group: this.groups.keys[cell.group], reference: this.groups.keys[this.reference], ratio: cell.magnitude / reference.magnitude });
        }
      }
    } finally {
      disposeCells(cells);
    }
  };
}

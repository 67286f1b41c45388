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
import type { GroupIndex } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { Model } from '../nn/model.js';
import type { TrainingCallback } from '../train/callbacks.js';
import type { TrainBatch } from '../train/method.js';
import { cellGradients, disposeCells, inferenceLogits, splitIntoCells } from './subgroup-gradients.js';

export interface Disparity {
  y: 0 | 1;
  /** The group compared (A=0 in the paper: the unprivileged one) and the reference group (A=1). */
  group: number;
  reference: number;
  /** |Z_{group,y}| and |Z_{reference,y}| in the batch. */
  sizes: [number, number];
  /** Eq. 8: the mean ratio over every weight with a non-zero reference gradient. */
  overall: number;
  /** Eq. 9 for each layer (dense0, dense1, …: kernel and bias together) with at least one defined ratio. */
  perLayer: Record<string, number>;
  /** The median ratio over the same weights, overall and per layer. */
  median: number;
  perLayerMedian: Record<string, number>;
}

export interface ContributionRecord extends Disparity {
  step: number;
  epoch: number;
}

/**
 * Eq. 8/9 for one batch and model, for each label y and each group other than `reference` that has rows with
 * label y in the batch (nothing for a label whose reference cell is empty).
 */
export function contributionDisparity(model: Model, batch: Pick<TrainBatch, 'x' | 'labels' | 'groups' | 'clusters'>, reference: number): Disparity[] {
  const nGroups = batch.groups.reduce((most, group) => Math.max(most, group), reference) + 1;
  const cells = splitIntoCells(batch, nGroups);
  try {
    // Inference mode, each cell with its own group id: GroupMixNorm layers then use that group's running
    // statistics (a training-mode call would update them); a plain MLP ignores both.
    const gradients = tf.tidy(() =>
      cellGradients(cells, model.variables, inferenceLogits(model)).map((cell) => ({
        group: cell.group,
        label: cell.label,
        size: cell.size,
        grads: cell.grads.map((g) => g.dataSync() as Float32Array),
      })),
    );
    // Layer names of the trainable variables the gradients are taken over (model.weights also holds
    // non-trainable state such as running statistics).
    const nameOf = new Map(model.weights.map((w) => [w.variable, w.name]));
    const layerOf = model.variables.map((variable) => (nameOf.get(variable) ?? variable.name).split('/')[0]);
    const layers = [...new Set(layerOf)];
    const result: Disparity[] = [];
    for (const y of [0, 1] as const) {
      const referenceCell = gradients.find((cell) => cell.label === y && cell.group === reference);
      if (!referenceCell) continue;
      for (const cell of gradients.filter((c) => c.label === y && c.group !== reference)) {
        const byLayer = layers.map((layer) => definedRatios(cell.grads.filter((_, k) => layerOf[k] === layer), referenceCell.grads.filter((_, k) => layerOf[k] === layer)));
        const all = Float64Array.from(byLayer.flatMap((ratios) => [...ratios]));
        result.push({
          y,
          group: cell.group,
          reference,
          sizes: [cell.size, referenceCell.size],
          overall: mean(all),
          perLayer: definedPerLayer(layers, byLayer, mean),
          median: median(all),
          perLayerMedian: definedPerLayer(layers, byLayer, median),
        });
      }
    }
    return result;
  } finally {
    disposeCells(cells);
  }
}

/** A statistic per layer, leaving out layers without a single defined ratio (e.g. all reference gradients 0). */
function definedPerLayer(layers: string[], byLayer: Float64Array[], statistic: (values: Float64Array) => number): Record<string, number> {
  return Object.fromEntries(layers.flatMap((layer, l) => (byLayer[l].length > 0 ? [[layer, statistic(byLayer[l])]] : [])));
}

/** |a_w| / |b_w| for every weight w of the given arrays where b_w ≠ 0. */
function definedRatios(a: Float32Array[], b: Float32Array[]): Float64Array {
  const ratios: number[] = [];
  a.forEach((values, k) => {
    for (let i = 0; i < values.length; i++) if (b[k][i] !== 0) ratios.push(Math.abs(values[i]) / Math.abs(b[k][i]));
  });
  return Float64Array.from(ratios);
}

const mean = (values: Float64Array) => values.reduce((sum, v) => sum + v, 0) / values.length;

function median(values: Float64Array): number {
  const sorted = values.slice().sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface ContributionTrackerOptions {
  /** The reference group (A=1, privileged). Default: the data's privileged group, else the largest group of the first batch. */
  reference?: number;
  /** The groups (names and privileged group), for the reference and for naming groups in the JSON. */
  groups?: GroupIndex;
  /** Record every `every`-th optimiser step (default 1: every step). */
  every?: number;
}

/**
 * Records the contribution disparity before every (every-th) optimiser step: a training callback (pass it in fit's
 * `callbacks`); it costs about one extra forward and backward pass per recorded step.
 */
export class ContributionTracker implements TrainingCallback {
  readonly records: ContributionRecord[] = [];
  private reference: number | undefined;
  private readonly every: number;
  private readonly groups: GroupIndex | undefined;

  constructor(options: ContributionTrackerOptions = {}) {
    this.every = options.every ?? 1;
    if (!Number.isInteger(this.every) || this.every < 1) throw new FairkitError(`every must be a positive integer, got ${options.every}`, { where: 'contribution tracker' });
    this.groups = options.groups;
    this.reference = options.reference ?? options.groups?.privileged;
  }

  onBatchBegin(batch: TrainBatch, model: Model, step: number, epoch: number): void {
    if (step % this.every !== 0) return;
    this.reference ??= largestGroup(batch.groups);
    for (const disparity of contributionDisparity(model, batch, this.reference)) this.records.push({ step, epoch, ...disparity });
  }

  /** The records with the group names when known. */
  toJSON(): { metric: string; groups?: string[]; reference?: number; records: ContributionRecord[] } {
    return {
      metric: 'GCM group contribution disparity (Eq. 8 overall, Eq. 9 per layer): mean over weights of |g^{group,y}| / |g^{reference,y}|, summed-BCE cell gradients, before each optimiser step; median: the median of the same ratios; a layer without a defined ratio is left out',
      ...(this.groups ? { groups: this.groups.keys } : {}),
      ...(this.reference !== undefined ? { reference: this.reference } : {}),
      records: this.records,
    };
  }

  writeJson(path: string): void {
    writeFileAtomic(path, `${JSON.stringify(this.toJSON())}\n`);
  }
}

function largestGroup(groups: Int32Array): number {
  const counts = new Map<number, number>();
  for (const g of groups) counts.set(g, (counts.get(g) ?? 0) + 1);
  return [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
}

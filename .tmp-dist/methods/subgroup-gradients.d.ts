/**
 * Per-(group, label) gradients of a batch, shared by GCM, IGA, direct gradient aligning and the contribution
 * tracker (methods.md §5–6). Each cell of the batch gets its own forward pass on its own rows and its own
 * backward pass, so the four backward passes together cost one full-batch backward pass. (Masking per-row
 * losses of a single forward pass would make every cell's backward pass as expensive as the whole batch's.)
 *
 * Called inside an outer gradient tape (the optimiser's), the cell gradients are themselves recorded on that
 * tape, so a penalty built from them can be differentiated again: exact double backprop, provided the model
 * uses only ops with exact second derivatives (nn/gradient-fixes.ts; the loss here is written with softplus).
 */
import * as tf from '@tensorflow/tfjs';
import type { ApplyOptions, Mlp } from '../nn/mlp.js';
import type { Rng } from '../rng.js';
import type { TrainBatch, TrainingStep } from './method.js';
/** The rows of one (group, label) cell, copied out of the batch (constants: no gradient flows to them). */
export interface BatchCell {
    group: number;
    label: 0 | 1;
    x: tf.Tensor2D;
    size: number;
}
/** A cell's summed loss and gradients; tensors live on the caller's tape and in the caller's tidy scope. */
export interface CellGradient {
    group: number;
    label: 0 | 1;
    size: number;
    /** Mean predicted probability P(Y=1) over the cell: a host number, so nothing is differentiated through it. */
    meanProbability: number;
    /** Σ over the cell's rows of the binary cross-entropy. */
    lossSum: tf.Scalar;
    /** ∂ lossSum / ∂w for each requested variable, in the requested order. */
    grads: tf.Tensor[];
}
/** Splits a batch into its non-empty (group, label) cells, ordered by label, then group. */
export declare function splitIntoCells(batch: Pick<TrainBatch, 'x' | 'labels' | 'groups'>, nGroups: number): BatchCell[];
/**
 * Resampling for demographic parity (Kamiran & Calders / dalex, as GCM's DP variant uses): draws, with
 * replacement from the batch's own cells, round(b·P(A=a)·P(Y=y)) rows of cell (a, y), with the marginals
 * P(A), P(Y) of the training split. Group and label are then independent in the resampled batch. A cell absent
 * from the batch stays absent.
 */
export declare function resampleIntoCells(batch: Pick<TrainBatch, 'x' | 'labels' | 'groups'>, nGroups: number, shares: Float64Array, rng: Rng): BatchCell[];
/** P(A=a)·P(Y=y) for every cell key y·nGroups + a, from a data set's labels and groups. */
export declare function independentCellShares(labels: Uint8Array, groups: Int32Array, nGroups: number): Float64Array;
export declare function disposeCells(cells: BatchCell[]): void;
/**
 * For each cell: one forward pass on the cell's rows, Σ BCE over them, and its gradient with respect to
 * `variables` (tf.variableGrads nested in whatever tape is active, so the gradients stay differentiable).
 * `applyOptions(k)` gives the apply options of cell k (training mode, dropout seed).
 */
export declare function cellGradients(model: Mlp, cells: BatchCell[], variables: tf.Variable[], applyOptions?: (cell: number) => ApplyOptions): CellGradient[];
/** Σ BCE of logits that all carry the same label: Σ softplus(z) for label 0, Σ softplus(−z) for label 1. */
export declare function cellLossSum(logits: tf.Tensor, label: 0 | 1): tf.Scalar;
/** The batch's mean BCE from its cells' summed losses (every row of the batch lies in exactly one cell). */
export declare function meanTaskLoss(cells: readonly {
    lossSum: tf.Scalar;
    size: number;
}[]): tf.Scalar;
/**
 * GCM's confidence of a cell (Eq. 12): the mean predicted probability of the cell's own label,
 * ȳ·y + (1 − ȳ)·(1 − y).
 */
export declare function confidence(cell: Pick<CellGradient, 'label' | 'meanProbability'>): number;
/**
 * The cells of each label that are compared: for label y, the reference cell (the group the model is most
 * confident about, i.e. the privileged one in this batch) and every other group's cell. A label whose cells
 * come from fewer than two groups contributes nothing.
 */
export declare function pairsWithReference<C extends Pick<CellGradient, 'label' | 'meanProbability' | 'group'>>(cells: readonly C[]): {
    reference: C;
    others: C[];
}[];
/**
 * The weights a gradient penalty covers. `spec` is 'all', or a list separated by ',' or '+' of weight names
 * (dense0/kernel, dense0/bias, …), layer names (dense0 = its kernel and bias) or the GCM paper's names
 * weightK / biasK (= denseK/kernel, denseK/bias; Table 2's weight_{0+1} is 'weight0+weight1').
 */
export declare function selectWeights(model: Mlp, spec: string): tf.Variable[];
export interface GradientPenaltyStepOptions {
    lambda: number;
    /** Which weights the cell gradients (and so the penalty) cover; see selectWeights. */
    layers: string;
    /** The batch's cells (split, or resampled); the caller's step disposes them. */
    cellsOf(batch: TrainBatch): BatchCell[];
    /** The penalty from the cell gradients, or null when the batch offers nothing to compare. */
    penalty(cells: CellGradient[]): tf.Scalar | null;
}
/**
 * A training step minimising mean BCE + λ·penalty(cell gradients) with exact double backprop. The task loss
 * reuses the cells' summed losses (the values of the inner gradient calls), so the batch is run forward once.
 * With λ = 0 no gradient is taken twice and the step is erm on the cells.
 */
export declare function gradientPenaltyStep(model: Mlp, optimizer: tf.Optimizer, options: GradientPenaltyStepOptions): TrainingStep;

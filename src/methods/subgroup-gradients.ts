/**
 * Per-(group, label) gradients of a batch, shared by GCM, IGA, direct gradient aligning and the contribution
 * tracker (methods.md §5–6). Each cell of the batch gets its own forward pass on its own rows and its own
 * backward pass, so the cells' backward passes (2 × number of groups) together cost one full-batch backward pass. (Masking per-row
 * losses of a single forward pass would make every cell's backward pass as expensive as the whole batch's.)
 *
 * Called inside an outer gradient tape (the optimiser's), the cell gradients are themselves recorded on that
 * tape, so a penalty built from them can be differentiated again: exact double backprop, provided the model
 * uses only ops with exact second derivatives (nn/gradient-fixes.ts; the loss here is written with softplus).
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import type { Model } from '../nn/model.js';
import { mlpPenaltyGradients, type PenaltyGradientOptions, type PenaltyWithGradient } from './mlp-cell-gradients.js';
import { isPlainReluMlp } from './plain-mlp-forward.js';
import { withSharedSaves } from '../nn/shared-saves.js';
import { HostAdam } from '../nn/host-adam.js';
import type { Rng } from '../rng.js';
import { copyRows, hostFeatures, minimizeLoss } from '../train/batches.js';
import type { FullStepContext, TrainBatch, TrainingStep } from '../train/method.js';

/** The rows of one (group, label) cell, copied out of the batch (constants: no gradient flows to them). */
export interface BatchCell {
  group: number;
  label: 0 | 1;
  x: tf.Tensor2D;
  size: number;
  /** The cell's group id for each of its rows, and the rows' clusters when the batch has them: the model's inputs. */
  groups: Int32Array;
  clusters?: Int32Array;
}

type CellSource = Pick<TrainBatch, 'x' | 'features' | 'labels' | 'groups' | 'clusters'>;

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
export function splitIntoCells(batch: CellSource, nGroups: number): BatchCell[] {
  const rowsOf = cellRows(batch, nGroups);
  const features = hostFeatures(batch);
  return [...rowsOf.keys()].sort((a, b) => a - b).map((key) => cellOf(batch, features, key % nGroups, Math.floor(key / nGroups) as 0 | 1, rowsOf.get(key)!));
}

function cellRows(batch: Pick<TrainBatch, 'labels' | 'groups'>, nGroups: number): Map<number, number[]> {
  const rowsOf = new Map<number, number[]>();
  for (let i = 0; i < batch.labels.length; i++) {
    const key = batch.labels[i] * nGroups + batch.groups[i];
    let rows = rowsOf.get(key);
    if (!rows) rowsOf.set(key, (rows = []));
    rows.push(i);
  }
  return rowsOf;
}

/**
 * Resampling for demographic parity (Kamiran & Calders / dalex, as GCM's DP variant uses): draws, with
 * replacement from the batch's own cells, round(b·P(A=a)·P(Y=y)) rows of cell (a, y), with the marginals
 * P(A), P(Y) of the training split. Group and label are then independent in the resampled batch. A cell absent
 * from the batch stays absent.
 */
export function resampleIntoCells(batch: CellSource, nGroups: number, shares: Float64Array, rng: Rng): BatchCell[] {
  const b = batch.labels.length;
  const present = cellRows(batch, nGroups);
  const features = hostFeatures(batch);
  const cells: BatchCell[] = [];
  for (const key of [...present.keys()].sort((a, c) => a - c)) {
    const rows = present.get(key)!;
    const n = Math.max(1, Math.round(b * shares[key]));
    const drawn = Array.from({ length: n }, () => rows[rng.int(rows.length)]);
    cells.push(cellOf(batch, features, key % nGroups, Math.floor(key / nGroups) as 0 | 1, drawn));
  }
  return cells;
}

/** P(A=a)·P(Y=y) for every cell key y·nGroups + a, from a data set's labels and groups. */
export function independentCellShares(labels: Uint8Array, groups: Int32Array, nGroups: number): Float64Array {
  const groupShare = new Float64Array(nGroups);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    groupShare[groups[i]] += 1 / labels.length;
    positives += labels[i];
  }
  const positiveShare = positives / labels.length;
  const shares = new Float64Array(2 * nGroups);
  for (let a = 0; a < nGroups; a++) {
    shares[a] = groupShare[a] * (1 - positiveShare);
    shares[nGroups + a] = groupShare[a] * positiveShare;
  }
  return shares;
}

/**
 * Copies the rows on the host from the batch's features, read once per batch by the caller: tf.gather is slow on
 * wasm, and the cells are constants anyway.
 */
function cellOf(batch: CellSource, features: Float32Array, group: number, label: 0 | 1, rows: number[]): BatchCell {
  const nFeatures = batch.x.shape[1];
  const values = copyRows(features, nFeatures, rows);
  const clusters = batch.clusters ? Int32Array.from(rows, (row) => batch.clusters![row]) : undefined;
  return { group, label, x: tf.tensor2d(values, [rows.length, nFeatures]), size: rows.length, groups: new Int32Array(rows.length).fill(group), ...(clusters ? { clusters } : {}) };
}

export function disposeCells(cells: BatchCell[]): void {
  for (const cell of cells) cell.x.dispose();
}

/** The logits of cell k's rows (a forward pass with the cell's ids; training mode and step seed as the caller wants). */
export type CellLogits = (cell: BatchCell, k: number) => tf.Tensor2D;

/** Inference-mode logits of a cell, with its group and cluster ids. */
export const inferenceLogits = (model: Model): CellLogits => (cell) => model.forward({ x: cell.x, groups: cell.groups, clusters: cell.clusters }).logits;

/**
 * For each cell: one forward pass on the cell's rows, Σ BCE over them, and its gradient with respect to
 * `variables` (tf.variableGrads nested in whatever tape is active, so the gradients stay differentiable).
 */
export function cellGradients(cells: BatchCell[], variables: tf.Variable[], logitsOf: CellLogits): CellGradient[] {
  if (variables.length === 0) throw new FairkitError('no weights selected for the subgroup gradients');
  return cells.map((cell, k) => {
    let meanProbability = Number.NaN;
    const { value, grads } = tf.variableGrads(() => {
      const logits = logitsOf(cell, k);
      meanProbability = tf.tidy(() => tf.mean(tf.sigmoid(logits)).dataSync()[0]);
      return cellLossSum(logits, cell.label);
    }, variables);
    // A variable the logits do not depend on (a medl model's posterior scales at inference) has no gradient: zero.
    return { group: cell.group, label: cell.label, size: cell.size, meanProbability, lossSum: value, grads: variables.map((v) => grads[v.name] ?? tf.zerosLike(v)) };
  });
}

/** Σ BCE of logits that all carry the same label: Σ softplus(z) for label 0, Σ softplus(−z) for label 1. */
export function cellLossSum(logits: tf.Tensor, label: 0 | 1): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.softplus(label === 1 ? tf.neg(logits) : logits)));
}

/** The batch's mean BCE from its cells' summed losses (every row of the batch lies in exactly one cell). */
export function meanTaskLoss(cells: readonly { lossSum: tf.Scalar; size: number }[]): tf.Scalar {
  const rows = cells.reduce((n, cell) => n + cell.size, 0);
  return tf.tidy(() => tf.div(tf.addN(cells.map((cell) => cell.lossSum)), rows));
}

/**
 * GCM's confidence of a cell (Eq. 12): the mean predicted probability of the cell's own label,
 * ȳ·y + (1 − ȳ)·(1 − y).
 */
export function confidence(cell: Pick<CellGradient, 'label' | 'meanProbability'>): number {
  return cell.label === 1 ? cell.meanProbability : 1 - cell.meanProbability;
}

/**
 * The penalty's gradient with respect to each cell's gradients, G[c][k] for cell c's k-th selected weight, summed as
 * the pairs a cell is in add their terms (`add`), for the hand-written penalty gradients of gcm and grad-align.
 */
export function cellAdjoints(cells: readonly CellGradient[]): { grads: (tf.Tensor | undefined)[][]; add: (cell: CellGradient, k: number, adjoint: tf.Tensor) => void } {
  const grads: (tf.Tensor | undefined)[][] = cells.map(() => []);
  const add = (cell: CellGradient, k: number, adjoint: tf.Tensor) => {
    const row = grads[cells.indexOf(cell)];
    row[k] = row[k] === undefined ? adjoint : tf.add(row[k]!, adjoint);
  };
  return { grads, add };
}

/**
 * The cells of each label that are compared: for label y, the reference cell (the group the model is most
 * confident about, i.e. the privileged one in this batch) and every other group's cell. A label whose cells
 * come from fewer than two groups contributes nothing.
 */
export function pairsWithReference<C extends Pick<CellGradient, 'label' | 'meanProbability' | 'group'>>(cells: readonly C[]): { reference: C; others: C[] }[] {
  const result: { reference: C; others: C[] }[] = [];
  for (const label of [0, 1] as const) {
    const ofLabel = cells.filter((cell) => cell.label === label);
    if (ofLabel.length < 2) continue;
    const reference = ofLabel.reduce((best, cell) => (confidence(cell) > confidence(best) ? cell : best));
    result.push({ reference, others: ofLabel.filter((cell) => cell !== reference) });
  }
  return result;
}

/**
 * The weights a gradient penalty covers. `spec` is 'all', or a list separated by ',' or '+' of weight names
 * (dense0/kernel, dense0/bias, …), layer names (dense0 = its kernel and bias) or the GCM paper's names
 * weightK / biasK (= denseK/kernel, denseK/bias; Table 2's weight_{0+1} is 'weight0+weight1').
 */
export function selectWeights(model: Model, spec: string): tf.Variable[] {
  const names = model.weights.map((w) => w.name);
  if (spec.trim() === 'all') return model.variables;
  const wanted = new Set<string>();
  for (const raw of spec.split(/[,+]/)) {
    const entry = raw.trim().replace(/^weight_?(\d+)$/, 'dense$1/kernel').replace(/^bias_?(\d+)$/, 'dense$1/bias');
    const matches = names.filter((name) => name === entry || name.startsWith(`${entry}/`));
    if (entry === '' || matches.length === 0) {
      throw new FairkitError(`unknown weight '${raw.trim()}' in layers='${spec}'`, {
        where: "parameter 'layers'",
        fix: `Use 'all' or a list of: ${names.join(', ')} (or weightK / biasK, or a layer name denseK)`,
      });
    }
    for (const name of matches) wanted.add(name);
  }
  return model.weights.filter((w) => wanted.has(w.name)).map((w) => w.variable);
}

export interface GradientPenaltyStepOptions {
  lambda: number;
  /** Which weights the cell gradients (and so the penalty) cover; see selectWeights. */
  layers: string;
  /** The batch's cells (split, or resampled); the caller's step disposes them. */
  splitBatch(batch: TrainBatch): BatchCell[];
  /** The penalty from the cell gradients, or null when the batch offers nothing to compare. */
  penalty(cells: CellGradient[]): tf.Scalar | null;
  /** Optionally, λ·penalty with its gradient written by hand, for the hand-written step (see PenaltyWithGradient). */
  penaltyWithGradient?: PenaltyWithGradient;
}

/**
 * A training step minimising mean BCE + λ·penalty(cell gradients) with exact double backprop. The task loss
 * reuses the cells' summed losses (the values of the inner gradient calls), so the batch is run forward once, a
 * cell at a time through the loop's forward call (cell k with step seed stepSeed + k and its rows' ids). With λ = 0
 * no gradient is taken twice and the step is erm on the cells. The cells' losses are unweighted sums (GCM's Eq. 6),
 * so methods built on this step refuse sample weights.
 */
export function gradientPenaltyStep<P>(context: FullStepContext<P>, options: GradientPenaltyStepOptions): TrainingStep {
  const { model, optimizer, forward } = context;
  const selected = selectWeights(model, options.layers);
  // A plain ReLU MLP gets the same gradient written out by hand (mlp-cell-gradients.ts): a fraction of the kernels.
  const explicit = isPlainReluMlp(model) ? { lambda: options.lambda, selected: selected.map((v) => model.variables.indexOf(v)), penalty: options.penalty, penaltyWithGradient: options.penaltyWithGradient } : null;
  // There, when the loop's optimiser is tf.train.adam, the same Adam on the host (bit-identical, without its ~14
  // kernels per variable).
  const hostAdam = explicit !== null ? HostAdam.following(optimizer, model.variables) : null;
  const applyGradients = (grads: tf.Tensor[]): void => {
    if (hostAdam !== null) hostAdam.applyGradients(grads);
    else optimizer.applyGradients(Object.fromEntries(model.variables.map((v, i) => [v.name, grads[i]])));
  };
  return {
    run: (batch) => {
      const cells = options.splitBatch(batch);
      const logitsOf: CellLogits = (cell, k) => forward({ x: cell.x, groups: cell.groups, clusters: cell.clusters }, (batch.stepSeed + k) % 0x7fffffff).logits;
      try {
        // The hand-written path differentiates first-order ops only, so its tapes may keep saved tensors by reference.
        if (explicit !== null) return { total: withSharedSaves(() => applyExplicitGradients(applyGradients, model, cells, explicit)) };
        return { total: minimizeLoss(optimizer, model.variables, () => penaltyLoss(cells, selected, logitsOf, options)) };
      } finally {
        disposeCells(cells);
      }
    },
    dispose: () => {},
  };
}

/**
 * Mean BCE + λ·penalty(cell gradients) through TensorFlow.js's autodiff: run inside an outer tape, the cells' gradients
 * are recorded on it (double backprop). The path for every model other than a plain ReLU MLP.
 */
export function penaltyLoss(cells: BatchCell[], selected: tf.Variable[], logitsOf: CellLogits, options: Pick<GradientPenaltyStepOptions, 'lambda' | 'penalty'>): tf.Scalar {
  if (options.lambda === 0) return meanTaskLoss(cells.map((cell, k) => ({ lossSum: cellLossSum(logitsOf(cell, k), cell.label), size: cell.size })));
  const gradients = cellGradients(cells, selected, logitsOf);
  const task = meanTaskLoss(gradients);
  const penalty = options.penalty(gradients);
  return penalty === null ? task : tf.add(task, tf.mul(options.lambda, penalty));
}

/** One optimiser step with mlpPenaltyGradients' gradient (one per model variable, in order), as optimizer.minimize applies variableGrads'. */
function applyExplicitGradients(applyGradients: (grads: tf.Tensor[]) => void, model: Model, cells: BatchCell[], options: PenaltyGradientOptions): number {
  const value = tf.tidy(() => {
    const { value, grads } = mlpPenaltyGradients(model, cells, options);
    applyGradients(grads);
    return value;
  });
  const result = value.dataSync()[0];
  value.dispose();
  return result;
}

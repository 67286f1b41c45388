/**
 * The one batched-prediction path. The batch size is explicit because some outputs depend on it: GroupMixNorm's
 * 'batch' inference mode normalises with each prediction batch's statistics, and a fairness projection acts on
 * the batch it is given.
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import type { Model } from './model.js';

/** The batch size used where the caller has no reason to choose another (larger batches only cost memory). */
export const DEFAULT_PREDICT_BATCH = 8192;

/** Row-major features with the ids a model may use, one per row. */
export interface PredictionRows {
  X: Float32Array;
  nRows: number;
  groups?: Int32Array;
  clusters?: Int32Array;
}

export interface PredictOptions {
  batchSize: number;
  /** Which head (default `logits`). */
  head?: string;
}

/** A head's values for every row, nRows × outputDim, computed batch by batch. */
export function predictHead(model: Model, rows: PredictionRows, options: PredictOptions): Float32Array {
  return predictBatched(model, rows, options, (z) => z);
}

/** predictLastHidden's options: with `rowName`, how an error names a row (by its index in `rows`; default "row i+1"). */
export interface LastHiddenOptions extends PredictOptions {
  rowName?: (row: number) => string;
}

/**
 * The last hidden layer of every row, nRows × units, batch by batch (model.lastHidden, with the rows' group ids). A
 * kind without one (no `lastHidden`: a CNN, whose head reads the last feature map directly, or a mixed-effects
 * model) is refused by name; so is a row without a group (id < 0) when the layer normalises by group.
 */
export function predictLastHidden(model: Model, rows: PredictionRows, options: LastHiddenOptions): { width: number; values: Float32Array } {
  const { kind, inputDim } = model.config;
  if (!model.lastHidden) throw new FairkitError(`a '${kind}' model has no last hidden layer to write`, { where: '--embeddings', fix: 'Embeddings come from MLP-based models (kinds mlp, groupmixnorm-mlp, and fair-projection over those)' });
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new FairkitError(`the prediction batch size must be a positive integer, got ${options.batchSize}`, { where: `${kind} embeddings` });
  if (rows.X.length !== rows.nRows * inputDim) throw new FairkitError(`features have ${rows.X.length} values, expected ${rows.nRows} rows × ${inputDim} columns`, { where: `${kind} embeddings` });
  const { groups } = rows;
  if (groups !== undefined && groups.length !== rows.nRows) throw new FairkitError(`${groups.length} group ids for ${rows.nRows} rows`, { where: `${kind} embeddings` });
  if (model.lastHiddenNeedsGroups) {
    const row = groups === undefined ? (rows.nRows > 0 ? 0 : -1) : groups.findIndex((id) => id < 0);
    if (row >= 0) {
      const name = options.rowName?.(row) ?? `row ${row + 1}`;
      throw new FairkitError(`the row has no group (no sensitive value, or one not seen in training), and a '${kind}' model's last hidden layer is normalised by the row's group`, { where: `${name} (--embeddings)`, fix: 'Give every row a group seen in training, or predict without --embeddings' });
    }
  }
  const batches: Float32Array[] = [];
  let width = 0;
  // Zero rows still make one (empty) pass, which gives the width.
  for (let start = 0; start === 0 || start < rows.nRows; start += options.batchSize) {
    const count = Math.min(options.batchSize, rows.nRows - start);
    const h = tf.tidy(() => model.lastHidden!({ x: tf.tensor2d(rows.X.subarray(start * inputDim, (start + count) * inputDim), [count, inputDim]), groups: groups?.subarray(start, start + count), clusters: rows.clusters?.subarray(start, start + count) }));
    width = h.shape[1];
    batches.push(h.dataSync() as Float32Array);
    h.dispose();
  }
  const values = new Float32Array(rows.nRows * width);
  batches.forEach((batch, i) => values.set(batch, i * options.batchSize * width));
  return { width, values };
}

/** Probabilities: the sigmoid of one output, or the softmax of several per row. */
export function predictProba(model: Model, rows: PredictionRows, options: PredictOptions): Float32Array {
  const toProba = model.config.outputDim === 1 ? tf.sigmoid : tf.softmax;
  return predictBatched(model, rows, options, (z) => toProba(z) as tf.Tensor2D);
}

function predictBatched(model: Model, rows: PredictionRows, options: PredictOptions, finish: (z: tf.Tensor2D) => tf.Tensor2D): Float32Array {
  const { inputDim, outputDim } = model.config;
  const { X, nRows, groups, clusters } = rows;
  const where = `${model.config.kind} prediction input`;
  const head = options.head ?? 'logits';
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new FairkitError(`the prediction batch size must be a positive integer, got ${options.batchSize}`, { where });
  if (!Number.isInteger(nRows) || nRows < 0 || X.length !== nRows * inputDim) {
    throw new FairkitError(`features have ${X.length} values, expected ${nRows} rows × ${inputDim} columns`, { where });
  }
  if (groups !== undefined && groups.length !== nRows) throw new FairkitError(`${groups.length} group ids for ${nRows} rows`, { where });
  if (clusters !== undefined && clusters.length !== nRows) throw new FairkitError(`${clusters.length} cluster ids for ${nRows} rows`, { where });
  const out = new Float32Array(nRows * outputDim);
  for (let start = 0; start < nRows; start += options.batchSize) {
    const count = Math.min(options.batchSize, nRows - start);
    const values = tf.tidy(() => {
      const x = tf.tensor2d(X.subarray(start * inputDim, (start + count) * inputDim), [count, inputDim]);
      const outputs = model.forward({ x, groups: groups?.subarray(start, start + count), clusters: clusters?.subarray(start, start + count) });
      const selected = outputs[head];
      if (selected === undefined) throw new FairkitError(`the model has no head '${head}'`, { where, fix: `Heads: ${Object.keys(outputs).join(', ')}` });
      return finish(selected).dataSync();
    });
    out.set(values, start * outputDim);
  }
  return out;
}

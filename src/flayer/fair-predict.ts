/**
 * Prediction with a flayer/projection model (kind 'fair-projection') at an explicit inference batch size: the base
 * network's raw outputs (the `raw` head, row by row, so independent of the batch size) go through fairInference,
 * which projects batches of at least b_τ rows exactly and streams smaller ones. `fairkit predict` and
 * trainAndEvaluate (bench trials) both come here.
 */
import { FairkitError } from '../errors.js';
import type { Model, ModelConfig } from '../nn/model.js';
import { DEFAULT_PREDICT_BATCH, predictHead, type PredictionRows } from '../nn/predict.js';
import type { FairStream } from '../stream/fair-stream.js';
import { attributeGroups } from './constraints.js';
import { DEFAULT_STREAM_THRESHOLD, fairInference, largestGap, type FairInferenceResult } from './fair-inference.js';
import type { ProjectedModelConfig } from './projected-model.js';
import { projectHost } from './solver-host.js';

export function isFairProjection(config: ModelConfig): config is ProjectedModelConfig {
  return config.kind === 'fair-projection';
}

export interface FairPredictOptions {
  batchSize: number;
  /** A stream to continue; without one, a new stream starts (λ = 0) if any batch is below b_τ. */
  stream?: FairStream;
  /** b_τ (default DEFAULT_STREAM_THRESHOLD). */
  threshold?: number;
  /**
   * EER models only: the rows' targets on the model's output scale, for a labelled audit (each batch projected
   * exactly with them, as the authors' in-sample audit does). Without them an EER model's outputs are only boxed.
   */
  targets?: ArrayLike<number>;
}

/**
 * What a report or a journal keeps of one inference pass: the batch size, how the batches were handled, the gaps
 * (in output units: logits for classification) and, when the stream ran, its bound ε + λ_max/(η_T·N) over its life.
 */
export interface FairInferenceSummary {
  batchSize: number;
  threshold: number;
  exactBatches: number;
  streamedBatches: number;
  weightedAverageGap: number;
  pooledGap: number;
  /** An EER model given the targets: the largest group mean residual over the rows of this call (output units). */
  largestMeanResidual?: number;
  stream?: { rows: number; batches: number; lambdaMax: number; weightedAverageGap: number; pooledGap: number; bound: number };
}

/** The adjusted outputs (logits, or regression values on the model's scale) of every row, batch by batch. */
export function fairPredict(model: Model, rows: PredictionRows, options: FairPredictOptions): FairInferenceResult {
  const config = model.config;
  if (!isFairProjection(config)) throw new FairkitError(`fairPredict needs a flayer/projection model (kind 'fair-projection'), got kind '${config.kind}'`);
  // The base of flayer and projection is a plain network whose outputs are row-wise, so its raw outputs can be
  // computed in large batches whatever the inference batch size.
  const raw = predictHead(model, rows, { batchSize: Math.max(options.batchSize, DEFAULT_PREDICT_BATCH), head: 'raw' });
  // Rows without group ids (the records lack the sensitive columns) are in no group: left unchanged.
  const groups = rows.groups ?? new Int32Array(rows.nRows).fill(-1);
  if (config.eer) return eerPredict(raw, groups, config, options);
  if (options.targets !== undefined) throw new FairkitError('targets are for an EER model; this model constrains mean outputs (ECP), which needs none');
  return fairInference(raw, groups, { batchSize: options.batchSize, epsilon: config.epsilon, groups: config.nGroups, threshold: options.threshold, stream: options.stream, marginal: config.marginal, ...(config.box ? { box: config.box } : {}) });
}

/**
 * An EER model's outputs, batch by batch: with targets, each batch's exact projection onto the EER set (and box);
 * without, the box alone (labels are unknown when predicting: methods.md §3 (v)). No stream: EER has no label-free
 * online form in the paper.
 */
function eerPredict(raw: ArrayLike<number>, groups: Int32Array, config: ProjectedModelConfig, options: FairPredictOptions): FairInferenceResult {
  const { targets, batchSize } = options;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new FairkitError(`the inference batch size must be a positive integer, got ${batchSize}`, { where: 'fairPredict' });
  if (targets !== undefined && targets.length !== raw.length) throw new FairkitError(`${raw.length} rows but ${targets.length} targets`, { where: 'fairPredict' });
  const outputs = Float64Array.from(raw);
  const { epsilon, box, nGroups, marginal } = config;
  let exactBatches = 0;
  let gapSum = 0;
  let groupedRows = 0;
  for (let start = 0; start < outputs.length; start += batchSize) {
    const end = Math.min(outputs.length, start + batchSize);
    const batchGroups = groups.subarray(start, end);
    const attributes = attributeGroups(batchGroups, nGroups, marginal);
    const eer = targets === undefined ? undefined : { attributes, targets: Float64Array.from({ length: end - start }, (_, i) => targets[start + i]) };
    if (eer || box) outputs.set(projectHost(outputs.subarray(start, end), { epsilon, ...(eer ? { eer } : {}), ...(box ? { box } : {}) }).y, start);
    if (eer) exactBatches++;
    const grouped = batchGroups.filter((g) => g >= 0).length;
    gapSum += grouped * largestGap(outputs.subarray(start, end), batchGroups, nGroups);
    groupedRows += grouped;
  }
  const residual = targets === undefined ? {} : { largestMeanResidual: largestMeanResidual(outputs, targets, attributeGroups(groups, nGroups, marginal)) };
  return { outputs, exactBatches, streamedBatches: 0, weightedAverageGap: groupedRows === 0 ? 0 : gapSum / groupedRows, pooledGap: largestGap(outputs, groups, nGroups), ...residual };
}

/**
 * max over the attributes' groups of |mean_g(output − target)|, over all rows: what EER bounds by ε in each batch.
 * A group's pooled mean residual is a weighted average of its per-batch ones, so it is within ε too.
 */
function largestMeanResidual(outputs: Float64Array, targets: ArrayLike<number>, attributes: { groups: Int32Array; nGroups: number }[]): number {
  let largest = 0;
  for (const { groups, nGroups } of attributes) {
    const sums = new Float64Array(nGroups);
    const counts = new Float64Array(nGroups);
    groups.forEach((g, i) => {
      if (g < 0) return;
      sums[g] += outputs[i] - targets[i];
      counts[g]++;
    });
    for (let g = 0; g < nGroups; g++) if (counts[g] > 0) largest = Math.max(largest, Math.abs(sums[g] / counts[g]));
  }
  return largest;
}

export function summarizeInference(result: FairInferenceResult, batchSize: number, threshold = DEFAULT_STREAM_THRESHOLD): FairInferenceSummary {
  const report = result.streamReport;
  return {
    batchSize,
    threshold,
    exactBatches: result.exactBatches,
    streamedBatches: result.streamedBatches,
    weightedAverageGap: result.weightedAverageGap,
    pooledGap: result.pooledGap,
    ...(result.largestMeanResidual !== undefined ? { largestMeanResidual: result.largestMeanResidual } : {}),
    ...(report ? { stream: { rows: report.rows, batches: report.batches, lambdaMax: report.lambdaMax, weightedAverageGap: report.weightedAverageGap, pooledGap: report.pooledGap, bound: report.bound } } : {}),
  };
}

/** The logistic function of one logit in float64, stable for large |z|. */
export function logistic(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** The logistic function in float64 (a classification model's probability from its adjusted logit). */
export function sigmoid(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values, logistic);
}

/** One line for a log: the gaps of this pass and, when the stream ran, its guarantee over its whole life. */
export function describeInference(summary: FairInferenceSummary): string {
  const f = (value: number) => value.toPrecision(4);
  const batches = `${summary.exactBatches} batch${summary.exactBatches === 1 ? '' : 'es'} projected exactly, ${summary.streamedBatches} streamed (batches of ${summary.batchSize}; b_τ ${summary.threshold})`;
  const residual = summary.largestMeanResidual !== undefined ? `, largest group mean residual ${f(summary.largestMeanResidual)} (EER with the targets; in standard deviations of the training target, as ε)` : '';
  const here = `this call: batch-weighted average gap ${f(summary.weightedAverageGap)}, pooled gap ${f(summary.pooledGap)}${residual}`;
  const { stream } = summary;
  const life = stream ? `; stream so far (${stream.rows} rows, ${stream.batches} batches): batch-weighted average gap ${f(stream.weightedAverageGap)} ≤ bound ε + λ_max/(η_T·N) = ${f(stream.bound)}, pooled gap ${f(stream.pooledGap)}` : '';
  return `fair inference: ${batches}; ${here}${life}`;
}

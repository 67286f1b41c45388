/**
 * F-Layer inference in batches (methods.md §3 (a) "Online primal-dual inference", §3 (v)): a flayer/projection
 * model's raw outputs arrive in batches of a given size; a batch of at least b_τ rows is projected exactly (the hard
 * layer, every pairwise group-mean gap ≤ ε), a smaller one goes through a FairStream (penalised projection and dual
 * ascent). The result depends on the batch size, which is therefore explicit. No TensorFlow.js: float64 on the host.
 */
import { FairkitError } from '../errors.js';
import { FairStream, type FairStreamReport, type StepRule } from '../stream/fair-stream.js';
import { attributeGroups } from './constraints.js';
import { projectEcpHost } from './ecp-host.js';
import { projectHost } from './solver-host.js';

/** b_τ of the CelebA/FairFace code: batches with fewer rows go through the stream. */
export const DEFAULT_STREAM_THRESHOLD = 100;
/** η0 and the step rule of the paper's synthetic study at inference and of the authors' package (spec §3 (a), (v)). */
export const DEFAULT_INFERENCE_ETA0 = 0.5;
export const DEFAULT_INFERENCE_STEP_RULE: StepRule = 'sqrtMaxCount';

export interface FairInferenceOptions {
  /** Rows per batch, in the order given (the last batch may be smaller). */
  batchSize: number;
  /** The model's ε (largest allowed gap between group means of the outputs). */
  epsilon: number;
  /** Number of groups K; ids 0 … K − 1, a negative id marks a row in no group (never moved). */
  groups: number;
  /** b_τ: a batch with at least this many rows is projected exactly (default DEFAULT_STREAM_THRESHOLD). */
  threshold?: number;
  /** For a new stream: η0 (default 0.5) and the step rule (default η0/√max(1, count)). */
  eta0?: number;
  stepRule?: StepRule;
  /** A box lower ≤ output ≤ upper, with the hard projection (Dykstra + polish) and in the stream (two groups only). */
  box?: { lower: number; upper: number };
  /** A stream to continue (e.g. resumed from a model folder); it must have the same ε and K. Else a new one. */
  stream?: FairStream;
  /**
   * Marginal constraints (a model trained with constraint=marginal): for each attribute, the index of its value in
   * every group (valueOf has K entries). An exact batch is then projected onto the marginal set (each attribute's
   * value means within ε, projectHost), as the model's own projection does. The stream keeps the K groups: a
   * stricter set (when every group mean lies in a band of width ε, so does every attribute value's mean, a weighted
   * average of them), for lack of a marginal stream.
   */
  marginal?: { valueOf: number[]; nValues: number }[];
}

export interface FairInferenceResult {
  /** The adjusted outputs, one per row. */
  outputs: Float64Array;
  /** Batches projected exactly and batches given to the stream. */
  exactBatches: number;
  streamedBatches: number;
  /**
   * Σ_t n_t·g_t / Σ_t n_t over the batches of this call (n_t its rows with a group): g_t is the largest pairwise gap
   * of the adjusted batch's group means, or, for a streamed single-group batch, the stream's pooled gap between its
   * group's running mean (including the batch) and the other groups' (FairStream); 0 for an exact batch with one group.
   */
  weightedAverageGap: number;
  /** The largest pairwise gap between the means of the adjusted outputs of each group, over all rows of this call. */
  pooledGap: number;
  /** An EER model given the targets: max over groups of |mean_g(output − target)|, over all rows of this call. */
  largestMeanResidual?: number;
  /** The stream (continued or new), and its report over its whole life, when a batch of this call went through it. */
  stream?: FairStream;
  streamReport?: FairStreamReport;
}

/** Adjusts raw outputs batch by batch: exact projection for batches ≥ b_τ, the primal–dual stream below. */
export function fairInference(raw: ArrayLike<number>, groups: Int32Array, options: FairInferenceOptions): FairInferenceResult {
  const { batchSize, epsilon, groups: nGroups } = options;
  const threshold = options.threshold ?? DEFAULT_STREAM_THRESHOLD;
  const where = 'fairInference';
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new FairkitError(`the inference batch size must be a positive integer, got ${batchSize}`, { where });
  if (!(Number.isInteger(threshold) && threshold >= 1)) throw new FairkitError(`the stream threshold b_τ must be a positive integer, got ${threshold}`, { where });
  if (groups.length !== raw.length) throw new FairkitError(`${raw.length} outputs but ${groups.length} group ids`, { where });
  for (let i = 0; i < raw.length; i++) {
    if (!Number.isFinite(raw[i])) throw new FairkitError(`output ${raw[i]} at row ${i} is not finite`, { where });
  }
  let stream = options.stream;
  const { box } = options;
  if (stream && (stream.epsilon !== epsilon || stream.groups !== nGroups || stream.box?.[0] !== box?.lower || stream.box?.[1] !== box?.upper)) {
    const boxText = (b: readonly number[] | undefined) => (b ? `box [${b.join(', ')}]` : 'no box');
    throw new FairkitError(`the stream has epsilon ${stream.epsilon}, ${stream.groups} groups and ${boxText(stream.box)}, the model epsilon ${epsilon}, ${nGroups} groups and ${boxText(box && [box.lower, box.upper])}`, { where, fix: 'Start a new stream' });
  }
  for (const [a, attribute] of (options.marginal ?? []).entries()) {
    if (attribute.valueOf.length !== nGroups || attribute.valueOf.some((v) => !(Number.isInteger(v) && v >= 0 && v < attribute.nValues))) {
      throw new FairkitError(`marginal attribute ${a} needs a value index in [0, ${attribute.nValues}) for each of the ${nGroups} groups`, { where });
    }
  }
  const outputs = Float64Array.from(raw);
  let exactBatches = 0;
  let streamedBatches = 0;
  let gapSum = 0;
  let groupedRows = 0;
  for (let start = 0; start < raw.length; start += batchSize) {
    const end = Math.min(raw.length, start + batchSize);
    const batchGroups = groups.subarray(start, end);
    if (end - start >= threshold) {
      const ecp = attributeGroups(batchGroups, nGroups, options.marginal);
      const batch = outputs.subarray(start, end);
      const { y } = options.marginal || box ? projectHost(batch, { epsilon, ecp, ...(box ? { box } : {}) }) : projectEcpHost(batch, batchGroups, nGroups, epsilon);
      outputs.set(y, start);
      const grouped = batchGroups.filter((g) => g >= 0).length;
      gapSum += grouped * largestGap(y, batchGroups, nGroups);
      groupedRows += grouped;
      exactBatches++;
      continue;
    }
    // The stream takes only rows with a group; the others stay as they are.
    const rows: number[] = [];
    for (let i = start; i < end; i++) if (groups[i] >= 0) rows.push(i);
    if (rows.length === 0) continue;
    stream ??= new FairStream({ epsilon, groups: nGroups, eta0: options.eta0 ?? DEFAULT_INFERENCE_ETA0, stepRule: options.stepRule ?? DEFAULT_INFERENCE_STEP_RULE, ...(box ? { box: [box.lower, box.upper] as const } : {}) });
    const before = stream.weightedGapSum;
    const adjusted = stream.update(Float64Array.from(rows, (i) => outputs[i]), Int32Array.from(rows, (i) => groups[i]));
    rows.forEach((i, j) => (outputs[i] = adjusted[j]));
    // The stream's own n_t·g_t (its weighted sum grows by exactly that term, up to rounding).
    gapSum += stream.weightedGapSum - before;
    groupedRows += rows.length;
    streamedBatches++;
  }
  return {
    outputs,
    exactBatches,
    streamedBatches,
    weightedAverageGap: groupedRows === 0 ? 0 : gapSum / groupedRows,
    pooledGap: largestGap(outputs, groups, nGroups),
    ...(stream && streamedBatches > 0 ? { stream, streamReport: stream.report() } : {}),
  };
}

/** The largest pairwise gap between the group means of `values` (groups present only; 0 with fewer than two). */
export function largestGap(values: ArrayLike<number>, groups: Int32Array, nGroups: number): number {
  const sums = new Float64Array(nGroups);
  const counts = new Float64Array(nGroups);
  for (let i = 0; i < values.length; i++) {
    const g = groups[i];
    if (g >= 0) {
      sums[g] += values[i];
      counts[g] += 1;
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let g = 0; g < nGroups; g++) {
    if (counts[g] === 0) continue;
    lo = Math.min(lo, sums[g] / counts[g]);
    hi = Math.max(hi, sums[g] / counts[g]);
  }
  return hi > lo ? hi - lo : 0;
}

/**
 * One GroupMixNorm layer with its state: learnable scale γ and shift β per channel, and running statistics for
 * inference (per group, over all rows, and of the drawn mixes), updated with momentum in training mode.
 * `trainingForward` / `inferenceForward` are shared by the functional unit here (used inside models that
 * methods differentiate through) and by the tf.layers.Layer subclass in group-mix-norm-layer.ts.
 *
 * Inference modes (which statistics normalise a row; methods.md §1(b), a reconstruction):
 * - 'groupRunning': the running statistics of the row's group; a group never seen in training, an id outside
 *   [0, K) and a call without group ids fall back to the running statistics over all rows;
 * - 'globalRunning': the running statistics over all rows for every row (plain BatchNorm at inference; needs no
 *   group ids);
 * - 'batch': the statistics of the row's group within the prediction batch (transductive; groups with fewer than
 *   minGroupSize rows in the batch and unknown groups use the whole batch's).
 * Every row is then re-projected onto the inference target: 'expected' = the equal-weight mix of the running
 * statistics of the groups seen in training (the mean of the symmetric Beta/Dirichlet mix), or 'running' = the
 * running average of the mixes drawn during training.
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import type { Rng } from '../rng.js';
import { countGroups, DEFAULT_EPS, DEFAULT_MIN_GROUP_SIZE, groupMixNormalize, groupMixTransform, reprojectWithStatistics, type Affine } from './group-mix-norm.js';
import { drawMixWeights, type MultiGroupMix } from './group-mix-norm-mixing.js';
import type { NamedWeight } from './model.js';
import { outsideTape } from './outside-tape.js';

export const INFERENCE_MODES = ['groupRunning', 'globalRunning', 'batch'] as const;
export type InferenceMode = (typeof INFERENCE_MODES)[number];
export type InferenceMix = 'expected' | 'running';

export interface GroupMixNormSettings {
  /** α of the Beta(α, α) / Dirichlet(α·1) mixing distribution. */
  alpha: number;
  eps: number;
  /** Weight of the newest batch in the running statistics: running ← (1 − m)·running + m·batch. */
  momentum: number;
  minGroupSize: number;
  /** One mix per batch, or one per row. */
  mixPer: 'batch' | 'row';
  multiGroupMix: MultiGroupMix;
  detachStats: boolean;
  /** Learnable per-channel scale γ and shift β after the re-projection. */
  affine: boolean;
  inferenceMode: InferenceMode;
  inferenceMix: InferenceMix;
}

export const DEFAULT_SETTINGS: GroupMixNormSettings = {
  alpha: 0.1,
  eps: DEFAULT_EPS,
  momentum: 0.1,
  minGroupSize: DEFAULT_MIN_GROUP_SIZE,
  mixPer: 'batch',
  multiGroupMix: 'dirichlet',
  detachStats: false,
  affine: true,
  inferenceMode: 'groupRunning',
  inferenceMix: 'expected',
};

export interface UnitShape {
  nGroups: number;
  channels: number;
}

export const STATE_NAMES = ['runningGroupMean', 'runningGroupVar', 'groupUpdates', 'runningMean', 'runningVar', 'runningMixMean', 'runningMixStd'] as const;
export type StateName = (typeof STATE_NAMES)[number];
export type RunningState = Record<StateName, tf.Tensor>;

/** Names, shapes and initial values of a unit's weights: γ, β (when affine), then the running state. */
export function unitWeightSpecs(shape: UnitShape, settings: Pick<GroupMixNormSettings, 'affine'>): { name: string; shape: number[]; initial: 0 | 1; trainable: boolean }[] {
  const { nGroups: k, channels: c } = shape;
  return [
    ...(settings.affine ? [{ name: 'gamma', shape: [c], initial: 1 as const, trainable: true }, { name: 'beta', shape: [c], initial: 0 as const, trainable: true }] : []),
    { name: 'runningGroupMean', shape: [k, c], initial: 0, trainable: false },
    { name: 'runningGroupVar', shape: [k, c], initial: 1, trainable: false },
    { name: 'groupUpdates', shape: [k], initial: 0, trainable: false },
    { name: 'runningMean', shape: [c], initial: 0, trainable: false },
    { name: 'runningVar', shape: [c], initial: 1, trainable: false },
    { name: 'runningMixMean', shape: [c], initial: 0, trainable: false },
    { name: 'runningMixStd', shape: [c], initial: 1, trainable: false },
  ];
}

/** Completes and validates settings (bad values raise a FairkitError naming the setting). */
export function resolveSettings(partial: Partial<GroupMixNormSettings>, where: string): GroupMixNormSettings {
  // Only the known settings, so that other options passed alongside never end up in a saved model.
  const s = Object.fromEntries(
    (Object.keys(DEFAULT_SETTINGS) as (keyof GroupMixNormSettings)[]).map((key) => [key, partial[key] ?? DEFAULT_SETTINGS[key]]),
  ) as unknown as GroupMixNormSettings;
  const fail = (what: string) => {
    throw new FairkitError(what, { where });
  };
  if (!(s.alpha > 0)) fail(`alpha must be > 0, got ${s.alpha}`);
  if (!(s.eps > 0)) fail(`eps must be > 0, got ${s.eps}`);
  if (!(s.momentum > 0 && s.momentum <= 1)) fail(`momentum must be in (0, 1], got ${s.momentum}`);
  if (!(Number.isInteger(s.minGroupSize) && s.minGroupSize >= 1)) fail(`minGroupSize must be an integer ≥ 1, got ${s.minGroupSize}`);
  if (!['batch', 'row'].includes(s.mixPer)) fail(`mixPer must be 'batch' or 'row', got '${s.mixPer}'`);
  if (!['dirichlet', 'pair'].includes(s.multiGroupMix)) fail(`multiGroupMix must be 'dirichlet' or 'pair', got '${s.multiGroupMix}'`);
  if (!INFERENCE_MODES.includes(s.inferenceMode)) fail(`inferenceMode must be one of ${INFERENCE_MODES.join(', ')}, got '${s.inferenceMode}'`);
  if (!['expected', 'running'].includes(s.inferenceMix)) fail(`inferenceMix must be 'expected' or 'running', got '${s.inferenceMix}'`);
  return s;
}

/**
 * Training mode: mixes drawn from `rng`, the transform of groupMixNormalize with γ, β. Returns the output and
 * the next running state (to be assigned by the caller). Without group ids every row is of an unknown group, so
 * the layer is BatchNorm re-projected onto the batch's own statistics and only the overall running statistics move.
 */
export function trainingForward(x: tf.Tensor, groups: Int32Array | undefined, shape: UnitShape, settings: GroupMixNormSettings, affine: Affine, running: RunningState, rng: Rng): { output: tf.Tensor; next: RunningState } {
  checkGroupCount(x, groups);
  const ids = groups ?? new Int32Array(x.shape[0]).fill(-1);
  const probe = eligibility(ids, shape.nGroups, settings.minGroupSize);
  const mixes = settings.mixPer === 'row' ? x.shape[0] : 1;
  const weights = drawMixWeights(probe, settings.alpha, rng, mixes, settings.multiGroupMix);
  return tf.tidy(() => {
    const options = { nGroups: shape.nGroups, eps: settings.eps, minGroupSize: settings.minGroupSize, detachStats: settings.detachStats };
    const result = groupMixTransform(x, ids, weights, options, affine);
    const rows = x.shape[0];
    // The running statistics are never differentiated: they are computed on the host, off the gradient tape.
    const next = outsideTape(() => nextRunningState(running, result, settings.momentum, rows, x.size / rows / shape.channels));
    return { output: result.output, next };
  });
}

function checkGroupCount(x: tf.Tensor, groups: Int32Array | undefined): void {
  if (groups !== undefined && groups.length !== x.shape[0]) {
    throw new FairkitError(`${groups.length} group ids for ${x.shape[0]} rows`, { where: 'GroupMixNorm', fix: 'Give one group id per row (-1 for an unknown group)' });
  }
}

/** Inference mode (see the file comment); `groups` may be absent. */
export function inferenceForward(x: tf.Tensor, groups: Int32Array | undefined, shape: UnitShape, settings: GroupMixNormSettings, affine: Affine, running: RunningState): tf.Tensor {
  checkGroupCount(x, groups);
  const { nGroups } = shape;
  return tf.tidy(() => {
    const seen = Array.from(running.groupUpdates.dataSync(), (n) => n > 0);
    const runningStd = (variance: tf.Tensor) => tf.sqrt(tf.add(variance, settings.eps));
    const [targetMean, targetStd] = inferenceTarget(running, seen, settings, runningStd);
    let output: tf.Tensor;
    if (settings.inferenceMode === 'batch') {
      const ids = groups ?? new Int32Array(x.shape[0]).fill(-1);
      const batch = groupMixNormalize(x, ids, new Float32Array(nGroups), { nGroups, eps: settings.eps, minGroupSize: settings.minGroupSize });
      const slot = Int32Array.from(ids, (id) => (id >= 0 && id < nGroups && batch.eligible[id] ? id : nGroups));
      const meanTable = tf.concat([batch.groupMean, batch.batchMean], 0) as tf.Tensor2D;
      const stdTable = tf.sqrt(tf.add(tf.concat([batch.groupVar, batch.batchVar], 0), settings.eps)) as tf.Tensor2D;
      output = reprojectWithStatistics(x, slot, meanTable, stdTable, targetMean, targetStd);
    } else {
      const byGroup = settings.inferenceMode === 'groupRunning' && groups !== undefined;
      const slot = Int32Array.from({ length: x.shape[0] }, (_, i) => {
        const id = byGroup ? groups![i] : -1;
        return id >= 0 && id < nGroups && seen[id] ? id : nGroups;
      });
      const meanTable = tf.concat([running.runningGroupMean, tf.reshape(running.runningMean, [1, -1])], 0) as tf.Tensor2D;
      const stdTable = runningStd(tf.concat([running.runningGroupVar, tf.reshape(running.runningVar, [1, -1])], 0)) as tf.Tensor2D;
      output = reprojectWithStatistics(x, slot, meanTable, stdTable, targetMean, targetStd);
    }
    return applyAffine(output, affine);
  });
}

function inferenceTarget(running: RunningState, seen: boolean[], settings: GroupMixNormSettings, runningStd: (v: tf.Tensor) => tf.Tensor): [tf.Tensor2D, tf.Tensor2D] {
  const row = (t: tf.Tensor) => tf.reshape(t, [1, -1]) as tf.Tensor2D;
  if (settings.inferenceMix === 'running') return [row(running.runningMixMean), row(running.runningMixStd)];
  const nSeen = seen.filter(Boolean).length;
  if (nSeen === 0) return [row(running.runningMean), row(runningStd(running.runningVar))];
  const weights = tf.tensor2d(seen.map((ok) => (ok ? 1 / nSeen : 0)), [1, seen.length]);
  return [tf.matMul(weights, running.runningGroupMean as tf.Tensor2D), tf.matMul(weights, runningStd(running.runningGroupVar) as tf.Tensor2D)];
}

function eligibility(ids: Int32Array, nGroups: number, minGroupSize: number): boolean[] {
  return Array.from(countGroups(ids, nGroups), (n) => n >= minGroupSize && n > 0);
}

/**
 * Momentum updates: groups used in this batch move their running mean and variance (the variance unbiased, n/(n−1),
 * as PyTorch's BatchNorm does), the overall statistics always move, and so does the average of the drawn mix.
 * Computed on the host from the batch's [K+1, C] tables (about 30 small kernels per layer and step before), each
 * operation rounded to float32 as the kernels rounded it (old + rate·(batch − old)), so the values are bit for bit
 * those of the kernels (group-mix-norm-unit.test.ts checks them against tensor ops).
 */
function nextRunningState(running: RunningState, result: ReturnType<typeof groupMixTransform>, momentum: number, rows: number, elementsPerRow: number): RunningState {
  const { counts, eligible, statistics } = result;
  const nGroups = counts.length;
  const unbiasing = (n: number) => (n > 1 ? n / (n - 1) : 1);
  // A variance needs two values: a group (or batch) with one value per channel moves no statistics, else its
  // variance of 0 would shrink the running one (a short last batch of one row, every epoch).
  const updated = eligible.map((ok, g) => ok && counts[g] * elementsPerRow >= 2);
  const overallRate = rows * elementsPerRow >= 2 ? momentum : 0;
  // Without an eligible group the "mix" is the batch's own statistics, not a draw of the mixing distribution.
  const mixRate = updated.some(Boolean) ? overallRate : 0;
  const means = statistics.meanTable.dataSync() as Float32Array;
  const variances = statistics.varTable.dataSync() as Float32Array;
  const channels = statistics.meanTable.shape[1]!;
  const groupRows = nGroups * channels;
  const batchRow = (table: Float32Array) => table.subarray(groupRows, groupRows + channels);
  const f = Math.fround;
  const towards = (old: tf.Tensor, batch: ArrayLike<number>, weight: (i: number) => number) => {
    const values = old.dataSync() as Float32Array;
    return tf.tensor(Float32Array.from(values, (v, i) => f(v + f(weight(i) * f(batch[i] - v)))), old.shape);
  };
  const groupRate = (i: number) => (updated[Math.floor(i / channels)] ? f(momentum) : 0);
  const groupUnbiasing = Float32Array.from(counts, (n) => unbiasing(n * elementsPerRow));
  const unbiasedGroupVar = Float32Array.from(variances.subarray(0, groupRows), (v, i) => f(v * groupUnbiasing[Math.floor(i / channels)]));
  const batchUnbiasing = f(unbiasing(rows * elementsPerRow));
  return {
    runningGroupMean: towards(running.runningGroupMean, means, groupRate),
    runningGroupVar: towards(running.runningGroupVar, unbiasedGroupVar, groupRate),
    groupUpdates: tf.tensor(Float32Array.from(running.groupUpdates.dataSync(), (n, g) => f(n + (updated[g] ? 1 : 0)))),
    runningMean: towards(running.runningMean, batchRow(means), () => f(overallRate)),
    runningVar: towards(running.runningVar, Float32Array.from(batchRow(variances), (v) => f(v * batchUnbiasing)), () => f(overallRate)),
    runningMixMean: towards(running.runningMixMean, averageRow(statistics.mixMean), () => f(mixRate)),
    runningMixStd: towards(running.runningMixStd, averageRow(statistics.mixStd), () => f(mixRate)),
  };
}

/** The mean over the rows of an [M, C] mix table: the one row itself, or (one mix per row) tf.mean's. */
function averageRow(table: tf.Tensor): Float32Array {
  return (table.shape[0] === 1 ? table.dataSync() : tf.tidy(() => tf.mean(table, 0).dataSync())) as Float32Array;
}

function applyAffine(x: tf.Tensor, { gamma, beta }: Affine): tf.Tensor {
  let y = x;
  if (gamma) y = tf.mul(y, gamma);
  if (beta) y = tf.add(y, beta);
  return y;
}

/** A GroupMixNorm layer over named tf.Variables, for functional models (weights `${prefix}/gamma`, …). */
export class GroupMixNormUnit {
  readonly weights: NamedWeight[];
  /** The learnable weights (γ, β), for the optimiser. */
  readonly trainable: tf.Variable[];
  private readonly byName: Map<string, tf.Variable>;

  /** `arrays`: values in `unitWeightSpecs` order (from a saved model); default the initial values. */
  constructor(
    readonly prefix: string,
    readonly shape: UnitShape,
    readonly settings: GroupMixNormSettings,
    arrays?: Float32Array[],
  ) {
    const specs = unitWeightSpecs(shape, settings);
    this.weights = specs.map((spec, i) => {
      const initial = arrays ? tf.tensor(arrays[i], spec.shape) : spec.initial === 1 ? tf.ones(spec.shape) : tf.zeros(spec.shape);
      const variable = tf.variable(initial, spec.trainable);
      initial.dispose();
      return { name: `${prefix}/${spec.name}`, variable };
    });
    this.byName = new Map(this.weights.map((w, i) => [specs[i].name, w.variable]));
    this.trainable = specs.flatMap((spec, i) => (spec.trainable ? [this.weights[i].variable] : []));
  }

  /** In training mode the running state is updated (assigned) as a side effect. */
  apply(x: tf.Tensor, options: { training: boolean; groups?: Int32Array; rng?: Rng }): tf.Tensor {
    const affine = { gamma: this.byName.get('gamma'), beta: this.byName.get('beta') };
    const running = Object.fromEntries(STATE_NAMES.map((name) => [name, this.byName.get(name)!])) as unknown as RunningState;
    if (!options.training) return inferenceForward(x, options.groups, this.shape, this.settings, affine, running);
    if (!options.rng) throw new Error(`GroupMixNorm ${this.prefix}: training needs an rng for the mixing weights`);
    const { output, next } = trainingForward(x, options.groups, this.shape, this.settings, affine, running, options.rng);
    for (const name of STATE_NAMES) {
      this.byName.get(name)!.assign(next[name]);
      next[name].dispose();
    }
    return output;
  }

  /**
   * Replaces the running statistics by exact ones (from GroupMoments); groups without rows keep theirs. The running
   * mix becomes the equal-weight mix of the groups seen, its expectation.
   */
  setStatistics(moments: Moments): void {
    const { nGroups: k, channels: c } = this.shape;
    const current = (name: StateName) => this.byName.get(name)!.dataSync() as Float32Array;
    const groupMean = current('runningGroupMean').slice();
    const groupVar = current('runningGroupVar').slice();
    const updates = current('groupUpdates').slice();
    // A group with fewer rows than a variance needs (or than minGroupSize) keeps its statistics, so an unseen one
    // stays unseen and falls back to the overall statistics instead of dividing by √eps.
    const enough = Math.max(2, this.settings.minGroupSize);
    for (let g = 0; g < k; g++) {
      if (moments.groupCount[g] < enough) continue;
      groupMean.set(moments.groupMean.subarray(g * c, (g + 1) * c), g * c);
      groupVar.set(moments.groupVar.subarray(g * c, (g + 1) * c), g * c);
      updates[g] = Math.max(1, updates[g]);
    }
    const seen = Array.from(updates, (n) => n > 0);
    const nSeen = seen.filter(Boolean).length;
    const mixMean = new Float32Array(c);
    const mixStd = new Float32Array(c);
    for (let g = 0; g < k; g++) {
      if (!seen[g]) continue;
      for (let j = 0; j < c; j++) {
        mixMean[j] += groupMean[g * c + j] / nSeen;
        mixStd[j] += Math.sqrt(groupVar[g * c + j] + this.settings.eps) / nSeen;
      }
    }
    const values: Partial<Record<StateName, Float32Array>> = { runningGroupMean: groupMean, runningGroupVar: groupVar, groupUpdates: updates };
    if (moments.mean.length > 0 && moments.count >= 2) Object.assign(values, { runningMean: moments.mean, runningVar: moments.variance });
    if (nSeen > 0) Object.assign(values, { runningMixMean: mixMean, runningMixStd: mixStd });
    tf.tidy(() => {
      for (const [name, array] of Object.entries(values) as [StateName, Float32Array][]) {
        const variable = this.byName.get(name)!;
        variable.assign(tf.tensor(array, variable.shape));
      }
    });
  }

  /** The current value of a running-state tensor (a copy the caller disposes). */
  state(name: StateName): tf.Tensor {
    return tf.clone(this.byName.get(name)!);
  }

  dispose(): void {
    for (const w of this.weights) w.variable.dispose();
  }
}

export interface Moments {
  /** [K·C] per-group mean and unbiased variance, and elements (rows × positions) per group. */
  groupMean: Float32Array;
  groupVar: Float32Array;
  groupCount: Float64Array;
  /** [C] over all rows (unbiased variance); empty when no rows were added. */
  mean: Float32Array;
  variance: Float32Array;
  /** Elements (rows × positions) over all rows. */
  count: number;
}

/** Exact per-group and overall per-channel moments of features added batch by batch (float64 sums). */
export class GroupMoments {
  private readonly sums: Float64Array;
  private readonly squares: Float64Array;
  private readonly counts: Float64Array;

  constructor(
    private readonly nGroups: number,
    private readonly channels: number,
  ) {
    // Slot K collects every row, whatever its group.
    this.sums = new Float64Array((nGroups + 1) * channels);
    this.squares = new Float64Array((nGroups + 1) * channels);
    this.counts = new Float64Array(nGroups + 1);
  }

  /** Features [B, …, C] flattened row-major, with one group id per row (ids outside [0, K) count only overall). */
  add(features: ArrayLike<number>, groups: Int32Array): void {
    const c = this.channels;
    const perRow = features.length / groups.length;
    groups.forEach((id, i) => {
      const slots = id >= 0 && id < this.nGroups ? [id, this.nGroups] : [this.nGroups];
      for (const slot of slots) {
        this.counts[slot] += perRow / c;
        for (let k = 0; k < perRow; k++) {
          const v = features[i * perRow + k];
          this.sums[slot * c + (k % c)] += v;
          this.squares[slot * c + (k % c)] += v * v;
        }
      }
    });
  }

  result(): Moments {
    const c = this.channels;
    const meanOf = (slot: number) => Float32Array.from({ length: c }, (_, j) => (this.counts[slot] > 0 ? this.sums[slot * c + j] / this.counts[slot] : 0));
    const varOf = (slot: number) => {
      const n = this.counts[slot];
      return Float32Array.from({ length: c }, (_, j) => (n > 1 ? Math.max(0, this.squares[slot * c + j] - this.sums[slot * c + j] ** 2 / n) / (n - 1) : 0));
    };
    const groupMean = new Float32Array(this.nGroups * c);
    const groupVar = new Float32Array(this.nGroups * c);
    for (let g = 0; g < this.nGroups; g++) {
      groupMean.set(meanOf(g), g * c);
      groupVar.set(varOf(g), g * c);
    }
    const any = this.counts[this.nGroups] > 0;
    return {
      groupMean,
      groupVar,
      groupCount: this.counts.slice(0, this.nGroups),
      mean: any ? meanOf(this.nGroups) : new Float32Array(0),
      variance: any ? varOf(this.nGroups) : new Float32Array(0),
      count: this.counts[this.nGroups],
    };
  }
}

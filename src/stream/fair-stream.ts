/**
 * FairStream: F-Layer's online primal–dual inference (methods spec §3 (a) "Online primal-dual inference", (v)) as a
 * stateful object without TensorFlow.js or Node.js built-ins, so a server and a browser can run the same code.
 *
 * Per batch t of n_t rows: (1) the penalised projection ŷ = argmin ‖y − r‖² + λ·n·Σ_pairs |mean_a(y) − mean_b(y)|;
 * (2) the gap g_t and the violation n_t·(g_t − ε); (3) dual ascent λ ← max(0, λ + η_t·violation). Whatever g_t is,
 * that update alone gives the deterministic guarantee Σ_t n_t g_t / N ≤ ε + λ_max/(η_T·N) for any non-increasing
 * η_t (telescoping, spec §3 (v)); report() returns both sides.
 *
 * Batches with a single group (always so at batch size 1) have no pair inside the batch: the paper returns them
 * unchanged. fairkit's extension moves the batch as a block (one shift for every row, so the order inside the batch is
 * kept): by its group's anchor, the offset that puts a typical batch of the group at the stream's pooled mean, plus a
 * penalised step of at most λ/2 that brings the group's running mean back within ε/2 of the pooled mean when it has
 * left that band (anchoredShift, group-shifts.ts; docs/methods/flayer.md). g_t is the batch's group's largest pooled
 * gap to the other groups after the shift, so the guarantee covers these batches too.
 */
import { FairkitError } from '../errors.js';
import { boxedAgainstFixed, boxedBinary, type Box } from './boxed-dual.js';
import { anchoredShift, binaryTargets, groupTargets, penalisedStep } from './group-shifts.js';
import { parseStreamJson, STREAM_JSON_VERSION, type FairStreamJson } from './stream-json.js';

/** η_t from the number of batches seen before t: 'sqrtCount' = η0/√(count+1) (CelebA/FairFace code), 'sqrtMaxCount' = η0/√max(1, count) (synthetic study, package). */
export type StepRule = 'sqrtCount' | 'sqrtMaxCount';

export interface FairStreamOptions {
  /** Allowed gap ε between group means of the adjusted outputs (same units as the outputs, e.g. logits). */
  epsilon: number;
  /** Base dual step η0 (spec: 0.1 CelebA/FairFace, 0.5 synthetic inference and the package). */
  eta0: number;
  /** Number of groups K; group ids in update() are 0 … K − 1. */
  groups: number;
  /** Optional box lb ≤ ŷ ≤ ub (two groups only). */
  box?: readonly [number, number];
  stepRule?: StepRule;
}

export interface FairStreamReport {
  rows: number;
  batches: number;
  lambda: number;
  lambdaMax: number;
  /** Σ_t n_t g_t / N (0 before any row). */
  weightedAverageGap: number;
  /** Largest pairwise gap between the pooled means of the adjusted outputs of each group seen so far. */
  pooledGap: number;
  /** ε + λ_max/(η_T·N): weightedAverageGap never exceeds it (Infinity before any row). */
  bound: number;
}

/** Everything that evolves; toJSON() writes it and fromJSON() restores it exactly. */
export interface FairStreamState {
  lambda: number;
  lambdaMax: number;
  batches: number;
  rows: number;
  weightedGapSum: number;
  lastEta: number;
  groupSums: number[];
  groupCounts: number[];
  /** Sums of the raw outputs per group (the anchors of single-group batches). */
  groupRawSums: number[];
}

export class FairStream {
  readonly epsilon: number;
  readonly eta0: number;
  readonly groups: number;
  readonly box: Box | undefined;
  readonly stepRule: StepRule;
  private state!: FairStreamState;

  constructor(options: FairStreamOptions) {
    const { epsilon, eta0, groups, box, stepRule = 'sqrtCount' } = options;
    if (!(Number.isFinite(epsilon) && epsilon >= 0)) throw new FairkitError(`FairStream: epsilon must be a finite number ≥ 0, got ${epsilon}`);
    if (!(Number.isFinite(eta0) && eta0 > 0)) throw new FairkitError(`FairStream: eta0 must be a finite number > 0, got ${eta0}`);
    if (!(Number.isInteger(groups) && groups >= 2)) throw new FairkitError(`FairStream: groups must be an integer ≥ 2, got ${groups}`);
    if (stepRule !== 'sqrtCount' && stepRule !== 'sqrtMaxCount') throw new FairkitError(`FairStream: unknown stepRule '${String(stepRule)}'`, { fix: "Use 'sqrtCount' or 'sqrtMaxCount'" });
    if (box !== undefined) {
      if (!(Number.isFinite(box[0]) && Number.isFinite(box[1]) && box[0] < box[1])) throw new FairkitError(`FairStream: box must be [lb, ub] with finite lb < ub, got [${box.join(', ')}]`);
      // The boxed projection is an exact 1-D dual only with one pair; K > 2 with a box would need a K(K−1)/2-dim dual.
      if (groups !== 2) throw new FairkitError(`FairStream: a box is supported with 2 groups only, got ${groups}`);
    }
    this.epsilon = epsilon;
    this.eta0 = eta0;
    this.groups = groups;
    this.box = box === undefined ? undefined : [box[0], box[1]];
    this.stepRule = stepRule;
    this.reset();
  }

  /** Back to λ = 0 and no rows: the spec resets the inference state before every evaluation pass. */
  reset(): void {
    this.state = { lambda: 0, lambdaMax: 0, batches: 0, rows: 0, weightedGapSum: 0, lastEta: 0, groupSums: new Array<number>(this.groups).fill(0), groupCounts: new Array<number>(this.groups).fill(0), groupRawSums: new Array<number>(this.groups).fill(0) };
  }

  /** Adjusts one batch (raw outputs r and group ids) and advances the dual state; returns ŷ. */
  update(outputs: Float64Array | readonly number[], groups: Int32Array): Float64Array {
    const n = outputs.length;
    if (n === 0) throw new FairkitError('FairStream.update: empty batch');
    if (groups.length !== n) throw new FairkitError(`FairStream.update: ${n} outputs but ${groups.length} group ids`);
    const batchCounts = new Array<number>(this.groups).fill(0);
    const batchSums = new Array<number>(this.groups).fill(0);
    for (let i = 0; i < n; i++) {
      const g = groups[i];
      if (!(g >= 0 && g < this.groups)) throw new FairkitError(`FairStream.update: group id ${g} at row ${i} is outside 0…${this.groups - 1}`);
      if (!Number.isFinite(outputs[i])) throw new FairkitError(`FairStream.update: output ${outputs[i]} at row ${i} is not finite`);
      batchCounts[g]++;
      batchSums[g] += outputs[i];
    }
    const present = batchCounts.flatMap((count, g) => (count > 0 ? [g] : []));
    const s = this.state;
    const { adjusted, gap } = present.length >= 2 ? this.projectPairs(outputs, groups, present, batchCounts, batchSums) : this.projectAgainstRunning(outputs, present[0]);

    // Dual ascent with the step of this batch; η_T is the last one used, as the bound needs.
    const eta = this.stepRule === 'sqrtCount' ? this.eta0 / Math.sqrt(s.batches + 1) : this.eta0 / Math.sqrt(Math.max(1, s.batches));
    s.lambda = Math.max(0, s.lambda + eta * n * (gap - this.epsilon));
    s.lambdaMax = Math.max(s.lambdaMax, s.lambda);
    s.lastEta = eta;
    s.batches += 1;
    s.rows += n;
    s.weightedGapSum += n * gap;
    for (let i = 0; i < n; i++) {
      s.groupSums[groups[i]] += adjusted[i];
      s.groupRawSums[groups[i]] += outputs[i];
      s.groupCounts[groups[i]] += 1;
    }
    return adjusted;
  }

  /** Two or more groups in the batch: the paper's penalised projection over the pairs present. */
  private projectPairs(outputs: ArrayLike<number>, groups: Int32Array, present: number[], counts: number[], sums: number[]): { adjusted: Float64Array; gap: number } {
    const n = outputs.length;
    const mu = this.state.lambda * n;
    let adjusted: Float64Array;
    if (this.box !== undefined) {
      // The constructor allows a box with K = 2 only, so `present` is [0, 1].
      const side = Int8Array.from(groups);
      adjusted = boxedBinary(outputs, side, counts[0], counts[1], mu, this.box);
    } else {
      const means = present.map((g) => sums[g] / counts[g]);
      const sizes = present.map((g) => counts[g]);
      const targets = present.length === 2 ? binaryTargets(means[0], means[1], sizes[0], sizes[1], mu) : groupTargets(means, sizes, mu);
      const shift = new Array<number>(this.groups).fill(0);
      present.forEach((g, j) => (shift[g] = targets[j] - means[j]));
      adjusted = Float64Array.from(outputs, (r, i) => r + shift[groups[i]]);
    }
    // The gap is measured on ŷ as returned, not on the solver's targets.
    const adjustedSums = new Array<number>(this.groups).fill(0);
    for (let i = 0; i < n; i++) adjustedSums[groups[i]] += adjusted[i];
    const adjustedMeans = present.map((g) => adjustedSums[g] / counts[g]);
    return { adjusted, gap: Math.max(...adjustedMeans) - Math.min(...adjustedMeans) };
  }

  /**
   * fairkit's single-group extension (stream.json version 4). The batch (n rows, all of group g) is shifted as a
   * block by δ = a + step: a = T − R_g puts a batch with g's raw running mean R_g at the pooled mean T of every
   * adjusted row so far, and step, at most λ/2 (the paper's penalised soft threshold with the penalty in units of the
   * batch mean, as for the paper's batches), is the part of w = (C_g/n)·(distance of g's running mean P_g outside
   * the band T ± ε/2) that the penalty allows: w is the extra batch-mean shift that returns P_g to the band in one
   * batch. With a box, the same penalised step by the boxed 1-D dual around the anchored rows.
   *
   * Why not the version-3 rule (each batch toward the point where its own mean closes the largest pooled gap, ±λ/2):
   * that point is at distance (C_g/n)·(gap) from the batch, so once λ is large every row within λ/2 of it is set to
   * it, and at batch size 1 each row's deviation from its group mean is undone by the next rows' shifts; with
   * unequal groups λ overshoots while small groups hold few rows and whole groups lost their ranking (Adult race,
   * batch 1: AP 44 against 78). Here the shift depends on the stream's state only, never on the row's own value,
   * and inside the band the anchor alone acts, so a large λ does not tie rows; the largest group barely moves
   * (T is mostly its own mean) and the small groups are brought to it.
   *
   * g_t is max_h |P_g(δ) − M_h| on ŷ as returned (for K = 2, exactly the pooled gap); before any row of g or of
   * another group is seen, ŷ = r (clipped to the box) and g_t is that gap, or 0.
   */
  private projectAgainstRunning(outputs: ArrayLike<number>, g: number): { adjusted: Float64Array; gap: number } {
    const n = outputs.length;
    const s = this.state;
    const others: number[] = [];
    let total = 0;
    let rows = 0;
    for (let h = 0; h < this.groups; h++) {
      total += s.groupSums[h];
      rows += s.groupCounts[h];
      if (h !== g && s.groupCounts[h] > 0) others.push(s.groupSums[h] / s.groupCounts[h]);
    }
    let adjusted: Float64Array;
    if (others.length === 0 || s.groupCounts[g] === 0) adjusted = this.box === undefined ? Float64Array.from(outputs) : Float64Array.from(outputs, (r) => Math.min(this.box![1], Math.max(this.box![0], r)));
    else {
      const count = s.groupCounts[g];
      const { anchor, correction } = anchoredShift({ pooledMean: total / rows, rawMean: s.groupRawSums[g] / count, adjustedMean: s.groupSums[g] / count, count }, n, this.epsilon);
      if (this.box !== undefined) {
        const anchored = Float64Array.from(outputs, (r) => r + anchor);
        const anchoredMean = anchored.reduce((a, b) => a + b, 0) / n;
        adjusted = boxedAgainstFixed(anchored, anchoredMean + correction, s.lambda * n, this.box);
      } else {
        const shift = anchor + penalisedStep(correction, s.lambda);
        adjusted = Float64Array.from(outputs, (r) => r + shift);
      }
    }
    if (others.length === 0) return { adjusted, gap: 0 };
    let sum = s.groupSums[g];
    for (let i = 0; i < n; i++) sum += adjusted[i];
    const pooledMean = sum / (s.groupCounts[g] + n);
    return { adjusted, gap: Math.max(...others.map((M) => Math.abs(pooledMean - M))) };
  }

  report(): FairStreamReport {
    const s = this.state;
    const means = s.groupCounts.flatMap((count, g) => (count > 0 ? [s.groupSums[g] / count] : []));
    return {
      rows: s.rows,
      batches: s.batches,
      lambda: s.lambda,
      lambdaMax: s.lambdaMax,
      weightedAverageGap: s.rows === 0 ? 0 : s.weightedGapSum / s.rows,
      pooledGap: means.length < 2 ? 0 : Math.max(...means) - Math.min(...means),
      bound: s.rows === 0 ? Infinity : this.epsilon + s.lambdaMax / (s.lastEta * s.rows),
    };
  }

  /** A copy of the evolving state (for persistence; see stream-json.ts). */
  /** Σ n_t·g_t over the stream so far (read without copying the state, as snapshot() does). */
  get weightedGapSum(): number {
    return this.state.weightedGapSum;
  }

  snapshot(): FairStreamState {
    const s = this.state;
    return { ...s, groupSums: [...s.groupSums], groupCounts: [...s.groupCounts], groupRawSums: [...s.groupRawSums] };
  }

  /** Replaces the evolving state (validated by the caller, stream-json.ts). */
  restore(state: FairStreamState): void {
    if (state.groupSums.length !== this.groups || state.groupCounts.length !== this.groups || state.groupRawSums.length !== this.groups) throw new FairkitError(`FairStream: saved state has ${state.groupSums.length} groups, expected ${this.groups}`);
    this.state = { ...state, groupSums: [...state.groupSums], groupCounts: [...state.groupCounts], groupRawSums: [...state.groupRawSums] };
  }

  toJSON(): FairStreamJson {
    return {
      format: 'fairkit-stream',
      version: STREAM_JSON_VERSION,
      options: { epsilon: this.epsilon, eta0: this.eta0, groups: this.groups, box: this.box === undefined ? null : [this.box[0], this.box[1]], stepRule: this.stepRule },
      state: this.snapshot(),
    };
  }

  /** Resumes a stream from toJSON() output (an object or its JSON text); the result continues bit-identically. */
  static fromJSON(json: unknown): FairStream {
    let value = json;
    if (typeof json === 'string') {
      try {
        value = JSON.parse(json);
      } catch (cause) {
        throw new FairkitError('FairStream.fromJSON: the text is not JSON', { cause, fix: 'Pass the output of FairStream.toJSON() or its JSON text' });
      }
    }
    const parsed = parseStreamJson(value);
    const { box, ...rest } = parsed.options;
    const stream = new FairStream({ ...rest, box: box ?? undefined });
    stream.restore(parsed.state);
    return stream;
  }
}

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
 * unchanged. fairkit's extension acts on the stream's pooled gap instead: the batch moves as a block (one shift δ for
 * every row, so the ranking inside the batch is kept) toward closing the gap between its group's running mean,
 * including the batch, and the other groups' running means; g_t is that pooled gap after the shift, so the guarantee
 * covers these batches too. The penalty is the largest of those gaps (not their sum), so a row moves by at most λ/2
 * with any number of groups. The derivation is at projectAgainstRunning (and docs/methods/flayer-inference.md).
 */
import { FairkitError } from '../errors.js';
import { boxedAgainstFixed, boxedBinary, type Box } from './boxed-dual.js';
import { binaryTargets, groupTargets, targetAgainstFarthest } from './group-shifts.js';
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
    this.state = { lambda: 0, lambdaMax: 0, batches: 0, rows: 0, weightedGapSum: 0, lastEta: 0, groupSums: new Array<number>(this.groups).fill(0), groupCounts: new Array<number>(this.groups).fill(0) };
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
    const { adjusted, gap } = present.length >= 2 ? this.projectPairs(outputs, groups, present, batchCounts, batchSums) : this.projectAgainstRunning(outputs, present[0], batchSums[present[0]] / n);

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
   * fairkit's single-group extension. The batch (n rows, all of group g, raw mean m) joins a group whose running
   * sum and count of adjusted outputs are S_g and C_g; the other groups h seen so far have running means M_h, fixed.
   * Shifting every row by δ makes g's running mean including the batch
   *
   *   P_g(δ) = (S_g + n·m + n·δ)/(C_g + n),   so   P_g(δ) − M_h = (n/(C_g + n))·(m + δ − c_h),
   *   c_h = ((C_g + n)·M_h − S_g)/n   (the batch mean at which g's running mean would equal M_h).
   *
   * The penalised projection, as in the paper's step 1 with the batch's gap replaced by this pooled gap measured in
   * units of the batch mean (the distance m + δ − c_h that the batch mean is from closing it):
   *
   *   ŷ = argmin_y ‖y − r‖² + λ·n·max_h |mean(y) − c_h|.
   *
   * The penalty is the largest gap, the same quantity g_t that the dual ascent prices (below): the primal step and
   * the dual price one constraint. (Until stream.json version 3 it was the SUM over h. That lets one row move by up
   * to (K − 1)·λ/2 and clips it at the median of the c_h, so with many groups rows were pinned to one value; at
   * batch size 1 with 10 groups the stream returned a constant for every row of the second half.)
   * Any change inside the batch that keeps its mean costs ‖·‖² and nothing else, so the optimum is a uniform shift δ
   * and the problem is minimise n·δ² + λ·n·max_h |m + δ − c_h|, which targetAgainstFarthest solves exactly: a step
   * of at most λ/2, whatever K, toward the midpoint of the smallest and largest c_h, where the largest gap is least. With one other
   * group (K = 2) it is the paper's soft threshold d′ = sign(d)·max(|d| − λ·n·k/2, 0) with d = m − c and k = 1/n (only
   * the batch moves): δ = −sign(m − c)·min(λ/2, |m − c|), a step of λ/2 (the paper's per-row λ·n/(2·n_g) with
   * n_g = n) toward closing the pooled gap, clipped where the pooled gap reaches 0, never past it (the max(·, 0)). The penalty deliberately does not use the raw pooled gap P_g − M_h: its
   * weight n/(C_g + n) → 0 as the stream grows would make the step vanish (λ would have to grow like the row count).
   * Nor does it stop at a pooled gap of ε: that pins the pooled gap at ε, where the clip acts on most batches and sets
   * every row of a batch of one that falls in a window of width λ/2 to the same value (ties, a loss of ranking).
   * Still open with K ≥ 5: λ overshoots while the groups hold a few rows each (λ_max ≈ 4–6 at K = 10), and while it
   * is large, rows within λ/2 of the midpoint are set to it; part of the spread is lost (the tests with 3, 5 and 10
   * groups at batch size 1 measure how much).
   *
   * The batch's gap g_t is max_h |P_g(δ) − M_h| on ŷ as returned, the stream's pooled gap for the pairs this batch
   * can move (for K = 2, exactly the pooled gap); 0 when no other group has been seen (ŷ = r, clipped to the box).
   * Unlike the earlier extension (distance of each row to the other groups' means), it does not mix the spread of
   * individual outputs into the gap, so λ does not grow with that spread.
   */
  private projectAgainstRunning(outputs: ArrayLike<number>, g: number, mean: number): { adjusted: Float64Array; gap: number } {
    const n = outputs.length;
    const s = this.state;
    const others: number[] = [];
    for (let h = 0; h < this.groups; h++) if (h !== g && s.groupCounts[h] > 0) others.push(s.groupSums[h] / s.groupCounts[h]);
    const closing = others.map((M) => ((s.groupCounts[g] + n) * M - s.groupSums[g]) / n);
    let adjusted: Float64Array;
    if (this.box !== undefined) {
      const [lb, ub] = this.box;
      adjusted = others.length === 0 ? Float64Array.from(outputs, (r) => Math.min(ub, Math.max(lb, r))) : boxedAgainstFixed(outputs, closing[0], s.lambda * n, this.box);
    } else {
      const shift = targetAgainstFarthest(mean, closing, s.lambda) - mean;
      adjusted = Float64Array.from(outputs, (r) => r + shift);
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
    return { ...s, groupSums: [...s.groupSums], groupCounts: [...s.groupCounts] };
  }

  /** Replaces the evolving state (validated by the caller, stream-json.ts). */
  restore(state: FairStreamState): void {
    if (state.groupSums.length !== this.groups || state.groupCounts.length !== this.groups) throw new FairkitError(`FairStream: saved state has ${state.groupSums.length} groups, expected ${this.groups}`);
    this.state = { ...state, groupSums: [...state.groupSums], groupCounts: [...state.groupCounts] };
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

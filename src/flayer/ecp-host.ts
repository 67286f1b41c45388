/**
 * The F-Layer's ECP projection for one attribute, on the host in float64 (methods.md §3 (a), "K groups").
 *
 * Projecting r onto {y : |mean_g(y) − mean_h(y)| ≤ ε for every pair of groups present} only shifts each group
 * uniformly (the constraints see group means only, and a uniform shift is the cheapest way to move a mean), so the
 * problem reduces to the group means m_g with weights n_g:
 *   min_t Σ_g n_g (t_g − m_g)²  s.t.  max t − min t ≤ ε,
 * whose solution is t_g = clip(m_g, L, L + ε) with L minimising the convex piecewise quadratic
 *   f(L) = Σ_g n_g dist(m_g, [L, L + ε])².
 * f′ is piecewise linear with breakpoints at m_g and m_g − ε; we find the interval where f′ changes sign and take
 * the stationary point of that piece, which is exact (no iteration).
 */
import { FairkitError } from '../errors.js';

/** Which side of the band a group's target sits on: clipped up to L, clipped down to L + ε, or left at its mean. */
export type EcpSide = 'low' | 'high' | 'free';

/** The active set and targets of one ECP projection: what the TensorFlow.js version replays as ops. */
export interface EcpSolution {
  /** Rows per group in the batch. */
  counts: Float64Array;
  /** Group means of the raw outputs (0 for absent groups). */
  means: Float64Array;
  /** Target means t_g (equal to the means when nothing is active). */
  targets: Float64Array;
  /** Per group: 'low' (t = L), 'high' (t = L + ε) or 'free' (t = m, also every absent group). */
  sides: EcpSide[];
  /** The band's lower end L, or null when no constraint is active. */
  lower: number | null;
}

/** Checks shared by the host and tensor versions; returns per-group counts. */
export function groupCounts(groups: Int32Array, nGroups: number, n: number, epsilon: number): Float64Array {
  if (groups.length !== n) throw new FairkitError(`the F-Layer projection got ${groups.length} group ids for ${n} outputs`);
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) throw new FairkitError(`the F-Layer slack ε must be a finite number ≥ 0, got ${epsilon}`);
  const counts = new Float64Array(nGroups);
  for (const g of groups) {
    // Negative ids mark rows in no group: they are left unchanged.
    if (g >= nGroups) throw new FairkitError(`group id ${g} is out of range for ${nGroups} groups in the F-Layer projection`);
    if (g >= 0) counts[g] += 1;
  }
  return counts;
}

/** Solves the group-mean problem from group sums: the data-dependent constants that pick the active set. */
export function solveEcpMeans(sums: Float64Array, counts: Float64Array, epsilon: number): EcpSolution {
  const k = counts.length;
  const means = new Float64Array(k);
  const present: number[] = [];
  for (let g = 0; g < k; g++) {
    if (counts[g] > 0) {
      means[g] = sums[g] / counts[g];
      present.push(g);
    }
  }
  const targets = Float64Array.from(means);
  const sides: EcpSide[] = new Array<EcpSide>(k).fill('free');
  if (present.length < 2) return { counts, means, targets, sides, lower: null };
  let lo = Infinity;
  let hi = -Infinity;
  for (const g of present) {
    lo = Math.min(lo, means[g]);
    hi = Math.max(hi, means[g]);
  }
  if (hi - lo <= epsilon) return { counts, means, targets, sides, lower: null };

  // f′(L)/2 = Σ_{m_g < L} n_g (L − m_g) − Σ_{m_g > L+ε} n_g (m_g − L − ε): continuous, non-decreasing, negative at
  // L = lo − ε... and positive at hi. The optimum lies in [lo, hi − ε]; scan the sorted breakpoints inside it.
  const slope = (L: number): number => {
    let s = 0;
    for (const g of present) {
      if (means[g] < L) s += counts[g] * (L - means[g]);
      else if (means[g] > L + epsilon) s -= counts[g] * (means[g] - L - epsilon);
    }
    return s;
  };
  const points = [lo, hi - epsilon];
  for (const g of present) points.push(means[g], means[g] - epsilon);
  const breaks = [...new Set(points.filter((p) => p >= lo && p <= hi - epsilon))].sort((a, b) => a - b);
  let left = breaks[0];
  for (let i = 1; i < breaks.length && slope(breaks[i]) < 0; i++) left = breaks[i];
  const right = breaks.find((p) => p > left) ?? left;
  // On (left, right) the active sets are fixed; read them at the midpoint and take the piece's stationary point:
  // L* = [Σ_low n_g m_g + Σ_high n_g (m_g − ε)] / Σ_{low ∪ high} n_g.
  const mid = (left + right) / 2;
  let num = 0;
  let den = 0;
  for (const g of present) {
    if (means[g] <= mid) {
      sides[g] = 'low';
      num += counts[g] * means[g];
      den += counts[g];
    } else if (means[g] >= mid + epsilon) {
      sides[g] = 'high';
      num += counts[g] * (means[g] - epsilon);
      den += counts[g];
    }
  }
  const lower = num / den;
  for (const g of present) {
    if (sides[g] === 'low') targets[g] = lower;
    else if (sides[g] === 'high') targets[g] = lower + epsilon;
  }
  return { counts, means, targets, sides, lower };
}

/** The ECP projection of float64 outputs: each group shifted by t_g − m_g; rows with a negative id unchanged. */
export function projectEcpHost(outputs: Float64Array, groups: Int32Array, nGroups: number, epsilon: number): { y: Float64Array<ArrayBuffer>; solution: EcpSolution } {
  const counts = groupCounts(groups, nGroups, outputs.length, epsilon);
  const sums = new Float64Array(nGroups);
  for (let i = 0; i < outputs.length; i++) if (groups[i] >= 0) sums[groups[i]] += outputs[i];
  const solution = solveEcpMeans(sums, counts, epsilon);
  const y = Float64Array.from(outputs);
  for (let i = 0; i < y.length; i++) {
    const g = groups[i];
    if (g >= 0) y[i] += solution.targets[g] - solution.means[g];
  }
  return { y, solution };
}

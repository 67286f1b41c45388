/**
 * The penalised projection with a box lb ≤ y ≤ ub (spec §3 (v): the synthetic study and the authors' package add
 * one), where the soft-threshold closed form no longer holds. Both boxed cases fairkit supports have one absolute
 * value in the penalty, μ·|gap(y)| with gap linear in y, so the dual has one variable z ∈ [−1, 1]:
 *
 *   y(z)_i = clip(r_i − z·α_i, lb, ub),   α = μ/2 · ∇gap,
 *
 * and the dual derivative is μ·gap(y(z)), non-increasing in z. The optimal z is 1 if gap(y(1)) ≥ 0, −1 if
 * gap(y(−1)) ≤ 0, and otherwise a root of gap(y(z)), found by bisection until the midpoint of the bracket equals
 * one of its ends (a bracket of one ulp of z, at most ~1100 halvings, in practice ~55): the tolerance on z is
 * therefore float64 resolution, and |Δy_i| ≤ α_i · ulp(z). The primal is strictly convex, so y(z*) is its unique
 * optimum.
 */

export type Box = readonly [number, number];

/** y(z) written into `out`; returns gap(y(z)) as computed by `gapOf`. */
type Evaluate = (z: number, out: Float64Array) => number;

function solveDual(evaluate: Evaluate, n: number): Float64Array {
  const out = new Float64Array(n);
  if (evaluate(1, out) >= 0) return out;
  if (evaluate(-1, out) <= 0) return out;
  let low = -1; // gap(y(low)) > 0
  let high = 1; // gap(y(high)) < 0
  for (;;) {
    const middle = low + (high - low) / 2;
    if (middle === low || middle === high) break;
    const gap = evaluate(middle, out);
    if (gap === 0) return out;
    if (gap > 0) low = middle;
    else high = middle;
  }
  evaluate(high, out);
  return out;
}

const clip = (value: number, [lb, ub]: Box) => Math.min(ub, Math.max(lb, value));

/**
 * Two groups in the batch: penalty μ·|mean_0(y) − mean_1(y)|. `side[i]` is 0 or 1 for rows of the two groups, −1
 * for rows of neither (those are only clipped to the box).
 */
export function boxedBinary(outputs: ArrayLike<number>, side: Int8Array, n0: number, n1: number, mu: number, box: Box): Float64Array {
  const n = outputs.length;
  const a0 = mu / (2 * n0);
  const a1 = -mu / (2 * n1);
  return solveDual((z, out) => {
    let sum0 = 0;
    let sum1 = 0;
    for (let i = 0; i < n; i++) {
      const s = side[i];
      const y = clip(outputs[i] - (s === 0 ? z * a0 : s === 1 ? z * a1 : 0), box);
      out[i] = y;
      if (s === 0) sum0 += y;
      else if (s === 1) sum1 += y;
    }
    return sum0 / n0 - sum1 / n1;
  }, n);
}

/** One group in the batch against a fixed target for its mean (FairStream: the anchored batch mean plus the correction back to the band): penalty μ·|mean(y) − fixedMean|. */
export function boxedAgainstFixed(outputs: ArrayLike<number>, fixedMean: number, mu: number, box: Box): Float64Array {
  const n = outputs.length;
  const alpha = mu / (2 * n);
  return solveDual((z, out) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      out[i] = clip(outputs[i] - z * alpha, box);
      sum += out[i];
    }
    return sum / n - fixedMean;
  }, n);
}

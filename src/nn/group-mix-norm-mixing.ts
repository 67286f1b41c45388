import type { Rng } from '../rng.js';

export type MultiGroupMix = 'dirichlet' | 'pair';

/**
 * Mixing weights over K groups for `mixes` mixes (1 per batch, or one per row), row-major [mixes, K]. Only the
 * eligible groups (present with enough rows) get weight:
 * - none eligible: all zero (groupMixNormalize then normalises and re-projects with the whole batch's statistics);
 * - one: weight 1 on it (every row is re-projected onto that group's statistics);
 * - two: λ ~ Beta(α, α) and 1 − λ;
 * - more: Dirichlet(α·1) over them ('dirichlet'; for two groups it is the same Beta), or a random pair of them
 *   mixed with λ ~ Beta(α, α) ('pair', closer to MixStyle's one-partner mixing).
 */
export function drawMixWeights(eligible: boolean[], alpha: number, rng: Rng, mixes: number, multiGroupMix: MultiGroupMix): Float32Array {
  const nGroups = eligible.length;
  const present = eligible.flatMap((ok, g) => (ok ? [g] : []));
  const weights = new Float32Array(mixes * nGroups);
  for (let m = 0; m < mixes; m++) {
    const row = weights.subarray(m * nGroups, (m + 1) * nGroups);
    if (present.length === 1) row[present[0]] = 1;
    else if (present.length === 2 || (present.length > 2 && multiGroupMix === 'pair')) {
      const [a, b] = present.length === 2 ? present : pickTwo(present, rng);
      const lambda = orCorner(rng.beta(alpha, alpha), rng);
      row[a] = lambda;
      row[b] = 1 - lambda;
    } else if (present.length > 2) {
      const draw = rng.dirichlet(alpha, present.length);
      if (draw.every(Number.isFinite)) present.forEach((g, i) => (row[g] = draw[i]));
      else row[present[rng.int(present.length)]] = 1;
    }
  }
  return weights;
}

/**
 * For a tiny α every gamma draw can underflow to 0, making the Beta draw 0/0; Beta(α, α) then is all but a fair coin
 * between 0 and 1, which is what replaces the NaN.
 */
function orCorner(lambda: number, rng: Rng): number {
  return Number.isNaN(lambda) ? (rng.uniform() < 0.5 ? 0 : 1) : lambda;
}

function pickTwo(items: number[], rng: Rng): [number, number] {
  const first = rng.int(items.length);
  const second = (first + 1 + rng.int(items.length - 1)) % items.length;
  return [items[first], items[second]];
}

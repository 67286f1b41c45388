import type { Rng } from '../rng.js';
export type MultiGroupMix = 'dirichlet' | 'pair';
/**
 * Mixing weights over K groups for `mixes` mixes (1 per batch, or one per row), row-major [mixes, K]. Only the
 * eligible groups (present with enough rows) get weight:
 * - none eligible: all zero (groupMixNormalize then uses the whole batch's statistics, i.e. plain BatchNorm);
 * - one: weight 1 on it (every row is re-projected onto that group's statistics);
 * - two: λ ~ Beta(α, α) and 1 − λ;
 * - more: Dirichlet(α·1) over them ('dirichlet'; for two groups it is the same Beta), or a random pair of them
 *   mixed with λ ~ Beta(α, α) ('pair', closer to MixStyle's one-partner mixing).
 */
export declare function drawMixWeights(eligible: boolean[], alpha: number, rng: Rng, mixes: number, multiGroupMix: MultiGroupMix): Float32Array;

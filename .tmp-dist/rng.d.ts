/**
 * A seeded random source shared by every part of fairkit (splits, samplers, bootstrap, synthetic data,
 * weight initialisation), so that one seed reproduces a whole run.
 */
export declare class Rng {
    private readonly generator;
    private spareNormal;
    constructor(seed: number);
    /** Uniform in [0, 1). */
    uniform(): number;
    /** Uniform integer in [0, n). */
    int(n: number): number;
    /** Standard normal (Box–Muller, caching the second value). */
    normal(): number;
    /** Gamma(shape, 1) by Marsaglia–Tsang; shape < 1 uses the boost Gamma(shape+1)·U^(1/shape). */
    gamma(shape: number): number;
    /** Beta(a, b) from two gammas. */
    beta(a: number, b: number): number;
    /** Dirichlet(alpha, …, alpha) over k components. */
    dirichlet(alpha: number, k: number): Float64Array;
    /** Fisher–Yates shuffle in place. */
    shuffle<T extends {
        length: number;
        [i: number]: unknown;
    }>(items: T): T;
    /** A permutation of 0..n-1. */
    permutation(n: number): Int32Array;
    /** A new independent generator derived from this one (for handing to a sub-task). */
    fork(): Rng;
}

/**
 * Φ⁻¹, the standard normal quantile, by Acklam's rational approximation (relative error < 1.2e-9),
 * enough to place the synthetic generator's thresholds. p outside (0, 1) gives ±Infinity / NaN as usual.
 */
export declare function normalQuantile(p: number): number;
/** The standard normal density φ. */
export declare function normalDensity(x: number): number;

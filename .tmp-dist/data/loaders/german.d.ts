import type { LoadedDataset, ProblemSpec } from '../types.js';
import type { Binning } from '../groups.js';
export declare const GERMAN_FOLDER = "german_credit";
/**
 * The common alternative sensitive attribute, age > 25: ages are whole years, so the cut is at 26 and the
 * bins are "<26" (25 and under) and ">=26" (privileged, GERMAN_AGE_PRIVILEGED).
 */
export declare const germanAgeBinning: Binning;
export declare const GERMAN_AGE_PRIVILEGED = ">=26";
export declare const germanSpec: ProblemSpec;
/** Statlog German credit with sex derived from attribute 9. See docs/datasets.md. */
export declare function loadGerman(dataDir: string): Promise<LoadedDataset>;

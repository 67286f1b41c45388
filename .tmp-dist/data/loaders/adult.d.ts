import type { LoadedDataset, ProblemSpec } from '../types.js';
export declare const ADULT_FOLDER = "adult";
export declare const adultSpec: ProblemSpec;
/** UCI Adult, both files, complete rows only: 45,222 rows. See docs/datasets.md. */
export declare function loadAdult(dataDir: string): Promise<LoadedDataset>;

import type { LoadedDataset, ProblemSpec } from '../types.js';
export declare const COMPAS_FOLDER = "compas";
/** The binary race attribute of FFB (s = 1 for Caucasian) and the GCM paper: Caucasian vs everyone else. */
export declare const COMPAS_BINARY_RACE = "race_binary";
export declare const compasSpec: ProblemSpec;
/** ProPublica's two-year COMPAS file with their standard filter: 6,172 rows. See docs/datasets.md. */
export declare function loadCompas(dataDir: string): Promise<LoadedDataset>;

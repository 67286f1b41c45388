import type { LoadedDataset, ProblemSpec } from '../types.js';
import type { Binning } from '../groups.js';
export declare const BANK_FOLDER = "bank_marketing";
/**
 * FFB's and AIF360's binarisation of the sensitive age: bins "<25" and ">=25" (binLabels' names), 25 and over
 * privileged. The loader also returns it as meta.binning, to pass on to prepareDataset / buildGroups.
 */
export declare const bankAgeBinning: Binning;
export declare const bankSpec: ProblemSpec;
/** UCI Bank marketing (bank-full), duration dropped, sensitive age. See docs/datasets.md. */
export declare function loadBank(dataDir: string): Promise<LoadedDataset>;

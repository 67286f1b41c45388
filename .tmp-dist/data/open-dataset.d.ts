import type { LoadedDataset } from './types.js';
export interface DatasetChoice {
    /** A standard data set name, 'synthetic', or a CSV path. */
    dataset: string;
    dataDir?: string;
    /** Overrides of the loader's problem spec (required for a CSV file: target and sensitive). */
    target?: string;
    positive?: string;
    sensitive?: string[];
    /** Columns that must not be model inputs (ids, leaked outcomes, other models' scores). */
    drop?: string[];
    /** Seed of the synthetic generator. */
    seed?: number;
}
/** Opens the data set a command names: built-in synthetic data, a standard data set, or a CSV file. */
export declare function openDataset(choice: DatasetChoice): Promise<LoadedDataset>;

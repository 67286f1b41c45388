import { FeatureEncoder } from './encoder.js';
import { type Binning } from './groups.js';
import type { EncodedDataset, LoadedDataset, ProblemSpec } from './types.js';
export interface PreparedSplits {
    train: EncodedDataset;
    validation: EncodedDataset;
    test: EncodedDataset;
    encoder: FeatureEncoder;
    /** The dataset's spec with `positive` and `features` resolved. */
    spec: ProblemSpec;
    positive: string;
    /** Cluster values in code order, when the spec names a cluster column. */
    clusterKeys?: string[];
    /** What was done to the data on the way (e.g. rows dropped), for logs and reports. */
    notes: string[];
}
export declare const DEFAULT_FRACTIONS: number[];
/**
 * The pipeline every command uses: drop rows missing the label, a sensitive value or the cluster; labels and
 * groups on the whole table; a split stratified by (label, group); the encoder fitted on train only.
 */
export declare function prepareDataset(dataset: LoadedDataset, options: {
    fractions?: number[];
    seed: number;
    binning?: Binning[];
    /** Custom split of the kept rows from their (label, group) strata, e.g. one fold of k (default: stratifiedSplit by fractions). */
    split?: (strata: Int32Array) => Int32Array[];
}): PreparedSplits;

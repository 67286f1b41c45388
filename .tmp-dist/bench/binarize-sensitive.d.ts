import type { LoadedDataset } from '../data/types.js';
/**
 * FFB's sensitive attributes are binary: the privileged value against all others (COMPAS race: Caucasian vs
 * not). A categorical sensitive column with more than two values and a privileged value is recoded that way,
 * the others become `not <privileged>`; any other column is left as it is.
 */
export declare function binarizeSensitive(dataset: LoadedDataset): LoadedDataset;

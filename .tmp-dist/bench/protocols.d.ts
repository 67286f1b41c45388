import type { LoadedDataset } from '../data/types.js';
import type { TrainingOptionsInput } from '../train/options.js';
import type { ProtocolName, Trial } from './trial.js';
/** How trials are run: the data preparation, the split and the training setup of a published benchmark. */
export interface Protocol {
    name: ProtocolName;
    title: string;
    /** Markdown bullet points for reports and docs. */
    description: string[];
    /** Adapts the loaded data set (which attributes are inputs, how the sensitive attribute is coded). */
    adaptDataset(dataset: LoadedDataset): LoadedDataset;
    /** Train, validation and test rows from the rows' (label, group) strata (2·group + label). */
    split(strata: Int32Array, trial: Pick<Trial, 'seed' | 'fold'>): Int32Array[];
    /** Training options for a training split of `trainRows` rows (the trial's overrides and seed come on top). */
    training(trainRows: number): TrainingOptionsInput;
}
export declare function getProtocol(name: ProtocolName): Protocol;

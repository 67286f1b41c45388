import type { LoadedDataset } from '../data/types.js';
/**
 * Takes the sensitive attributes out of the model inputs, together with every categorical input from which one
 * of them can be read off exactly (each value of the input goes with one value of the attribute): such a column is
 * a copy of the attribute, e.g. COMPAS `race` when the sensitive attribute is `race_binary` derived from it.
 */
export declare function dropSensitiveInputs(dataset: LoadedDataset): LoadedDataset;

import type { LoadedDataset } from '../types.js';
export { adultSpec, loadAdult } from './adult.js';
export { bankAgeBinning, bankSpec, loadBank } from './bank.js';
export { compasSpec, loadCompas } from './compas.js';
export { GERMAN_AGE_PRIVILEGED, germanAgeBinning, germanSpec, loadGerman } from './german.js';
export type DatasetName = 'adult' | 'compas' | 'german' | 'bank';
interface DatasetEntry {
    name: DatasetName;
    /** Sub-folder of the data folder that holds the files. */
    folder: string;
    summary: string;
    load: (dataDir: string) => Promise<LoadedDataset>;
}
/** The data sets fairkit can load, with the sub-folder each needs and a one-line summary. */
export declare const datasetList: readonly Omit<DatasetEntry, 'load'>[];
export declare function isDatasetName(name: string): name is DatasetName;
/** Load a standard data set from `dataDir` (see resolveDataDir) by name. */
export declare function loadDataset(name: string, dataDir: string): Promise<LoadedDataset>;

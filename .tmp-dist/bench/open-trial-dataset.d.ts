import type { LoadedDataset } from '../data/types.js';
import type { Trial } from './trial.js';
/** Opens each (data set, sensitive attributes) once per process: trials of a run share their data. */
export declare class DatasetCache {
    private readonly dataDir?;
    private readonly opened;
    constructor(dataDir?: string | undefined);
    open(trial: Pick<Trial, 'dataset' | 'sensitive'>): Promise<LoadedDataset>;
}

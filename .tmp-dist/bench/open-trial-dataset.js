import { openDataset } from '../data/open-dataset.js';
/** Opens each (data set, sensitive attributes) once per process: trials of a run share their data. */
export class DatasetCache {
    dataDir;
    opened = new Map();
    constructor(dataDir) {
        this.dataDir = dataDir;
    }
    open(trial) {
        const key = JSON.stringify([trial.dataset, trial.sensitive]);
        let dataset = this.opened.get(key);
        if (!dataset) {
            dataset = openDataset({ dataset: trial.dataset, dataDir: this.dataDir, sensitive: trial.sensitive });
            dataset.catch(() => this.opened.delete(key));
            this.opened.set(key, dataset);
        }
        return dataset;
    }
}
//# sourceMappingURL=open-trial-dataset.js.map
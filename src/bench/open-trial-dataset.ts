import { openDataset } from '../data/open-dataset.js';
import type { LoadedDataset } from '../data/types.js';
import type { Trial } from './trial.js';

/** Opens each (data set, sensitive attributes, cluster column) once per process: trials of a run share their data. */
export class DatasetCache {
  private readonly opened = new Map<string, Promise<LoadedDataset>>();

  constructor(private readonly dataDir?: string) {}

  open(trial: Pick<Trial, 'dataset' | 'sensitive' | 'clusters'>): Promise<LoadedDataset> {
    const key = JSON.stringify([trial.dataset, trial.sensitive, trial.clusters ?? null]);
    let dataset = this.opened.get(key);
    if (!dataset) {
      dataset = openDataset({ dataset: trial.dataset, dataDir: this.dataDir, sensitive: trial.sensitive, ...(trial.clusters ? { cluster: trial.clusters } : {}) });
      dataset.catch(() => this.opened.delete(key));
      this.opened.set(key, dataset);
    }
    return dataset;
  }
}

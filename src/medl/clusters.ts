import type { EncodedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';

/** The number of cluster ids a model needs for these training ids: the largest id + 1. */
export function clusterCount(clusters: Int32Array): number {
  let largest = -1;
  for (const id of clusters) if (id > largest) largest = id;
  return largest + 1;
}

/** The ids of the clusters that have training rows, ascending. */
export function seenClusters(clusters: Int32Array): number[] {
  return [...new Set(clusters)].sort((a, b) => a - b);
}

/** Refuses training data whose cluster ids cannot train a cluster adversary (`name`: the method). */
export function requireClusters(name: string, train: EncodedDataset): void {
  const clusters = train.clusters;
  if (!clusters) throw new FairkitError(`method '${name}' needs cluster ids`, { fix: 'Name the cluster column (--clusters COL)' });
  if (clusters.some((id) => id < 0)) throw new FairkitError(`method '${name}': the training split has rows without a cluster id`);
  if (seenClusters(clusters).length < 2) throw new FairkitError(`method '${name}' needs at least two clusters in the training split`, { fix: 'Choose a cluster column with several values' });
}

import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';

/**
 * Splits row indices into parts of the given fractions (e.g. [0.6, 0.2, 0.2]), each stratum separately:
 * its rows are shuffled and counted out by largest remainder (ties broken at random), so every part gets
 * its share of every stratum to within one row. (With many tiny strata these roundings add up, so the parts'
 * overall sizes can drift from the fractions; a part left empty is an error.) Indices in each part are sorted
 * ascending.
 */
export function stratifiedSplit(strata: Int32Array, fractions: number[], seed: number): Int32Array[] {
  checkFractions(fractions);
  const rng = new Rng(seed);
  const parts: number[][] = fractions.map(() => []);
  for (const members of membersByStratum(strata)) {
    rng.shuffle(members);
    let next = 0;
    shareCounts(members.length, fractions, rng).forEach((count, part) => {
      for (let i = 0; i < count; i++) parts[part].push(members[next++]);
    });
  }
  const empty = fractions.findIndex((fraction, part) => fraction > 0 && parts[part].length === 0);
  if (empty >= 0) {
    throw new FairkitError(`split part ${empty + 1} of [${fractions.join(', ')}] gets no rows: each (label, group) stratum is too small for it`, {
      fix: 'Use more rows, larger fractions for the small parts, or fewer groups',
    });
  }
  return parts.map((part) => Int32Array.from(part).sort());
}

/**
 * k folds for cross-validation: each stratum's shuffled rows are dealt to the folds in turn, continuing
 * from where the previous stratum stopped, so fold sizes (overall and per stratum) differ by at most one.
 */
export function stratifiedKFold(strata: Int32Array, k: number, seed: number): { train: Int32Array; test: Int32Array }[] {
  if (!Number.isInteger(k) || k < 2 || k > strata.length) {
    throw new FairkitError(`the number of folds must be a whole number from 2 to the number of rows (${strata.length}), got ${k}`);
  }
  const rng = new Rng(seed);
  const foldOf = new Int32Array(strata.length);
  let fold = 0;
  for (const members of membersByStratum(strata)) {
    for (const row of rng.shuffle(members)) {
      foldOf[row] = fold;
      fold = (fold + 1) % k;
    }
  }
  return Array.from({ length: k }, (_, f) => {
    const test: number[] = [];
    const train: number[] = [];
    foldOf.forEach((rowFold, row) => (rowFold === f ? test : train).push(row));
    return { train: Int32Array.from(train), test: Int32Array.from(test) };
  });
}

/**
 * Strata that keep each cluster's rows together, cluster first (cluster · S + stratum, S = the number of strata):
 * stratifiedKFold on them deals a cluster's rows to the folds in turn, so a cluster with at least k rows has rows
 * in every fold (and in every fold's training part), and each fold is still balanced on the original strata.
 */
export function clusterStrata(strata: Int32Array, clusters: Int32Array): Int32Array {
  if (strata.length !== clusters.length) throw new FairkitError(`strata (${strata.length}) and cluster ids (${clusters.length}) differ in length`);
  const width = strata.reduce((most, stratum) => Math.max(most, stratum + 1), 0);
  return Int32Array.from(strata, (stratum, row) => clusters[row] * width + stratum);
}

/**
 * Group k-fold: whole clusters are held out, so no cluster is in both a fold's test rows and its training part.
 * The clusters, shuffled by the seed, go one by one to the fold with the fewest rows so far, which keeps fold sizes
 * close and gives every fold at least one cluster.
 */
export function clusterKFold(clusters: Int32Array, k: number, seed: number): { train: Int32Array; test: Int32Array }[] {
  const rowsOf = new Map<number, number>();
  for (const cluster of clusters) rowsOf.set(cluster, (rowsOf.get(cluster) ?? 0) + 1);
  if (!Number.isInteger(k) || k < 2 || k > rowsOf.size) {
    throw new FairkitError(`holding out whole clusters needs from 2 to ${rowsOf.size} folds (the number of clusters), got ${k}`, {
      fix: 'Use fewer folds, or --cluster-split seen',
    });
  }
  const rng = new Rng(seed);
  const foldOfCluster = new Map<number, number>();
  const sizes = new Array<number>(k).fill(0);
  for (const cluster of rng.shuffle([...rowsOf.keys()].sort((a, b) => a - b))) {
    const fold = sizes.indexOf(Math.min(...sizes));
    foldOfCluster.set(cluster, fold);
    sizes[fold] += rowsOf.get(cluster)!;
  }
  return Array.from({ length: k }, (_, f) => {
    const test: number[] = [];
    const train: number[] = [];
    clusters.forEach((cluster, row) => (foldOfCluster.get(cluster) === f ? test : train).push(row));
    return { train: Int32Array.from(train), test: Int32Array.from(test) };
  });
}

/** Combined (label, group) stratum id: 2·group + label. */
export function strataOf(y: Uint8Array, groupIds: Int32Array): Int32Array {
  if (y.length !== groupIds.length) {
    throw new FairkitError(`labels (${y.length}) and group ids (${groupIds.length}) differ in length`);
  }
  return Int32Array.from(groupIds, (group, row) => 2 * group + y[row]);
}

function checkFractions(fractions: number[]): void {
  const total = fractions.reduce((sum, fraction) => sum + fraction, 0);
  if (fractions.length === 0 || fractions.some((f) => !(f >= 0 && f <= 1)) || Math.abs(total - 1) > 1e-9) {
    throw new FairkitError(`split fractions must be between 0 and 1 and sum to 1, got [${fractions.join(', ')}]`, {
      fix: 'For example 0.6,0.2,0.2',
    });
  }
}

/** Rows of each stratum in row order, strata in ascending id order (so a seed means the same split everywhere). */
function membersByStratum(strata: Int32Array): number[][] {
  const members = new Map<number, number[]>();
  strata.forEach((stratum, row) => {
    const list = members.get(stratum);
    if (list) list.push(row);
    else members.set(stratum, [row]);
  });
  return [...members.keys()].sort((a, b) => a - b).map((stratum) => members.get(stratum)!);
}

/** Largest-remainder apportionment of n rows to the fractions; equal remainders are ordered at random. */
function shareCounts(n: number, fractions: number[], rng: Rng): number[] {
  const quotas = fractions.map((fraction) => n * fraction);
  const counts = quotas.map(Math.floor);
  const tieBreak = fractions.map(() => rng.uniform());
  const byRemainder = fractions
    .map((_, part) => part)
    .sort((a, b) => quotas[b] - counts[b] - (quotas[a] - counts[a]) || tieBreak[a] - tieBreak[b]);
  let left = n - counts.reduce((sum, count) => sum + count, 0);
  for (const part of byRemainder) {
    if (left === 0) break;
    counts[part]++;
    left--;
  }
  return counts;
}

import { FairkitError } from '../errors.js';
import { FeatureEncoder } from './encoder.js';
import { buildGroups, labelsFrom, type Binning } from './groups.js';
import { strataOf, stratifiedSplit } from './splits.js';
import { aboveMedian, fitTargetScale, numericTargets, scaleTargets, type TargetScale } from './targets.js';
import { dropRowsWithMissing, getColumn, selectRows } from './table.js';
import type { EncodedDataset, GroupIndex, LoadedDataset, ProblemSpec, Table } from './types.js';

export interface PreparedSplits {
  train: EncodedDataset;
  validation: EncodedDataset;
  test: EncodedDataset;
  encoder: FeatureEncoder;
  /** The dataset's spec with `positive` and `features` resolved. */
  spec: ProblemSpec;
  /** The positive label (classification; '' for regression). */
  positive: string;
  /** Regression: how the targets were standardised (fitted on the training split). */
  targetScale?: TargetScale;
  /**
   * Cluster values in code order, when the spec names a cluster column: those of the training rows only, so a
   * cluster without training rows gets id -1 in validation and test (a mixed-effects model's fixed-effects fallback,
   * counted in `notes` and, once saved, by predict).
   */
  clusterKeys?: string[];
  /** What was done to the data on the way (e.g. rows dropped), for logs and reports. */
  notes: string[];
  /** What may make the results unreliable (e.g. groups with few training rows), for stderr and reports. */
  warnings: string[];
}

/** A group with fewer training rows than this is named in a warning: its metrics and corrections rest on few rows. */
export const MIN_TRAINING_GROUP_ROWS = 30;

export const DEFAULT_FRACTIONS = [0.6, 0.2, 0.2];

export interface PrepareOptions {
  fractions?: number[];
  seed: number;
  binning?: Binning[];
  /**
   * Custom split of the kept rows from their (label, group) strata, e.g. one fold of k (default: stratifiedSplit by
   * fractions). `clusters`, with a cluster column: each kept row's cluster as a code into all of its values.
   */
  split?: (strata: Int32Array, clusters?: Int32Array) => Int32Array[];
  /**
   * What the training split must hold (default 'intersection'): a row of every group (every intersection of the
   * sensitive columns), or with 'marginal' a row of every value of each sensitive column, for methods that read
   * each attribute alone; an intersection may then have no training rows (its test rows are still evaluated).
   */
  trainingGroups?: TrainingGroups;
}

export const TRAINING_GROUPS = ['intersection', 'marginal'] as const;
export type TrainingGroups = (typeof TRAINING_GROUPS)[number];

/**
 * The pipeline every command uses: drop rows missing the label, a sensitive value or the cluster; labels and
 * groups on the whole table; a split stratified by (label, group); the encoder fitted on train only. For regression
 * the label of a row is whether its target lies above the median (of all rows for the split's strata, of the
 * training rows afterwards), and the targets are standardised with the training split's mean and deviation.
 */
export function prepareDataset(dataset: LoadedDataset, options: PrepareOptions): PreparedSplits {
  const { spec } = dataset;
  const fractions = options.fractions ?? DEFAULT_FRACTIONS;
  if (fractions.length !== 3) {
    throw new FairkitError(`expected three split fractions (train, validation, test), got [${fractions.join(', ')}]`);
  }
  const required = [spec.target, ...spec.sensitive, ...(spec.cluster ? [spec.cluster] : [])];
  const table = dropRowsWithMissing(dataset.table, required);
  // What the reader did (cells read as missing) comes first, so that `fairkit train` prints it with the other notes.
  const notes: string[] = [...(dataset.table.notes ?? [])];
  const dropped = dataset.table.nRows - table.nRows;
  if (dropped > 0) notes.push(`${dataset.name}: dropped ${dropped} of ${dataset.table.nRows} rows with a missing value in ${required.join(', ')}`);

  const regression = spec.task === 'regression';
  const values = regression ? numericTargets(table, spec.target) : undefined;
  const { y, positive } = values ? { y: aboveMedian(values, values), positive: '' } : labelsFrom(table, spec.target, spec.positive || undefined);
  // A loader may say how its continuous sensitive column is binned (Bank's age), which applies only while that
  // column is sensitive (not after --sensitive chose another); an explicit option wins.
  const binning = options.binning ?? loaderBinning(dataset, spec.sensitive);
  const groups = buildGroups(table, spec.sensitive, { privileged: spec.privileged, binning });
  const strata = strataOf(y, groups.ids);
  const allClusters = spec.cluster ? clusterCodes(table, spec.cluster) : undefined;
  const [trainRows, validationRows, testRows] = options.split ? options.split(strata, allClusters?.codes) : stratifiedSplit(strata, fractions, options.seed);
  const warnings = options.trainingGroups === 'marginal' ? checkEveryValueTrains(groups, trainRows, dataset.name) : checkEveryGroupTrains(groups, trainRows, dataset.name);

  const features = (spec.features ?? defaultFeatures(table, spec)).filter(
    (name) => spec.sensitiveAsFeature !== false || !spec.sensitive.includes(name),
  );
  checkFeatures(features, spec);
  const trainTable = selectRows(table, trainRows);
  const encoder = FeatureEncoder.fit(trainTable, features);
  const clusters = allClusters ? trainingClusters(allClusters, trainRows) : undefined;
  if (clusters) notes.push(...unseenClusterNotes(clusters.codes, { validation: validationRows, test: testRows }, dataset.name));
  const trainValues = values ? Float64Array.from(trainRows, (row) => values[row]) : undefined;
  const targetScale = trainValues ? fitTargetScale(trainValues) : undefined;
  const labelOf = (rows: Int32Array) => (values ? aboveMedian(Float64Array.from(rows, (row) => values[row]), trainValues!) : Uint8Array.from(rows, (row) => y[row]));
  const encode = (rows: Int32Array, part: Table = selectRows(table, rows)): EncodedDataset => ({
    ...encoder.transform(part),
    y: labelOf(rows),
    ...(values ? { targets: scaleTargets(Float64Array.from(rows, (row) => values[row]), targetScale!), targetScale } : {}),
    groups: { ...groups, ids: Int32Array.from(rows, (row) => groups.ids[row]) },
    ...(clusters ? { clusters: Int32Array.from(rows, (row) => clusters.codes[row]) } : {}),
  });
  return {
    train: encode(trainRows, trainTable),
    validation: encode(validationRows),
    test: encode(testRows),
    encoder,
    spec: { ...spec, positive, features },
    positive,
    ...(targetScale ? { targetScale } : {}),
    ...(clusters ? { clusterKeys: clusters.keys } : {}),
    notes,
    warnings,
  };
}

function defaultFeatures(table: Table, spec: ProblemSpec): string[] {
  const excluded = new Set([spec.target, ...(spec.cluster ? [spec.cluster] : [])]);
  return table.names.filter((name) => !excluded.has(name));
}

function checkFeatures(features: string[], spec: ProblemSpec): void {
  if (features.includes(spec.target)) {
    throw new FairkitError(`the target "${spec.target}" is listed among the features`, { fix: 'Remove it from the features' });
  }
}

/**
 * An empty training group would leave group-wise methods with nothing to learn from (an error); a small one
 * (below MIN_TRAINING_GROUP_ROWS) is named in the returned warning.
 */
function checkEveryGroupTrains(groups: GroupIndex, trainRows: Int32Array, name: string): string[] {
  const counts = new Int32Array(groups.keys.length);
  for (const row of trainRows) counts[groups.ids[row]]++;
  const empty = groups.keys.filter((_, id) => counts[id] === 0);
  if (empty.length > 0) {
    throw new FairkitError(`group ${empty.map((key) => `"${key}"`).join(', ')} has no rows in the training split`, {
      where: name,
      fix: 'Merge or bin rare groups, or give training a larger fraction',
    });
  }
  return smallGroupWarnings(groups.keys.map((key, id) => ({ key, rows: counts[id] })), 'group', name);
}

/**
 * The marginal check: every value of each sensitive column has training rows (an error naming the missing
 * attribute=value otherwise); a value with few is named in the returned warning. Intersections are not checked.
 */
function checkEveryValueTrains(groups: GroupIndex, trainRows: Int32Array, name: string): string[] {
  const groupCounts = new Int32Array(groups.keys.length);
  for (const row of trainRows) groupCounts[groups.ids[row]]++;
  const valueCounts = groups.attributes.flatMap((attribute) => {
    const counts = new Map<string, number>();
    groups.values.forEach((value, id) => counts.set(value[attribute], (counts.get(value[attribute]) ?? 0) + groupCounts[id]));
    return [...counts].map(([value, rows]) => ({ key: `${attribute}=${value}`, rows }));
  });
  const empty = valueCounts.filter(({ rows }) => rows === 0).map(({ key }) => key);
  if (empty.length > 0) {
    throw new FairkitError(`sensitive value${empty.length > 1 ? 's' : ''} ${empty.join(', ')} ${empty.length > 1 ? 'have' : 'has'} no rows in the training split`, {
      where: name,
      fix: 'Merge or bin rare values, or give training a larger fraction',
    });
  }
  return smallGroupWarnings(valueCounts, 'value', name);
}

function smallGroupWarnings(counts: { key: string; rows: number }[], what: string, name: string): string[] {
  const small = counts.filter(({ rows }) => rows < MIN_TRAINING_GROUP_ROWS);
  if (small.length === 0) return [];
  const named = small.map(({ key, rows }) => `"${key}" (${rows})`).join(', ');
  return [`${name}: fewer than ${MIN_TRAINING_GROUP_ROWS} rows in the training split for ${what}${small.length > 1 ? 's' : ''} ${named}; their metrics and any group-wise correction rest on few rows`];
}

/** Cluster ids as codes into the sorted cluster values (numbers sorted numerically, strings by code unit). */
function clusterCodes(table: Table, name: string): { codes: Int32Array; keys: string[] } {
  const column = getColumn(table, name, 'cluster column');
  const values: (string | number)[] = Array.from(column.values as ArrayLike<string | number>);
  const sorted = [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const codeOf = new Map(sorted.map((value, code) => [value, code]));
  return { codes: Int32Array.from(values, (value) => codeOf.get(value)!), keys: sorted.map(String) };
}

/** Recodes cluster ids to the clusters of the training rows (sorted as before); any other cluster gets -1. */
function trainingClusters(all: { codes: Int32Array; keys: string[] }, trainRows: Int32Array): { codes: Int32Array; keys: string[] } {
  const seen = new Uint8Array(all.keys.length);
  for (const row of trainRows) seen[all.codes[row]] = 1;
  const newCode = new Int32Array(all.keys.length).fill(-1);
  const keys: string[] = [];
  all.keys.forEach((key, code) => {
    if (seen[code]) {
      newCode[code] = keys.length;
      keys.push(key);
    }
  });
  return { codes: all.codes.map((code) => newCode[code]), keys };
}

/** How many validation and test rows belong to a cluster without training rows (they fall back to fixed effects). */
function unseenClusterNotes(codes: Int32Array, splits: Record<string, Int32Array>, name: string): string[] {
  return Object.entries(splits).flatMap(([split, rows]) => {
    const unseen = rows.reduce((count, row) => count + (codes[row] < 0 ? 1 : 0), 0);
    return unseen > 0 ? [`${name}: ${unseen} of ${rows.length} ${split} rows belong to a cluster without training rows (cluster id -1: a mixed-effects model predicts them with its fixed effects)`] : [];
  });
}

/** The loader's binnings of the columns that are sensitive in this run. */
function loaderBinning(dataset: LoadedDataset, sensitive: string[]): Binning[] | undefined {
  const binning = (dataset.meta?.binning as Binning[] | undefined)?.filter((entry) => sensitive.includes(entry.column));
  return binning && binning.length > 0 ? binning : undefined;
}

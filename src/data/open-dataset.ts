import { existsSync } from 'node:fs';
import { readTable, type CsvOptions } from './csv.js';
import type { Binning } from './binning.js';
import { resolveDataDir } from './data-dir.js';
import { isDatasetName, loadDataset } from './loaders/index.js';
import { generateSynthetic } from './synthetic.js';
import { generateSyntheticBiased } from './synthetic-biased.js';
import { generateRegressionSynthetic } from './synthetic-regression.js';
import { cellText, getColumn } from './table.js';
import type { LoadedDataset, Table, Task } from './types.js';
import { FairkitError } from '../errors.js';

export interface DatasetChoice {
  /** A standard data set name, a built-in synthetic one (DEFAULT_DATA_SEEDS), or a CSV path. */
  dataset: string;
  dataDir?: string;
  /** Overrides of the loader's problem spec (required for a CSV file: target and sensitive). */
  target?: string;
  positive?: string;
  sensitive?: string[];
  /** Columns that must not be model inputs (ids, leaked outcomes, other models' scores). */
  drop?: string[];
  /** Cluster column (mixed-effects ids; not a feature). */
  cluster?: string;
  /** The task, when the command names it; otherwise the loader's (a CSV file: classification). Never inferred. */
  task?: Task;
  /**
   * Seed of the built-in synthetic data (default: DEFAULT_DATA_SEEDS, the data `fairkit bench` uses), its own and
   * not the training seed. An error for any other data set, which has no seed.
   */
  seed?: number;
  /** How to read a CSV file (encoding, more missing tokens, columns declared categorical); refused for other data sets. */
  read?: Pick<CsvOptions, 'encoding' | 'missing' | 'types'>;
  /** How to bin continuous sensitive columns into groups (replaces the loader's binning of the same column). */
  binning?: Binning[];
  /**
   * Most distinct values an unbinned sensitive column may have (default 20): more is an error, since each value
   * would be its own group (a numeric or id-like column given as sensitive).
   */
  maxGroupValues?: number;
}

/** The synthetic data's seeds when none is given: what `fairkit bench` and `fairkit train` generate. */
export const DEFAULT_DATA_SEEDS = { synthetic: 42, 'synthetic-biased': 42, 'synthetic-regression': 0 } as const;

/** The seed a built-in synthetic data set was (or will be) generated with; undefined for data read as it is. */
export function dataSeedOf(dataset: string, given: number | undefined): number | undefined {
  return Object.hasOwn(DEFAULT_DATA_SEEDS, dataset) ? (given ?? DEFAULT_DATA_SEEDS[dataset as keyof typeof DEFAULT_DATA_SEEDS]) : undefined;
}

export const DEFAULT_MAX_GROUP_VALUES = 20;

/** Opens the data set a command names: built-in synthetic data, a standard data set, or a CSV file. */
export async function openDataset(choice: DatasetChoice): Promise<LoadedDataset> {
  const loaded = await openBase(choice);
  const spec = { ...loaded.spec };
  if (choice.target && choice.target !== loaded.spec.target) {
    spec.target = choice.target;
    spec.positive = choice.positive ?? '';
    // The loader's feature list stays (it leaves out leaked outcomes and other models' scores); the new target
    // leaves it, and the old target, never in it, stays out.
    if (loaded.spec.features) spec.features = loaded.spec.features.filter((name) => name !== choice.target);
  } else if (choice.positive) spec.positive = choice.positive;
  if (choice.sensitive) {
    spec.sensitive = choice.sensitive;
    // Keep the loader's privileged values for the attributes that remain sensitive.
    spec.privileged = Object.fromEntries(Object.entries(loaded.spec.privileged ?? {}).filter(([name]) => choice.sensitive!.includes(name)));
  }
  if (choice.drop) {
    const dropped = new Set(choice.drop);
    spec.features = (spec.features ?? loaded.table.names.filter((name) => name !== spec.target)).filter((name) => !dropped.has(name));
  }
  if (choice.task) spec.task = choice.task;
  if (spec.task === 'regression' && choice.positive) {
    throw new FairkitError('--positive names a class, but the task is regression', { fix: 'Drop --positive, or train a classifier (--task classification)' });
  }
  if (choice.cluster) {
    spec.cluster = choice.cluster;
    // Cluster ids are their own input; the column is not also one-hot encoded (as prepareDataset's default features).
    if (spec.features) spec.features = spec.features.filter((name) => name !== choice.cluster);
  }
  for (const name of [spec.target, ...spec.sensitive, ...(choice.drop ?? []), ...(choice.cluster ? [choice.cluster] : [])]) {
    if (!loaded.table.columns.has(name)) {
      throw new FairkitError(`unknown column '${name}' in data set ${loaded.name}`, { fix: `Columns are: ${loaded.table.names.join(', ')}` });
    }
  }
  const binning = mergedBinning(loaded, spec.sensitive, choice.binning);
  checkGroupValues(loaded.table, spec.sensitive, binning, choice.maxGroupValues ?? DEFAULT_MAX_GROUP_VALUES, loaded.name);
  return { ...loaded, spec, ...(binning.length > 0 || loaded.meta ? { meta: { ...loaded.meta, binning } } : {}) };
}

/** The loader's binnings (e.g. Bank's age) of sensitive columns the choice does not bin itself, then the choice's. */
function mergedBinning(loaded: LoadedDataset, sensitive: string[], chosen: Binning[] = []): Binning[] {
  const seen = new Set<string>();
  for (const binning of chosen) {
    if (!sensitive.includes(binning.column)) {
      throw new FairkitError(`--bin names "${binning.column}", which is not a sensitive column`, { where: loaded.name, fix: `Sensitive columns: ${sensitive.join(', ')}` });
    }
    if (seen.has(binning.column)) throw new FairkitError(`--bin names "${binning.column}" twice`, { fix: 'Give one binning per column' });
    seen.add(binning.column);
  }
  const fromLoader = ((loaded.meta?.binning as Binning[] | undefined) ?? []).filter((binning) => sensitive.includes(binning.column) && !seen.has(binning.column));
  return [...fromLoader, ...chosen];
}

/** An unbinned sensitive column with more than `max` distinct values would make each value a group of its own. */
function checkGroupValues(table: Table, sensitive: string[], binning: Binning[], max: number, name: string): void {
  for (const column of sensitive) {
    if (binning.some((entry) => entry.column === column)) continue;
    const values = getColumn(table, column, 'sensitive column');
    const distinct = new Set<string>();
    for (let row = 0; row < table.nRows && distinct.size <= max; row++) {
      const text = cellText(values, row);
      if (text !== null) distinct.add(text);
    }
    if (distinct.size > max) {
      const fix = values.kind === 'numeric'
        ? `Bin it into a few groups: --bin ${column}=quantiles:4 (equal-count bins) or --bin ${column}=CUT,CUT (cut points)`
        : 'Choose a sensitive column with few values, or merge its values into a few groups in the data first';
      throw new FairkitError(`sensitive column "${column}" has more than ${max} distinct values, so each value would be a group of its own`, { where: name, fix });
    }
  }
}

async function openBase(choice: DatasetChoice): Promise<LoadedDataset> {
  const generatedOrLoaded = Object.hasOwn(DEFAULT_DATA_SEEDS, choice.dataset) || isDatasetName(choice.dataset);
  if (generatedOrLoaded && Object.keys(choice.read ?? {}).length > 0) {
    // A loader reads its files its own way; ignoring the options would leave the user believing they applied.
    throw new FairkitError(`--encoding, --missing and --categorical apply to a CSV file, not to data set '${choice.dataset}'`);
  }
  if (choice.dataset === 'synthetic') return generateSynthetic({ seed: choice.seed ?? DEFAULT_DATA_SEEDS.synthetic });
  if (choice.dataset === 'synthetic-biased') return generateSyntheticBiased({ seed: choice.seed ?? DEFAULT_DATA_SEEDS['synthetic-biased'] });
  if (choice.dataset === 'synthetic-regression') return generateRegressionSynthetic({ seed: choice.seed ?? DEFAULT_DATA_SEEDS['synthetic-regression'] });
  if (choice.seed !== undefined) {
    throw new FairkitError(`--data-seed seeds the built-in synthetic data; data set '${choice.dataset}' is read as it is`, { fix: 'Drop --data-seed (--seed seeds the split and the training)' });
  }
  if (isDatasetName(choice.dataset)) return loadDataset(choice.dataset, resolveDataDir(choice.dataDir));
  if (/\.csv(\.gz)?$/i.test(choice.dataset) || existsSync(choice.dataset)) {
    if (!choice.target || !choice.sensitive) {
      throw new FairkitError(`a CSV data set needs --target COL and --sensitive COL[,COL]`, { where: choice.dataset });
    }
    const table = await readTable(choice.dataset, choice.read);
    return {
      name: choice.dataset,
      table,
      spec: { target: choice.target, positive: choice.positive ?? '', sensitive: choice.sensitive },
      description: `CSV file ${choice.dataset}`,
    };
  }
  throw new FairkitError(`unknown data set '${choice.dataset}'`, { fix: 'Use a standard data set (adult, compas, german, bank, communities, student, student-por, oulad), synthetic, synthetic-biased, synthetic-regression, or a path to a .csv file' });
}

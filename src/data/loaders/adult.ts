import { dropRowsWithMissing, readTable, type CsvOptions } from '../csv.js';
import { datasetFile } from '../data-dir.js';
import type { LoadedDataset, ProblemSpec, Table } from '../types.js';
import { concatTables, expectValues, keepColumns } from './table-ops.js';

export const ADULT_FOLDER = 'adult';

/** Column names from adult.names (the files have no header). */
const ADULT_COLUMNS = [
  'age', 'workclass', 'fnlwgt', 'education', 'education-num', 'marital-status', 'occupation',
  'relationship', 'race', 'sex', 'capital-gain', 'capital-loss', 'hours-per-week', 'native-country', 'income',
];
const NUMERIC = new Set(['age', 'fnlwgt', 'education-num', 'capital-gain', 'capital-loss', 'hours-per-week']);

/**
 * A grouping column for Fair MEDL's age attribute (methods.md §2 names "Age brackets" without their bounds): age
 * in years banded at 25, 45 and 65. Not an input (age itself is), so runs that do not name it are unchanged.
 */
export const AGE_GROUP = 'age_group';
const AGE_BANDS: { below: number; label: string }[] = [
  { below: 25, label: '<25' },
  { below: 45, label: '25-44' },
  { below: 65, label: '45-64' },
  { below: Infinity, label: '65+' },
];

export const adultSpec: ProblemSpec = {
  target: 'income',
  positive: '>50K',
  sensitive: ['sex'],
  privileged: { sex: 'Male', race: 'White' },
  // Everything but the target and fnlwgt (a census sampling weight, not a property of the person).
  features: ADULT_COLUMNS.filter((name) => name !== 'income' && name !== 'fnlwgt'),
  sensitiveAsFeature: true,
};

const adultDescription =
  'UCI Adult (1994 US census extract): adult.data (32,561 rows) followed by adult.test (16,281 rows; its first ' +
  'line (a note, not a record) skipped and the trailing "." of its labels stripped). Rows with "?" in any column ' +
  '(workclass, occupation, native-country) are dropped, leaving 45,222 rows, of which the first 30,162 come ' +
  'from adult.data (meta.uciTrainRows). Target income, positive ">50K" (24.78%). Sensitive attribute sex ' +
  '(privileged Male); race (privileged White) is the usual alternative. fnlwgt is dropped; all other columns, ' +
  'sex and race included, are features. age_group (<25, 25-44, 45-64, 65+, from age) is added for grouping only ' +
  '(--sensitive age_group), not as a feature.';

const csvOptions: CsvOptions = {
  header: false,
  names: ADULT_COLUMNS,
  delimiter: ',',
  trim: true,
  missing: ['?', ''],
  skipEmptyLines: true,
  types: Object.fromEntries(ADULT_COLUMNS.map((name) => [name, NUMERIC.has(name) ? 'numeric' : 'categorical'])),
  transform: (value, column) => (column === 'income' && value.endsWith('.') ? value.slice(0, -1) : value),
};

async function readAdultFile(path: string, skipLines: number): Promise<Table> {
  const table = await readTable(path, { ...csvOptions, skipLines });
  expectValues(table, 'income', ['<=50K', '>50K'], path);
  return dropRowsWithMissing(table);
}

/** UCI Adult, both files, complete rows only: 45,222 rows. See docs/datasets.md. */
export async function loadAdult(dataDir: string): Promise<LoadedDataset> {
  const trainPath = datasetFile(dataDir, ADULT_FOLDER, 'adult.data');
  const testPath = datasetFile(dataDir, ADULT_FOLDER, 'adult.test');
  const train = await readAdultFile(trainPath, 0);
  const test = await readAdultFile(testPath, 1);
  const both = concatTables(train, test, `${trainPath} + ${testPath}`);
  const table = withAgeGroup(keepColumns(both, ADULT_COLUMNS.filter((name) => name !== 'fnlwgt'), trainPath));
  return {
    name: 'adult',
    table,
    spec: adultSpec,
    description: adultDescription,
    meta: { uciTrainRows: train.nRows, files: [trainPath, testPath] },
  };
}

export function ageGroupOf(age: number): string {
  return AGE_BANDS.find(({ below }) => age < below)!.label;
}

function withAgeGroup(table: Table): Table {
  const ages = table.columns.get('age')!.values as Float64Array;
  const columns = new Map(table.columns);
  columns.set(AGE_GROUP, { kind: 'categorical', values: Array.from(ages, ageGroupOf) });
  return { ...table, names: [...table.names, AGE_GROUP], columns };
}

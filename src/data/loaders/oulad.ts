import { dropRowsWithMissing, readTable } from '../csv.js';
import { datasetFile } from '../data-dir.js';
import type { LoadedDataset, ProblemSpec } from '../types.js';
import { expectValues, keepColumns } from './table-ops.js';

export const OULAD_FOLDER = 'oulad';
const OULAD_FILE = 'oulad_clean.csv.gz';

const TARGET = 'final_result';
const CLUSTER = 'region';
/** The file's columns in order, without id_student (an identifier, dropped). */
const COLUMNS = ['code_module', 'code_presentation', 'gender', CLUSTER, 'highest_education', 'imd_band', 'age_band',
  'num_of_prev_attempts', 'studied_credits', 'disability', TARGET];
const NUMERIC = new Set(['num_of_prev_attempts', 'studied_credits']);

export const ouladSpec: ProblemSpec = {
  target: TARGET,
  positive: 'Pass',
  // disability, age_band and imd_band are the survey's other sensitive attributes (--sensitive).
  sensitive: ['gender'],
  // No privileged values: the survey names none and there is no settled convention for these attributes.
  // Every column but the target and the cluster (region, not an input).
  features: COLUMNS.filter((name) => name !== TARGET && name !== CLUSTER),
  sensitiveAsFeature: true,
  cluster: CLUSTER,
};

const ouladDescription =
  'OULAD, the Open University Learning Analytics Dataset (Kuzilek et al. 2017), student information as cleaned by ' +
  'Le Quy et al. (oulad_clean.csv.gz, 21,562 rows with a Pass or Fail result; the original has 32,593 rows and ' +
  'also Withdrawn and Distinction). Target final_result, positive "Pass" (67.97%). Sensitive attribute gender ' +
  '(M/F), no privileged value; disability (Y/N), age_band (0-35, 35-55, 55<=) and imd_band (deprivation decile) ' +
  'are the alternatives (--sensitive); all four are inputs. Cluster region (13 UK regions), not an input. ' +
  'id_student is dropped; code_module, code_presentation, highest_education, num_of_prev_attempts and ' +
  'studied_credits (the last two numeric) are inputs.';

/** OULAD as cleaned by Le Quy et al.: 21,562 rows, final_result = Pass, sensitive gender, cluster region. */
export async function loadOulad(dataDir: string): Promise<LoadedDataset> {
  const path = datasetFile(dataDir, OULAD_FOLDER, OULAD_FILE);
  const raw = await readTable(path, {
    header: true,
    delimiter: ',',
    types: Object.fromEntries(COLUMNS.map((name) => [name, NUMERIC.has(name) ? 'numeric' : 'categorical'])),
  });
  expectValues(raw, TARGET, ['Pass', 'Fail'], path);
  expectValues(raw, 'gender', ['F', 'M'], path);
  expectValues(raw, 'disability', ['N', 'Y'], path);
  // The cleaned file has no missing value; a row with one is dropped (meta.droppedRows).
  const table = dropRowsWithMissing(keepColumns(raw, COLUMNS, path));
  return {
    name: 'oulad',
    table,
    spec: ouladSpec,
    description: ouladDescription,
    meta: { files: [path], droppedRows: raw.nRows - table.nRows },
  };
}

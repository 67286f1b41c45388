import { FairkitError } from '../../errors.js';
import { readTable, selectRows } from '../csv.js';
import { datasetFile } from '../data-dir.js';
import { isMissing } from '../table.js';
import type { Column, LoadedDataset, ProblemSpec, Table } from '../types.js';
import { keepColumns, requireColumn, requireNumeric } from './table-ops.js';

export const COMMUNITIES_FOLDER = 'communities_crime';
const COMMUNITIES_FILE = 'communities_crime.csv';

const TARGET = 'ViolentCrimesPerPop';
const SENSITIVE = 'Black';
const CLUSTER = 'state';

/**
 * `Black` = "1" when racepctblack (the UCI share of Black residents, normalised to [0, 1]) is at least 0.06,
 * its median over the 1,994 communities. This reproduces exactly the `Black` column that Le Quy et al. added
 * to the file (1,038 "1" / 956 "0"); the loader recomputes it so that the definition is explicit, and checks
 * the file's column against it when present.
 */
export const COMMUNITIES_BLACK_THRESHOLD = 0.06;

/** Identifiers and the UCI cross-validation fold: not predictive (UCI marks them so). county and community are mostly '?'. */
const NOT_PREDICTIVE = ['communityname', 'county', 'community', 'fold'];
/** A binary copy of the target (ViolentCrimesPerPop >= 0.7) added by Le Quy et al.: it would leak the target. */
const DERIVED_FROM_TARGET = ['class'];
/** A column with more than this share of '?' is dropped (the UCI original's 22 police/LEMAS columns are mostly '?'). */
const MOSTLY_MISSING_SHARE = 0.5;

export const communitiesSpec: ProblemSpec = {
  target: TARGET,
  task: 'regression',
  // Regression: no positive value.
  positive: '',
  sensitive: [SENSITIVE],
  // Communities with a below-median Black share, the usual convention (Black = 1 is the protected group).
  privileged: { [SENSITIVE]: '0' },
  // features: set by the loader (every remaining numeric column plus Black; state is the cluster, not an input).
  sensitiveAsFeature: true,
  cluster: CLUSTER,
};

const description =
  'UCI Communities and Crime (Redmond 2009; 1990 US Census, 1995 FBI UCR, 1990 LEMAS), the cleaned copy of ' +
  'Le Quy et al. (communities_crime.csv, 1,994 communities; attributes normalised to [0, 1] by UCI). Regression: ' +
  'target ViolentCrimesPerPop (violent crimes per 100k population, normalised to [0, 1]). Sensitive attribute ' +
  'Black = "1" when racepctblack >= 0.06 (its median; 1,038 communities) else "0" (privileged), also an input; ' +
  'racepctblack and the other race shares stay inputs too, so Black is recoverable from them. Cluster state ' +
  '(FIPS code, 46 states), not an input. Dropped: communityname, county, community and fold (identifiers and ' +
  'UCI\'s folds), class (a binary copy of the target), and any column more than half "?" (in the UCI original, ' +
  'the 22 police/LEMAS columns; the cleaned file already lacks them and OtherPerCap); then rows with a "?" left. ' +
  'All 99 remaining attributes are numeric inputs.';

/** Communities and Crime for regression: 1,994 rows, target ViolentCrimesPerPop, sensitive Black, cluster state. */
export async function loadCommunities(dataDir: string): Promise<LoadedDataset> {
  const path = datasetFile(dataDir, COMMUNITIES_FOLDER, COMMUNITIES_FILE);
  // '?' is UCI's missing marker (in readTable's default missing list); state is a FIPS code, not a quantity.
  const raw = await readTable(path, {
    header: true,
    delimiter: ',',
    types: { [CLUSTER]: 'categorical', [SENSITIVE]: 'categorical', [TARGET]: 'numeric', racepctblack: 'numeric' },
  });
  requireColumn(raw, CLUSTER, path);
  requireNumeric(raw, TARGET, path);

  const skip = new Set([...NOT_PREDICTIVE, ...DERIVED_FROM_TARGET, SENSITIVE, CLUSTER, TARGET]);
  const mostlyMissing: string[] = [];
  const inputs: string[] = [];
  for (const name of raw.names) {
    if (skip.has(name)) continue;
    const column = raw.columns.get(name)!;
    if (missingShare(column, raw.nRows) > MOSTLY_MISSING_SHARE) {
      mostlyMissing.push(name);
      continue;
    }
    if (column.kind !== 'numeric') {
      throw new FairkitError(`column "${name}" should be numeric (Communities and Crime attributes are in [0, 1])`, {
        where: path,
        fix: 'Is this the original communities_crime.csv?',
      });
    }
    inputs.push(name);
  }
  if (!inputs.includes('racepctblack')) {
    throw new FairkitError('expected a column "racepctblack" (the share of Black residents)', { where: path });
  }

  // Rows with a '?' left in a kept column (or no target) are dropped; the cleaned file has none.
  const kept = keptRows(raw, [CLUSTER, ...inputs, TARGET]);
  const complete = selectRows(keepColumns(raw, [CLUSTER, ...inputs, TARGET], path), kept);
  const black = deriveBlack(complete, raw, kept, path);
  const table: Table = {
    names: [CLUSTER, ...inputs, SENSITIVE, TARGET],
    columns: new Map<string, Column>([
      ...[CLUSTER, ...inputs].map((name): [string, Column] => [name, complete.columns.get(name)!]),
      [SENSITIVE, { kind: 'categorical', values: black }],
      [TARGET, complete.columns.get(TARGET)!],
    ]),
    nRows: complete.nRows,
  };
  return {
    name: 'communities',
    table,
    spec: { ...communitiesSpec, features: [...inputs, SENSITIVE] },
    description,
    meta: {
      files: [path],
      droppedColumns: { notPredictive: NOT_PREDICTIVE.filter((n) => raw.columns.has(n)), derivedFromTarget: DERIVED_FROM_TARGET.filter((n) => raw.columns.has(n)), mostlyMissing },
      droppedRows: raw.nRows - complete.nRows,
      blackThreshold: COMMUNITIES_BLACK_THRESHOLD,
    },
  };
}

function missingShare(column: Column, nRows: number): number {
  let missing = 0;
  for (let row = 0; row < nRows; row++) if (isMissing(column, row)) missing++;
  return nRows === 0 ? 0 : missing / nRows;
}

/** Indices of the raw rows with no missing value in `names` (kept by index to check the file's Black row by row). */
function keptRows(raw: Table, names: string[]): number[] {
  const columns = names.map((name) => raw.columns.get(name)!);
  const kept: number[] = [];
  for (let row = 0; row < raw.nRows; row++) if (!columns.some((column) => isMissing(column, row))) kept.push(row);
  return kept;
}

/** Black from racepctblack; the file's own Black column, when present, must agree on every kept row. */
function deriveBlack(complete: Table, raw: Table, kept: number[], path: string): string[] {
  const share = complete.columns.get('racepctblack')!.values as Float64Array;
  const black = Array.from(share, (value) => (value >= COMMUNITIES_BLACK_THRESHOLD ? '1' : '0'));
  const given = raw.columns.get(SENSITIVE);
  if (given) {
    for (let i = 0; i < kept.length; i++) {
      const value = given.kind === 'categorical' ? given.values[kept[i]] : String(given.values[kept[i]]);
      if (value !== black[i]) {
        throw new FairkitError(
          `the file's Black column says "${value}" where racepctblack = ${share[i]} gives "${black[i]}" (data row ${kept[i] + 1})`,
          { where: path, fix: `fairkit defines Black as racepctblack >= ${COMMUNITIES_BLACK_THRESHOLD}. Is this the original file?` },
        );
      }
    }
  }
  return black;
}

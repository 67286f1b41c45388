import { FairkitError } from '../../errors.js';
import { dropRowsWithMissing, readTable } from '../csv.js';
import { datasetFile } from '../data-dir.js';
import type { LoadedDataset, ProblemSpec } from '../types.js';
import { expectValues, keepColumns, requireNumeric } from './table-ops.js';

export const STUDENT_FOLDER = 'student_performance';
const FILES = { math: 'student_mat_new.csv', portuguese: 'student_por_new.csv' } as const;
export type StudentSubject = keyof typeof FILES;

/**
 * The target is G2, the second-period grade (0–20). The UCI target G3 (final grade) is not in these files:
 * Le Quy et al. replaced it by the binary `class` (High = G3 >= 10). G2 is the closest numeric grade left.
 */
const TARGET = 'G2';
/** Derived from the final grade G3, which G2 predicts closely: always dropped, it would leak the target. */
const LEAKS = ['class'];
const CLUSTER = 'school';

/** UCI's numeric attributes (the ordinal 1–5 / 0–4 scales are kept as numbers, as Cortez & Silva do). */
const NUMERIC = ['age', 'Medu', 'Fedu', 'traveltime', 'studytime', 'failures', 'famrel', 'freetime', 'goout', 'Dalc',
  'Walc', 'health', 'absences', 'G1', 'G2'];
const CATEGORICAL = ['sex', 'address', 'famsize', 'Pstatus', 'Mjob', 'Fjob', 'reason', 'guardian', 'schoolsup',
  'famsup', 'paid', 'activities', 'nursery', 'higher', 'internet', 'romantic'];

export interface StudentOptions {
  /** Which course: 'math' (395 students, default) or 'portuguese' (649). */
  subject?: StudentSubject;
  /** Keep the first-period grade G1 as an input (default false: common practice drops earlier grades for a harder task). */
  keepG1?: boolean;
}

/** The problem spec; `features` depends on keepG1 (see studentFeatures). */
export function studentSpec(options: StudentOptions = {}): ProblemSpec {
  return {
    target: TARGET,
    task: 'regression',
    // Regression: no positive value.
    positive: '',
    sensitive: ['sex'],
    // No privileged group: there is no settled convention for grades (girls score higher in Portuguese).
    features: studentFeatures(options.keepG1 ?? false),
    sensitiveAsFeature: true,
    // Only two schools (GP, MS): a weak cluster.
    cluster: CLUSTER,
  };
}

function studentFeatures(keepG1: boolean): string[] {
  const numeric = NUMERIC.filter((name) => name !== TARGET && (keepG1 || name !== 'G1'));
  return [...CATEGORICAL, ...numeric];
}

function describe(subject: StudentSubject, keepG1: boolean): string {
  return (
    `UCI Student Performance (Cortez & Silva 2008), ${subject === 'math' ? 'Mathematics' : 'Portuguese'} course ` +
    `(${FILES[subject]}, the cleaned copy of Le Quy et al.; ${subject === 'math' ? '395' : '649'} students, no filter). ` +
    'Regression: target G2, the second-period grade 0-20, because these files replace the final grade G3 by the ' +
    'binary class (High = G3 >= 10), which is dropped as it leaks the target. ' +
    (keepG1 ? 'G1 (first-period grade) is kept as an input. ' : 'G1 (first-period grade) is dropped for a harder task. ') +
    'Sensitive sex (F/M), also an input, no privileged value. Cluster school (GP/MS), not an input. Inputs: ' +
    'the 16 categorical attributes as strings (sex, address, famsize, Pstatus, Mjob, Fjob, reason, guardian and ' +
    'eight yes/no) and age, Medu, Fedu, traveltime, studytime, failures, famrel, freetime, goout, Dalc, Walc, ' +
    'health, absences as numbers (the ordinal scales kept numeric, as in the UCI study).'
  );
}

/** Student Performance for regression (target G2, sensitive sex, cluster school); math by default. */
export async function loadStudent(dataDir: string, options: StudentOptions = {}): Promise<LoadedDataset> {
  const subject = options.subject ?? 'math';
  const keepG1 = options.keepG1 ?? false;
  if (!(subject in FILES)) {
    throw new FairkitError(`unknown Student Performance subject "${String(subject)}"`, {
      where: 'loadStudent',
      fix: 'Use "math" or "portuguese"',
    });
  }
  if (typeof keepG1 !== 'boolean') {
    throw new FairkitError(`option keepG1 must be true or false, got ${JSON.stringify(keepG1)}`, { where: 'loadStudent' });
  }
  const path = datasetFile(dataDir, STUDENT_FOLDER, FILES[subject]);
  const raw = await readTable(path, {
    header: true,
    delimiter: ',',
    types: Object.fromEntries([
      ...NUMERIC.map((name) => [name, 'numeric'] as const),
      ...[...CATEGORICAL, CLUSTER, ...LEAKS].map((name) => [name, 'categorical'] as const),
    ]),
  });
  expectValues(raw, 'sex', ['F', 'M'], path);
  expectValues(raw, CLUSTER, ['GP', 'MS'], path);
  // A grade outside 0-20 means another file.
  const grades = requireNumeric(raw, TARGET, path);
  const bad = grades.findIndex((g) => !Number.isNaN(g) && !(g >= 0 && g <= 20));
  if (bad >= 0) {
    throw new FairkitError(`G2 should be a grade from 0 to 20, got ${grades[bad]} (data row ${bad + 1})`, { where: path });
  }
  const spec = studentSpec({ keepG1 });
  // Every column is kept (G1 too when it is not an input, for auditing), except the leaking class. The files
  // have no missing values; a row with one would be dropped (counted in meta.droppedRows).
  const table = dropRowsWithMissing(keepColumns(raw, [CLUSTER, ...CATEGORICAL, ...NUMERIC], path));
  const name = subject === 'math' ? 'student' : 'student-por';
  return {
    name,
    table,
    spec,
    description: describe(subject, keepG1),
    meta: { files: [path], subject, keepG1, droppedRows: raw.nRows - table.nRows },
  };
}

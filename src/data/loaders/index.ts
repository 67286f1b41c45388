import { FairkitError } from '../../errors.js';
import type { LoadedDataset } from '../types.js';
import { loadAdult } from './adult.js';
import { loadBank } from './bank.js';
import { loadCommunities } from './communities.js';
import { loadCompas } from './compas.js';
import { loadGerman } from './german.js';
import { loadOulad } from './oulad.js';
import { loadStudent } from './student.js';

export { adultSpec, loadAdult } from './adult.js';
export { bankAgeBinning, bankSpec, loadBank } from './bank.js';
export { compasSpec, loadCompas } from './compas.js';
export { GERMAN_AGE_PRIVILEGED, germanAgeBinning, germanSpec, loadGerman } from './german.js';
export { COMMUNITIES_BLACK_THRESHOLD, communitiesSpec, loadCommunities } from './communities.js';
export { loadOulad, ouladSpec } from './oulad.js';
export { loadStudent, studentSpec, type StudentOptions, type StudentSubject } from './student.js';

export type DatasetName = 'adult' | 'compas' | 'german' | 'bank' | 'communities' | 'student' | 'student-por' | 'oulad';

interface DatasetEntry {
  name: DatasetName;
  /** Sub-folder of the data folder that holds the files. */
  folder: string;
  summary: string;
  /** What the target is: a class ('classification') or a number ('regression'). */
  task: 'classification' | 'regression';
  load: (dataDir: string) => Promise<LoadedDataset>;
}

const DATASETS: DatasetEntry[] = [
  {
    name: 'adult',
    folder: 'adult',
    summary: 'UCI Adult census income: 45,222 complete rows, income >50K, sensitive sex (privileged Male)',
    task: 'classification',
    load: loadAdult,
  },
  {
    name: 'compas',
    folder: 'compas',
    summary: 'ProPublica COMPAS: 6,172 rows, two-year recidivism (1 = re-offended), sensitive race_binary (Caucasian, privileged, vs the rest)',
    task: 'classification',
    load: loadCompas,
  },
  {
    name: 'german',
    folder: 'german_credit',
    summary: 'Statlog German credit: 1,000 rows, good credit (class 1), sensitive sex from attribute 9 (privileged Male)',
    task: 'classification',
    load: loadGerman,
  },
  {
    name: 'bank',
    folder: 'bank_marketing',
    summary: 'UCI Bank marketing (bank-full): 45,211 rows, term deposit yes, duration dropped, sensitive age (>=25 privileged)',
    task: 'classification',
    load: loadBank,
  },
  {
    name: 'communities',
    folder: 'communities_crime',
    summary: 'UCI Communities and Crime: 1,994 communities, regression on ViolentCrimesPerPop, sensitive Black (racepctblack >= 0.06, its median; 0 privileged), cluster state',
    task: 'regression',
    load: loadCommunities,
  },
  {
    name: 'student',
    folder: 'student_performance',
    summary: 'UCI Student Performance, Mathematics: 395 students, regression on the grade G2 (G3 is not in the files; G1 not an input), sensitive sex, cluster school',
    task: 'regression',
    load: (dataDir) => loadStudent(dataDir, { subject: 'math' }),
  },
  {
    name: 'student-por',
    folder: 'student_performance',
    summary: 'UCI Student Performance, Portuguese: 649 students, regression on the grade G2 (G3 is not in the files; G1 not an input), sensitive sex, cluster school',
    task: 'regression',
    load: (dataDir) => loadStudent(dataDir, { subject: 'portuguese' }),
  },
  {
    name: 'oulad',
    folder: 'oulad',
    summary: 'OULAD student information (cleaned by Le Quy et al.): 21,562 rows, final_result Pass, sensitive gender (no privileged value), cluster region',
    task: 'classification',
    load: loadOulad,
  },
];

/** The data sets fairkit can load, with the sub-folder each needs and a one-line summary. */
export const datasetList: readonly Omit<DatasetEntry, 'load'>[] = DATASETS.map(({ name, folder, summary, task }) => ({
  name,
  folder,
  summary,
  task,
}));

export function isDatasetName(name: string): name is DatasetName {
  return DATASETS.some((entry) => entry.name === name);
}

/** Load a standard data set from `dataDir` (see resolveDataDir) by name. */
export async function loadDataset(name: string, dataDir: string): Promise<LoadedDataset> {
  const entry = DATASETS.find((candidate) => candidate.name === name);
  if (!entry) {
    throw new FairkitError(`unknown data set "${name}"`, {
      fix: `Known data sets: ${DATASETS.map((d) => d.name).join(', ')}`,
    });
  }
  return entry.load(dataDir);
}

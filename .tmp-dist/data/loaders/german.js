import { FairkitError } from '../../errors.js';
import { readTable } from '../csv.js';
import { datasetFile } from '../data-dir.js';
import { expectValues, replaceColumn, requireCategorical } from './table-ops.js';
export const GERMAN_FOLDER = 'german_credit';
const GERMAN_FILE = 'german.data';
/** Attributes A1..A20 of german.doc, in file order, then the class. Values stay coded (A11, A43, …). */
const GERMAN_COLUMNS = [
    'checking_status', 'duration_months', 'credit_history', 'purpose', 'credit_amount', 'savings',
    'employment_since', 'installment_rate', 'personal_status_sex', 'other_debtors', 'residence_since', 'property',
    'age', 'other_installment_plans', 'housing', 'existing_credits', 'job', 'people_liable', 'telephone',
    'foreign_worker', 'class',
];
const NUMERIC = new Set([
    'duration_months', 'credit_amount', 'installment_rate', 'residence_since', 'age', 'existing_credits',
    'people_liable',
]);
/** Attribute 9 ("personal status and sex") split into its two parts, per german.doc. */
const PERSONAL_STATUS = {
    A91: { sex: 'Male', maritalStatus: 'divorced/separated' },
    A92: { sex: 'Female', maritalStatus: 'divorced/separated/married' },
    A93: { sex: 'Male', maritalStatus: 'single' },
    A94: { sex: 'Male', maritalStatus: 'married/widowed' },
    A95: { sex: 'Female', maritalStatus: 'single' },
};
/**
 * The common alternative sensitive attribute, age > 25: ages are whole years, so the cut is at 26 and the
 * bins are "<26" (25 and under) and ">=26" (privileged, GERMAN_AGE_PRIVILEGED).
 */
export const germanAgeBinning = { column: 'age', cuts: [26] };
export const GERMAN_AGE_PRIVILEGED = '>=26';
const FEATURES = GERMAN_COLUMNS.flatMap((name) => name === 'class' ? [] : name === 'personal_status_sex' ? ['sex', 'marital_status'] : [name]);
export const germanSpec = {
    target: 'class',
    positive: '1',
    sensitive: ['sex'],
    privileged: { sex: 'Male' },
    features: FEATURES,
    sensitiveAsFeature: true,
};
const germanDescription = 'Statlog German credit (german.data, 1,000 rows, space-separated, coded values as in german.doc). Target ' +
    'class, positive "1" = good credit (70%; "2" = bad). Attribute 9 is split into sex (A91, A93, A94 Male; A92, ' +
    'A95 Female; 690 / 310) and marital_status; sensitive attribute sex, privileged Male. age stays numeric; the ' +
    'usual alternative sensitive attribute is age > 25 (germanAgeBinning: bins "<26" / ">=26", privileged ">=26"). ' +
    'Features: all 20 attributes with attribute 9 replaced by sex and marital_status (marital_status ' +
    '"divorced/separated/married" occurs only for women, so it reveals sex).';
/** Statlog German credit with sex derived from attribute 9. See docs/datasets.md. */
export async function loadGerman(dataDir) {
    const path = datasetFile(dataDir, GERMAN_FOLDER, GERMAN_FILE);
    const raw = await readTable(path, {
        header: false,
        names: GERMAN_COLUMNS,
        delimiter: ' ',
        quote: false,
        skipEmptyLines: true,
        types: Object.fromEntries(GERMAN_COLUMNS.map((name) => [name, NUMERIC.has(name) ? 'numeric' : 'categorical'])),
    });
    expectValues(raw, 'class', ['1', '2'], path);
    const codes = requireCategorical(raw, 'personal_status_sex', path);
    const decoded = codes.map((code, row) => {
        const known = code === null ? undefined : PERSONAL_STATUS[code];
        if (!known) {
            throw new FairkitError(`personal status code "${code}" (data row ${row + 1}) is not one of A91..A95`, {
                where: path,
            });
        }
        return known;
    });
    const table = replaceColumn(raw, 'personal_status_sex', [
        ['sex', { kind: 'categorical', values: decoded.map((d) => d.sex) }],
        ['marital_status', { kind: 'categorical', values: decoded.map((d) => d.maritalStatus) }],
    ]);
    return { name: 'german', table, spec: germanSpec, description: germanDescription, meta: { files: [path] } };
}
//# sourceMappingURL=german.js.map
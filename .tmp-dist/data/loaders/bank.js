import { readTable } from '../csv.js';
import { datasetFile } from '../data-dir.js';
import { expectValues, keepColumns } from './table-ops.js';
export const BANK_FOLDER = 'bank_marketing';
const BANK_FILE = 'bank-full.csv.gz';
const BANK_COLUMNS = [
    'age', 'job', 'marital', 'education', 'default', 'balance', 'housing', 'loan', 'contact', 'day', 'month',
    'duration', 'campaign', 'pdays', 'previous', 'poutcome', 'y',
];
const NUMERIC = new Set(['age', 'balance', 'day', 'duration', 'campaign', 'pdays', 'previous']);
/**
 * FFB's and AIF360's binarisation of the sensitive age: bins "<25" and ">=25" (binLabels' names), 25 and over
 * privileged. The loader also returns it as meta.binning, to pass on to prepareDataset / buildGroups.
 */
export const bankAgeBinning = { column: 'age', cuts: [25] };
export const bankSpec = {
    target: 'y',
    positive: 'yes',
    sensitive: ['age'],
    privileged: { age: '>=25' },
    // duration (length of the call) is known only once the call is over, so it leaks the label.
    features: BANK_COLUMNS.filter((name) => name !== 'y' && name !== 'duration'),
    sensitiveAsFeature: true,
};
const bankDescription = 'UCI Bank marketing, bank-full.csv (45,211 rows, ";"-separated, all rows kept). Target y (subscribed a term ' +
    'deposit), positive "yes" (11.70%). duration is dropped: it is known only after the call and leaks the label. ' +
    '"unknown" is kept as an ordinary category (dropping it would remove most rows, poutcome alone has 36,959) and ' +
    'pdays = -1 means "not contacted before". Sensitive attribute age, numeric, binned at 25 (bankAgeBinning: "<25" ' +
    '809 rows / ">=25" 44,402, privileged ">=25", as FFB and AIF360). Features: every other column, age included.';
/** UCI Bank marketing (bank-full), duration dropped, sensitive age. See docs/datasets.md. */
export async function loadBank(dataDir) {
    const path = datasetFile(dataDir, BANK_FOLDER, BANK_FILE);
    const raw = await readTable(path, {
        header: true,
        delimiter: ';',
        missing: [''],
        types: Object.fromEntries(BANK_COLUMNS.map((name) => [name, NUMERIC.has(name) ? 'numeric' : 'categorical'])),
    });
    expectValues(raw, 'y', ['no', 'yes'], path);
    const table = keepColumns(raw, BANK_COLUMNS.filter((name) => name !== 'duration'), path);
    return { name: 'bank', table, spec: bankSpec, description: bankDescription, meta: { files: [path], binning: [bankAgeBinning] } };
}
//# sourceMappingURL=bank.js.map
import { dropRowsWithMissing, readTable, selectRows } from '../csv.js';
import { datasetFile } from '../data-dir.js';
import { expectValues, keepColumns, requireCategorical, requireNumeric } from './table-ops.js';
export const COMPAS_FOLDER = 'compas';
const COMPAS_FILE = 'compas-scores-two-years.csv';
/** The small feature set of ProPublica/AIF360/FFB, minus c_charge_desc (≈400 free-text charge names). */
const COMPAS_FEATURES = [
    'sex', 'age', 'age_cat', 'race', 'juv_fel_count', 'juv_misd_count', 'juv_other_count', 'priors_count',
    'c_charge_degree',
];
const NUMERIC = ['age', 'juv_fel_count', 'juv_misd_count', 'juv_other_count', 'priors_count', 'decile_score',
    'days_b_screening_arrest', 'is_recid'];
/** The binary race attribute of FFB (s = 1 for Caucasian) and the GCM paper: Caucasian vs everyone else. */
export const COMPAS_BINARY_RACE = 'race_binary';
export const compasSpec = {
    target: 'two_year_recid',
    // FFB's convention (positive = re-offended). AIF360's favourable label is the opposite ('0').
    positive: '1',
    // Binary, as FFB and the GCM paper; `--sensitive race` gives the six-valued attribute.
    sensitive: [COMPAS_BINARY_RACE],
    // Female follows AIF360 (women are more often given the favourable outcome); FFB codes s = 1 for Male.
    privileged: { [COMPAS_BINARY_RACE]: 'Caucasian', race: 'Caucasian', sex: 'Female' },
    features: COMPAS_FEATURES,
    sensitiveAsFeature: true,
};
const compasDescription = 'ProPublica COMPAS, Broward County (compas-scores-two-years.csv, 7,214 rows) with ProPublica\'s filter: ' +
    'days_b_screening_arrest within [-30, 30], is_recid != -1, c_charge_degree != "O", score_text present and ' +
    'not "N/A", leaving 6,172 rows. Target two_year_recid, positive "1" = re-offended within two years (45.51%; ' +
    'FFB\'s convention, AIF360 calls "0" favourable). Sensitive attribute race_binary (Caucasian, privileged, vs ' +
    'Non-Caucasian, as FFB and the GCM paper; derived from race, which is not itself an extra input); the six-valued ' +
    'race (privileged Caucasian) is available with --sensitive race; ' +
    'sex is the usual alternative (privileged Female, as in AIF360). Features: sex, age, age_cat, race, ' +
    'juv_fel_count, juv_misd_count, juv_other_count, priors_count, c_charge_degree. decile_score (COMPAS\'s own ' +
    'risk score, 1-10) is kept for auditing that score and is never a feature; names, dates and ids are dropped.';
/** ProPublica's two-year COMPAS file with their standard filter: 6,172 rows. See docs/datasets.md. */
export async function loadCompas(dataDir) {
    const path = datasetFile(dataDir, COMPAS_FOLDER, COMPAS_FILE);
    const raw = await readTable(path, {
        header: true,
        delimiter: ',',
        types: {
            ...Object.fromEntries(NUMERIC.map((name) => [name, 'numeric'])),
            two_year_recid: 'categorical',
            score_text: 'categorical',
            c_charge_degree: 'categorical',
        },
    });
    expectValues(raw, 'two_year_recid', ['0', '1'], path);
    const days = requireNumeric(raw, 'days_b_screening_arrest', path);
    const isRecid = requireNumeric(raw, 'is_recid', path);
    const degree = requireCategorical(raw, 'c_charge_degree', path);
    const scoreText = requireCategorical(raw, 'score_text', path);
    const kept = [];
    for (let row = 0; row < raw.nRows; row++) {
        // A missing days_b_screening_arrest fails the range test (NaN comparisons are false), as in ProPublica's R.
        if (!(days[row] >= -30 && days[row] <= 30))
            continue;
        if (isRecid[row] === -1 || degree[row] === 'O')
            continue;
        if (scoreText[row] === null || scoreText[row] === 'N/A')
            continue;
        kept.push(row);
    }
    const columns = [...COMPAS_FEATURES, 'decile_score', 'two_year_recid'];
    const filtered = dropRowsWithMissing(keepColumns(selectRows(raw, kept), columns, path));
    const race = requireCategorical(filtered, 'race', path);
    const binaryRace = race.map((value) => (value === 'Caucasian' ? 'Caucasian' : 'Non-Caucasian'));
    const table = { ...filtered, names: [...filtered.names, COMPAS_BINARY_RACE], columns: new Map([...filtered.columns, [COMPAS_BINARY_RACE, { kind: 'categorical', values: binaryRace }]]) };
    return { name: 'compas', table, spec: compasSpec, description: compasDescription, meta: { files: [path] } };
}
//# sourceMappingURL=compas.js.map
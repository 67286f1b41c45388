import { FairkitError } from '../errors.js';
import { FeatureEncoder } from './encoder.js';
import { buildGroups, labelsFrom } from './groups.js';
import { strataOf, stratifiedSplit } from './splits.js';
import { dropRowsWithMissing, getColumn, selectRows } from './table.js';
export const DEFAULT_FRACTIONS = [0.6, 0.2, 0.2];
/**
 * The pipeline every command uses: drop rows missing the label, a sensitive value or the cluster; labels and
 * groups on the whole table; a split stratified by (label, group); the encoder fitted on train only.
 */
export function prepareDataset(dataset, options) {
    const { spec } = dataset;
    const fractions = options.fractions ?? DEFAULT_FRACTIONS;
    if (fractions.length !== 3) {
        throw new FairkitError(`expected three split fractions (train, validation, test), got [${fractions.join(', ')}]`);
    }
    const required = [spec.target, ...spec.sensitive, ...(spec.cluster ? [spec.cluster] : [])];
    const table = dropRowsWithMissing(dataset.table, required);
    const notes = [];
    const dropped = dataset.table.nRows - table.nRows;
    if (dropped > 0)
        notes.push(`${dataset.name}: dropped ${dropped} of ${dataset.table.nRows} rows with a missing value in ${required.join(', ')}`);
    const { y, positive } = labelsFrom(table, spec.target, spec.positive || undefined);
    // A loader may say how its continuous sensitive column is binned (Bank's age); an explicit option wins.
    const binning = options.binning ?? dataset.meta?.binning;
    const groups = buildGroups(table, spec.sensitive, { privileged: spec.privileged, binning });
    const strata = strataOf(y, groups.ids);
    const [trainRows, validationRows, testRows] = options.split ? options.split(strata) : stratifiedSplit(strata, fractions, options.seed);
    checkEveryGroupTrains(groups, trainRows, dataset.name);
    const features = (spec.features ?? defaultFeatures(table, spec)).filter((name) => spec.sensitiveAsFeature !== false || !spec.sensitive.includes(name));
    checkFeatures(features, spec);
    const trainTable = selectRows(table, trainRows);
    const encoder = FeatureEncoder.fit(trainTable, features);
    const clusters = spec.cluster ? clusterCodes(table, spec.cluster) : undefined;
    const encode = (rows, part = selectRows(table, rows)) => ({
        ...encoder.transform(part),
        y: Uint8Array.from(rows, (row) => y[row]),
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
        ...(clusters ? { clusterKeys: clusters.keys } : {}),
        notes,
    };
}
function defaultFeatures(table, spec) {
    const excluded = new Set([spec.target, ...(spec.cluster ? [spec.cluster] : [])]);
    return table.names.filter((name) => !excluded.has(name));
}
function checkFeatures(features, spec) {
    if (features.includes(spec.target)) {
        throw new FairkitError(`the target "${spec.target}" is listed among the features`, { fix: 'Remove it from the features' });
    }
}
/** An empty training group would leave group-wise methods with nothing to learn from. */
function checkEveryGroupTrains(groups, trainRows, name) {
    const counts = new Int32Array(groups.keys.length);
    for (const row of trainRows)
        counts[groups.ids[row]]++;
    const empty = groups.keys.filter((_, id) => counts[id] === 0);
    if (empty.length > 0) {
        throw new FairkitError(`group ${empty.map((key) => `"${key}"`).join(', ')} has no rows in the training split`, {
            where: name,
            fix: 'Merge or bin rare groups, or give training a larger fraction',
        });
    }
}
/** Cluster ids as codes into the sorted cluster values (numbers sorted numerically, strings by code unit). */
function clusterCodes(table, name) {
    const column = getColumn(table, name, 'cluster column');
    const values = Array.from(column.values);
    const sorted = [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const codeOf = new Map(sorted.map((value, code) => [value, code]));
    return { codes: Int32Array.from(values, (value) => codeOf.get(value)), keys: sorted.map(String) };
}
//# sourceMappingURL=prepare.js.map
import { FairkitError } from '../errors.js';
import { binCuts, binIndex, binLabels } from './binning.js';
import { cellText, getColumn } from './table.js';
export { labelsFrom } from './labels.js';
const SEPARATOR = '|';
/**
 * Group ids from one or more sensitive columns. A row's key is its values joined by '|' in the order of
 * `sensitive` (e.g. "Black|Female"), so several columns give intersectional groups; keys are sorted.
 */
export function buildGroups(table, sensitive, options = {}) {
    if (sensitive.length === 0)
        throw new FairkitError('no sensitive column was given', { fix: 'Name at least one' });
    for (const binning of options.binning ?? []) {
        if (!sensitive.includes(binning.column)) {
            throw new FairkitError(`binning is given for "${binning.column}", which is not a sensitive column`, {
                fix: `Sensitive columns: ${sensitive.join(', ')}`,
            });
        }
    }
    const valuesByAttribute = sensitive.map((name) => attributeValues(table, name, options.binning));
    const rowKeys = Array.from({ length: table.nRows }, (_, row) => valuesByAttribute.map((values) => values[row]).join(SEPARATOR));
    const keys = options.keys ? [...options.keys] : [...new Set(rowKeys)].sort();
    const idOfKey = new Map(keys.map((key, id) => [key, id]));
    const ids = new Int32Array(table.nRows);
    rowKeys.forEach((key, row) => {
        const id = idOfKey.get(key);
        if (id === undefined && !options.allowUnseen) {
            throw new FairkitError(`row ${row + 1} belongs to group "${key}", which is not among the known groups`, {
                fix: `Known groups: ${keys.join(', ')}; pass allowUnseen to give such rows the id -1`,
            });
        }
        ids[row] = id ?? -1;
    });
    const values = keys.map((key) => valuesOfKey(key, sensitive));
    return { attributes: [...sensitive], keys, values, ids, privileged: privilegedId(sensitive, idOfKey, options.privileged) };
}
/** One string per row: the value itself, or its bin label when the column is binned. */
function attributeValues(table, name, binnings = []) {
    const column = getColumn(table, name, 'sensitive column');
    const binning = binnings.find((candidate) => candidate.column === name);
    if (binning && column.kind !== 'numeric') {
        throw new FairkitError(`sensitive column "${name}" is categorical and cannot be binned`, {
            fix: 'Drop its binning, or read the column as numeric',
        });
    }
    const cuts = binning ? binCuts(column.values, binning) : [];
    const labels = binning ? binLabels(cuts) : [];
    return Array.from({ length: table.nRows }, (_, row) => {
        const text = cellText(column, row);
        if (text === null) {
            throw new FairkitError(`sensitive column "${name}" has a missing value in row ${row + 1}`, {
                fix: 'Drop rows with missing sensitive values first',
            });
        }
        if (binning)
            return labels[binIndex(column.values[row], cuts)];
        if (text.includes(SEPARATOR)) {
            throw new FairkitError(`value "${text}" of sensitive column "${name}" contains "${SEPARATOR}", which joins group keys`, {
                where: `row ${row + 1}`,
            });
        }
        return text;
    });
}
function valuesOfKey(key, attributes) {
    const parts = key.split(SEPARATOR);
    if (parts.length !== attributes.length) {
        throw new FairkitError(`group key "${key}" does not have one value for each of ${attributes.join(', ')}`);
    }
    return Object.fromEntries(attributes.map((attribute, i) => [attribute, parts[i]]));
}
function privilegedId(attributes, idOfKey, privileged = {}) {
    if (!attributes.every((attribute) => attribute in privileged))
        return undefined;
    return idOfKey.get(attributes.map((attribute) => privileged[attribute]).join(SEPARATOR));
}
//# sourceMappingURL=groups.js.map
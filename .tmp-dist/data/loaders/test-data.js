/** Helpers for the loader tests: where the real data sets are, and value counts to compare with the fixtures. */
import { existsSync } from 'node:fs';
import { candidateDataDir } from '../data-dir.js';
/** $FAIRKIT_DATA_DIR or ../shared/datasets, or undefined (after a visible skip) when that folder is absent. */
export function realDataDir(t, folder) {
    const { path } = candidateDataDir();
    if (existsSync(`${path}/${folder}`))
        return path;
    t.skip(`no data sets at ${path}/${folder} (set FAIRKIT_DATA_DIR to run this test)`);
    return undefined;
}
/** Count of each value of a column (numbers via String), sorted by value like pandas' value_counts().sort_index(). */
export function valueCounts(table, column, where = null) {
    const values = table.columns.get(column).values;
    const counts = {};
    for (let row = 0; row < table.nRows; row++) {
        if (where && !where[row])
            continue;
        const key = String(values[row]);
        counts[key] = (counts[key] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
export function isValue(table, column, value) {
    return Array.from(table.columns.get(column).values, (v) => String(v) === value);
}
export function mean(table, column) {
    const values = table.columns.get(column).values;
    return values.reduce((sum, v) => sum + v, 0) / values.length;
}
export function hasMissing(table) {
    return table.names.some((name) => {
        const column = table.columns.get(name);
        return column.kind === 'numeric' ? column.values.some(Number.isNaN) : column.values.includes(null);
    });
}
//# sourceMappingURL=test-data.js.map
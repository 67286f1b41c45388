import { FairkitError } from '../errors.js';
/** The named column, or a FairkitError listing the columns that exist. */
export function getColumn(table, name, role = 'column') {
    const column = table.columns.get(name);
    if (!column) {
        throw new FairkitError(`${role} "${name}" is not in the table`, {
            fix: `Available columns: ${table.names.join(', ')}`,
        });
    }
    return column;
}
export function isMissing(column, row) {
    return column.kind === 'numeric' ? Number.isNaN(column.values[row]) : column.values[row] === null;
}
/** A cell as a string (numbers via String, so 1 → "1"), or null when missing. */
export function cellText(column, row) {
    if (column.kind === 'categorical')
        return column.values[row];
    const value = column.values[row];
    return Number.isNaN(value) ? null : String(value);
}
/** The sub-table of the given rows, in the given order. */
export function selectRows(table, rows) {
    const n = rows.length;
    for (let i = 0; i < n; i++) {
        if (!(rows[i] >= 0 && rows[i] < table.nRows && Number.isInteger(rows[i]))) {
            throw new RangeError(`row index ${rows[i]} is outside 0..${table.nRows - 1}`);
        }
    }
    const columns = new Map();
    for (const name of table.names) {
        const column = table.columns.get(name);
        if (column.kind === 'numeric') {
            const values = new Float64Array(n);
            for (let i = 0; i < n; i++)
                values[i] = column.values[rows[i]];
            columns.set(name, { kind: 'numeric', values });
        }
        else {
            const values = new Array(n);
            for (let i = 0; i < n; i++)
                values[i] = column.values[rows[i]];
            columns.set(name, { kind: 'categorical', values });
        }
    }
    return { names: [...table.names], columns, nRows: n };
}
/** Rows with no missing value in `columns` (default: every column). */
export function dropRowsWithMissing(table, columns = table.names) {
    const checked = columns.map((name) => getColumn(table, name));
    const kept = [];
    for (let row = 0; row < table.nRows; row++) {
        if (!checked.some((column) => isMissing(column, row)))
            kept.push(row);
    }
    return selectRows(table, kept);
}
//# sourceMappingURL=table.js.map
import { FairkitError } from '../../errors.js';
/** The listed columns, in that order (a column not in the table is a FairkitError naming `where`). */
export function keepColumns(table, names, where) {
    const columns = new Map();
    for (const name of names)
        columns.set(name, requireColumn(table, name, where));
    return { names: [...names], columns, nRows: table.nRows };
}
/** The table with `column` replaced by new columns (same position), e.g. a coded column by decoded ones. */
export function replaceColumn(table, column, replacements) {
    const names = table.names.flatMap((name) => (name === column ? replacements.map(([n]) => n) : [name]));
    const columns = new Map(table.columns);
    columns.delete(column);
    for (const [name, values] of replacements)
        columns.set(name, values);
    return { names, columns, nRows: table.nRows };
}
/** Rows of `first` then rows of `second`; both must have the same columns of the same kinds. */
export function concatTables(first, second, where) {
    if (first.names.join('\u0000') !== second.names.join('\u0000')) {
        throw new FairkitError('the two files have different columns', { where });
    }
    const columns = new Map();
    for (const name of first.names) {
        const a = first.columns.get(name);
        const b = second.columns.get(name);
        if (a.kind === 'numeric' && b.kind === 'numeric') {
            const values = new Float64Array(first.nRows + second.nRows);
            values.set(a.values, 0);
            values.set(b.values, first.nRows);
            columns.set(name, { kind: 'numeric', values });
        }
        else if (a.kind === 'categorical' && b.kind === 'categorical') {
            columns.set(name, { kind: 'categorical', values: [...a.values, ...b.values] });
        }
        else {
            throw new FairkitError(`column "${name}" is numeric in one file and categorical in the other`, { where });
        }
    }
    return { names: [...first.names], columns, nRows: first.nRows + second.nRows };
}
export function requireColumn(table, name, where) {
    const column = table.columns.get(name);
    if (!column)
        throw new FairkitError(`expected a column "${name}"`, { where, fix: `Columns found: ${table.names.join(', ')}` });
    return column;
}
export function requireNumeric(table, name, where) {
    const column = requireColumn(table, name, where);
    if (column.kind !== 'numeric')
        throw new FairkitError(`column "${name}" should be numeric`, { where });
    return column.values;
}
export function requireCategorical(table, name, where) {
    const column = requireColumn(table, name, where);
    if (column.kind !== 'categorical')
        throw new FairkitError(`column "${name}" should be categorical`, { where });
    return column.values;
}
/** Every non-missing value of a categorical column is one of `allowed`; otherwise the first stray value is named. */
export function expectValues(table, name, allowed, where) {
    const values = requireCategorical(table, name, where);
    const ok = new Set(allowed);
    const stray = values.findIndex((value) => value !== null && !ok.has(value));
    if (stray >= 0) {
        throw new FairkitError(`column "${name}" has the unexpected value "${values[stray]}" (data row ${stray + 1})`, {
            where,
            fix: `Expected one of: ${allowed.join(', ')}. Is this the original file?`,
        });
    }
}
//# sourceMappingURL=table-ops.js.map
/**
 * FFB's sensitive attributes are binary: the privileged value against all others (COMPAS race: Caucasian vs
 * not). A categorical sensitive column with more than two values and a privileged value is recoded that way,
 * the others become `not <privileged>`; any other column is left as it is.
 */
export function binarizeSensitive(dataset) {
    const columns = new Map(dataset.table.columns);
    let changed = false;
    for (const name of dataset.spec.sensitive) {
        const column = columns.get(name);
        const privileged = dataset.spec.privileged?.[name];
        if (!column || column.kind !== 'categorical' || privileged === undefined)
            continue;
        const distinct = new Set(column.values.filter((value) => value !== null));
        if (distinct.size <= 2)
            continue;
        const other = `not ${privileged}`;
        const recoded = { kind: 'categorical', values: column.values.map((value) => (value === null ? null : value === privileged ? privileged : other)) };
        columns.set(name, recoded);
        changed = true;
    }
    return changed ? { ...dataset, table: { ...dataset.table, columns } } : dataset;
}
//# sourceMappingURL=binarize-sensitive.js.map
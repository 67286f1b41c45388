import { cellText, getColumn, rowPlace } from '../data/table.js';
import type { Table } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { AuditCells, textColumns, type AuditColumns } from './audit-cells.js';
import { numericColumn } from './columns.js';

/** How cellsOfTable wants the file read: text columns as written (typing waits for every shard), scores as numbers. */
export function cellReadTypes(columns: AuditColumns): Record<string, 'numeric' | 'categorical'> {
  const types: Record<string, 'numeric' | 'categorical'> = Object.fromEntries(textColumns(columns).map((name) => [name, 'categorical']));
  if (columns.score !== null) types[columns.score] = 'numeric';
  return types;
}

/**
 * The audit cells of a table read with cellReadTypes. Rows are counted per distinct combination, so a shard's state is small whenever the
 * scores repeat (or there are none).
 */
export function cellsOfTable(table: Table, columns: AuditColumns, source: string): AuditCells {
  const names = textColumns(columns);
  for (const name of [...names, ...(columns.score === null ? [] : [columns.score])]) {
    if (!table.columns.has(name)) throw new FairkitError(`unknown column '${name}'`, { where: source, fix: `Columns are: ${table.names.join(', ')}` });
  }
  const textOf = names.map((name) => getColumn(table, name));
  const scores = columns.score === null ? null : numericColumn(table, columns.score);
  const cells = new AuditCells(columns);
  const cellOfKey = new Map<string, number>();
  const row = new Array<string>(names.length);
  for (let i = 0; i < table.nRows; i++) {
    for (let k = 0; k < names.length; k++) {
      const text = cellText(textOf[k], i);
      if (text === null) throw new FairkitError(`column '${names[k]}' has a missing value`, { where: rowPlace(table, i), fix: 'Drop rows with missing values in the audited columns first' });
      row[k] = text;
    }
    const score = scores === null ? NaN : scores[i];
    const key = JSON.stringify([row, score]);
    const cell = cellOfKey.get(key);
    if (cell === undefined) {
      cellOfKey.set(key, cells.size);
      cells.add(row, score, 1);
    } else cells.counts[cell]++;
  }
  return cells;
}

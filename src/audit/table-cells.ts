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
  // Cells are found through a tree of Maps, one level per text column and a last level keyed by score: about 5×
  // faster than one Map keyed by a serialised row (measured on 1M rows), and a Map's SameValueZero keeps NaN one key.
  const cellTree: CellTree = new Map();
  const row = new Array<string>(names.length);
  for (let i = 0; i < table.nRows; i++) {
    let node = cellTree;
    for (let k = 0; k < names.length; k++) {
      const text = cellText(textOf[k], i);
      if (text === null) throw new FairkitError(`column '${names[k]}' has a missing value`, { where: rowPlace(table, i), fix: 'Drop rows with missing values in the audited columns first' });
      row[k] = text;
      let next = node.get(text) as CellTree | undefined;
      if (next === undefined) node.set(text, (next = new Map()));
      node = next;
    }
    const score = scores === null ? NaN : scores[i];
    const cell = node.get(score) as number | undefined;
    if (cell === undefined) {
      node.set(score, cells.size);
      cells.add(row, score, 1);
    } else cells.counts[cell]++;
  }
  return cells;
}

/** Text value → subtree for each text column in turn; at the last level, score → cell index. */
type CellTree = Map<string | number, CellTree | number>;

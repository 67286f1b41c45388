import { FairkitError } from '../errors.js';
import type { Column, Table } from './types.js';

/** The named column, or a FairkitError listing the columns that exist. */
export function getColumn(table: Table, name: string, role = 'column'): Column {
  const column = table.columns.get(name);
  if (!column) {
    throw new FairkitError(`${role} "${name}" is not in the table`, {
      fix: `Available columns: ${table.names.join(', ')}`,
    });
  }
  return column;
}

export function isMissing(column: Column, row: number): boolean {
  return column.kind === 'numeric' ? Number.isNaN(column.values[row]) : column.values[row] === null;
}

/** A cell as a string (numbers via String, so 1 → "1"), or null when missing. */
export function cellText(column: Column, row: number): string | null {
  if (column.kind === 'categorical') return column.values[row];
  const value = column.values[row];
  return Number.isNaN(value) ? null : String(value);
}

/** The sub-table of the given rows, in the given order. */
export function selectRows(table: Table, rows: ArrayLike<number>): Table {
  const n = rows.length;
  for (let i = 0; i < n; i++) {
    if (!(rows[i] >= 0 && rows[i] < table.nRows && Number.isInteger(rows[i]))) {
      throw new RangeError(`row index ${rows[i]} is outside 0..${table.nRows - 1}`);
    }
  }
  const columns = new Map<string, Column>();
  for (const name of table.names) {
    const column = table.columns.get(name)!;
    if (column.kind === 'numeric') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = column.values[rows[i]];
      columns.set(name, { kind: 'numeric', values });
    } else {
      const values = new Array<string | null>(n);
      for (let i = 0; i < n; i++) values[i] = column.values[rows[i]];
      columns.set(name, { kind: 'categorical', values });
    }
  }
  const origin = table.origin ? { source: table.origin.source, lines: Int32Array.from({ length: n }, (_, i) => table.origin!.lines[rows[i]]) } : undefined;
  return { names: [...table.names], columns, nRows: n, ...(origin ? { origin } : {}) };
}

/** Where a row is, for messages: "file.csv, line 12" when the table came from a file, else "row 13". */
export function rowPlace(table: Table, row: number): string {
  return table.origin ? `${table.origin.source}, line ${table.origin.lines[row]}` : `row ${row + 1}`;
}

/** Rows with no missing value in `columns` (default: every column). */
export function dropRowsWithMissing(table: Table, columns: string[] = table.names): Table {
  const checked = columns.map((name) => getColumn(table, name));
  const kept: number[] = [];
  for (let row = 0; row < table.nRows; row++) {
    if (!checked.some((column) => isMissing(column, row))) kept.push(row);
  }
  return selectRows(table, kept);
}

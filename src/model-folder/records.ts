/**
 * Records (one object per row, as a service receives them) to the column table the encoder and the group index
 * read. A value is missing when it is null, undefined, NaN or the empty string; a column the model reads as numeric
 * takes numbers or plain decimal strings ("3.5"), a categorical one takes strings (numbers are written with String,
 * 1 → "1"). Sensitive and cluster columns not bound by the encoder are typed as a CSV reader would type them:
 * numeric when every value is a number, else categorical.
 */
import { parseDecimal } from '../data/table-builder.js';
import type { Column, Table } from '../data/types.js';
import { FairkitError } from '../errors.js';

export type RecordValue = string | number | null;
export type InputRecord = Record<string, RecordValue | undefined>;

/** Where the records came from, for messages ("file.csv, line 12"); else rows are numbered from 1. */
export interface RecordsOrigin {
  source: string;
  lines: ArrayLike<number>;
}

export interface ColumnRequest {
  name: string;
  /** Forced type (the encoder's, or numeric for a binned sensitive column); inferred when absent. */
  kind?: Column['kind'];
}

/** A table of the requested columns that occur in at least one record (a record without one has it missing). */
export function tableFromRecords(records: readonly InputRecord[], requests: ColumnRequest[], origin?: RecordsOrigin): Table {
  const place = (row: number) => (origin ? `${origin.source}, line ${origin.lines[row]}` : `row ${row + 1}`);
  const columns = new Map<string, Column>();
  for (const { name, kind } of requests) {
    if (columns.has(name) || !records.some((record) => Object.hasOwn(record, name))) continue;
    const cells = records.map((record) => record[name]);
    const numeric = kind === 'numeric' || (kind === undefined && cells.every((cell) => isMissingValue(cell) || typeof cell === 'number' || !Number.isNaN(parseDecimal(cell as string))));
    if (numeric) {
      const values = Float64Array.from(cells, (cell, row) => {
        if (isMissingValue(cell)) return NaN;
        if (typeof cell === 'number') return cell;
        const value = typeof cell === 'string' ? parseDecimal(cell.trim()) : NaN;
        if (Number.isNaN(value)) throw new FairkitError(`${JSON.stringify(cell)} is not a number, but the model reads column "${name}" as numeric`, { where: `${place(row)}, column "${name}"` });
        return value;
      });
      columns.set(name, { kind: 'numeric', values });
    } else {
      columns.set(name, { kind: 'categorical', values: cells.map((cell, row) => {
        if (isMissingValue(cell)) return null;
        if (typeof cell === 'string') return cell;
        if (typeof cell === 'number') return String(cell);
        throw new FairkitError(`${JSON.stringify(cell)} is neither a string nor a number`, { where: `${place(row)}, column "${name}"` });
      }) });
    }
  }
  return {
    names: [...columns.keys()],
    columns,
    nRows: records.length,
    ...(origin ? { origin: { source: origin.source, lines: Int32Array.from(origin.lines) } } : {}),
  };
}

function isMissingValue(cell: unknown): boolean {
  return cell === null || cell === undefined || cell === '' || (typeof cell === 'number' && Number.isNaN(cell));
}

import { rowPlace } from '../data/table.js';
import type { Table } from '../data/types.js';
import { FairkitError } from '../errors.js';

/** A column that must hold numbers everywhere (scores): a clear error names the first offending row. */
export function numericColumn(table: Table, name: string): Float64Array {
  const column = table.columns.get(name)!;
  if (column.kind === 'categorical') {
    const bad = column.values.findIndex((value) => value === null || !Number.isFinite(Number(value)));
    const shown = column.values[bad] === null ? 'a missing value' : `'${column.values[bad]}'`;
    throw new FairkitError(`column '${name}' must be numeric, but holds ${shown}`, { where: rowPlace(table, bad) });
  }
  const missing = column.values.findIndex((value) => Number.isNaN(value));
  if (missing >= 0) throw new FairkitError(`column '${name}' has a missing value`, { where: rowPlace(table, missing) });
  return column.values;
}

/** The distinct written values of a column (missing cells left out). */
export function distinctValues(table: Table, name: string): string[] {
  const column = table.columns.get(name)!;
  const values = new Set<string>();
  for (let i = 0; i < table.nRows; i++) {
    const value = column.kind === 'numeric' ? (Number.isNaN(column.values[i]) ? null : String(column.values[i])) : column.values[i];
    if (value !== null) values.add(value);
  }
  return [...values];
}

/**
 * Hard predictions as 0/1. They may be written like the label (any of `labelValues`; `positive` marks 1, so a
 * column of only the negative value is valid) or as 0/1 numbers.
 */
export function binaryColumn(table: Table, name: string, positive: string, labelValues: readonly string[], source: string): Uint8Array {
  const column = table.columns.get(name)!;
  const text = (index: number): string | null =>
    column.kind === 'numeric' ? (Number.isNaN(column.values[index]) ? null : String(column.values[index])) : column.values[index];
  const distinct = new Set<string>();
  for (let i = 0; i < table.nRows; i++) {
    const value = text(i);
    if (value === null) throw new FairkitError(`column '${name}' has a missing value`, { where: rowPlace(table, i) });
    distinct.add(value);
  }
  const onesAre = predictedPositive(name, [...distinct], positive, labelValues, source);
  const out = new Uint8Array(table.nRows);
  for (let i = 0; i < table.nRows; i++) out[i] = text(i) === onesAre ? 1 : 0;
  return out;
}

/** The written value of a prediction column that means 1, by the rule of binaryColumn; `distinct` are its values. */
export function predictedPositive(name: string, distinct: string[], positive: string, labelValues: readonly string[], source: string): string {
  const writtenLikeLabel = distinct.every((value) => labelValues.includes(value));
  if (distinct.length > 2 || (!writtenLikeLabel && distinct.some((value) => value !== '0' && value !== '1'))) {
    throw new FairkitError(`column '${name}' must hold two values (the label's '${positive}' and another, or 0/1); found ${distinct.slice(0, 5).map((v) => `'${v}'`).join(', ')}${distinct.length > 5 ? ', …' : ''}`, { where: source });
  }
  return writtenLikeLabel ? positive : '1';
}

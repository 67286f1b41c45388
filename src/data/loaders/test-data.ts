/** Helpers for the loader tests: where the real data sets are, and value counts to compare with the fixtures. */
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { candidateDataDir } from '../data-dir.js';
import type { Table } from '../types.js';

/** $FAIRKIT_DATA_DIR or ../shared/datasets, or undefined (after a visible skip) when that folder is absent. */
export function realDataDir(t: TestContext, folder: string): string | undefined {
  const { path } = candidateDataDir();
  if (existsSync(`${path}/${folder}`)) return path;
  t.skip(`no data sets at ${path}/${folder} (set FAIRKIT_DATA_DIR to run this test)`);
  return undefined;
}

/** Count of each value of a column (numbers via String), sorted by value like pandas' value_counts().sort_index(). */
export function valueCounts(table: Table, column: string, where: ArrayLike<boolean> | null = null): Record<string, number> {
  const values = table.columns.get(column)!.values;
  const counts: Record<string, number> = {};
  for (let row = 0; row < table.nRows; row++) {
    if (where && !where[row]) continue;
    const key = String(values[row]);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function isValue(table: Table, column: string, value: string): boolean[] {
  return Array.from(table.columns.get(column)!.values as ArrayLike<unknown>, (v) => String(v) === value);
}

export function mean(table: Table, column: string): number {
  const values = table.columns.get(column)!.values as Float64Array;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function hasMissing(table: Table): boolean {
  return table.names.some((name) => {
    const column = table.columns.get(name)!;
    return column.kind === 'numeric' ? column.values.some(Number.isNaN) : column.values.includes(null);
  });
}

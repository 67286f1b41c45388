import type { Column, Table } from './types.js';
/** The named column, or a FairkitError listing the columns that exist. */
export declare function getColumn(table: Table, name: string, role?: string): Column;
export declare function isMissing(column: Column, row: number): boolean;
/** A cell as a string (numbers via String, so 1 → "1"), or null when missing. */
export declare function cellText(column: Column, row: number): string | null;
/** The sub-table of the given rows, in the given order. */
export declare function selectRows(table: Table, rows: ArrayLike<number>): Table;
/** Rows with no missing value in `columns` (default: every column). */
export declare function dropRowsWithMissing(table: Table, columns?: string[]): Table;

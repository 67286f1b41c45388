import type { Column, Table } from '../types.js';
/** The listed columns, in that order (a column not in the table is a FairkitError naming `where`). */
export declare function keepColumns(table: Table, names: string[], where: string): Table;
/** The table with `column` replaced by new columns (same position), e.g. a coded column by decoded ones. */
export declare function replaceColumn(table: Table, column: string, replacements: [string, Column][]): Table;
/** Rows of `first` then rows of `second`; both must have the same columns of the same kinds. */
export declare function concatTables(first: Table, second: Table, where: string): Table;
export declare function requireColumn(table: Table, name: string, where: string): Column;
export declare function requireNumeric(table: Table, name: string, where: string): Float64Array;
export declare function requireCategorical(table: Table, name: string, where: string): (string | null)[];
/** Every non-missing value of a categorical column is one of `allowed`; otherwise the first stray value is named. */
export declare function expectValues(table: Table, name: string, allowed: string[], where: string): void;

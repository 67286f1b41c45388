import type { Table } from '../data/types.js';
/** A column that must hold numbers everywhere (scores): a clear error names the first offending row. */
export declare function numericColumn(table: Table, name: string, source: string): Float64Array;
/**
 * Hard predictions as 0/1. They may be written like the label (then `positive` marks 1) or as 0/1 numbers.
 */
export declare function binaryColumn(table: Table, name: string, positive: string, source: string): Uint8Array;

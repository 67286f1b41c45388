import type { Table } from './types.js';
/**
 * 0/1 labels from the target column; `positive` is compared as a string (numeric 1 → "1"). Without it, a
 * two-valued column takes the value that reads as positive ("1", "true", "yes", ">50K", …), else the
 * lexicographically larger one; the value used is returned.
 */
export declare function labelsFrom(table: Table, target: string, positive?: string): {
    y: Uint8Array;
    positive: string;
};

import type { TestContext } from 'node:test';
import type { Table } from '../types.js';
/** $FAIRKIT_DATA_DIR or ../shared/datasets, or undefined (after a visible skip) when that folder is absent. */
export declare function realDataDir(t: TestContext, folder: string): string | undefined;
/** Count of each value of a column (numbers via String), sorted by value like pandas' value_counts().sort_index(). */
export declare function valueCounts(table: Table, column: string, where?: ArrayLike<boolean> | null): Record<string, number>;
export declare function isValue(table: Table, column: string, value: string): boolean[];
export declare function mean(table: Table, column: string): number;
export declare function hasMissing(table: Table): boolean;

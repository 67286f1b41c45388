import type { Table } from './types.js';
export type ColumnType = 'numeric' | 'categorical';
export interface BuilderOptions {
    header: boolean;
    names?: string[];
    missing: Set<string>;
    types: Record<string, ColumnType>;
    transform?: (value: string, column: string) => string;
}
export declare function parseDecimal(text: string): number;
/**
 * Collects parsed records (already split into fields) into columns of strings, then types each column:
 * numeric when every non-missing value is a finite decimal number, categorical otherwise, unless overridden.
 */
export declare class TableBuilder {
    private readonly source;
    private readonly options;
    private names;
    private cells;
    private lines;
    constructor(source: string, options: BuilderOptions);
    /** `endLine` is the file line on which the record ends; quoted newlines move its start earlier. */
    add(fields: string[], endLine: number): void;
    finish(): Table;
    private typeColumn;
    /**
     * A blank name becomes `c<index>` (as when there is no header). Duplicate names (COMPAS has them) keep
     * the first occurrence as is; later ones become `name_2`, `name_3`, … so every column stays addressable.
     */
    private setNames;
}

import type { Table } from './types.js';
export { dropRowsWithMissing, selectRows } from './table.js';
export interface CsvOptions {
    /** Default true; if false, names come from `names` or are c0, c1, … */
    header?: boolean;
    /** Column names when there is no header, or to override the header's names. */
    names?: string[];
    /** Default ','. */
    delimiter?: string;
    /** Default '"'; false turns quoting off. */
    quote?: string | false;
    /** Tokens meaning missing (compared after trimming and `transform`), default ['', 'NA', 'NaN', '?']. */
    missing?: string[];
    /** Trim whitespace around unquoted fields, default true (Adult uses ", " separators). */
    trim?: boolean;
    /** Lines to skip before the header/data (adult.test's first line). */
    skipLines?: number;
    /** Overrides of type inference. */
    types?: Record<string, 'numeric' | 'categorical'>;
    /** Applied to every field before the missing check, e.g. to strip Adult's trailing '.' in test labels. */
    transform?: (value: string, column: string) => string;
    /** Default true. */
    skipEmptyLines?: boolean;
}
/** Streams a CSV file (gunzipped when the name ends in .gz) into a typed columnar table. */
export declare function readTable(path: string, options?: CsvOptions): Promise<Table>;
/** The same as `readTable`, from text in memory (tests, small inputs); `source` names it in errors. */
export declare function parseTable(text: string, options?: CsvOptions & {
    source?: string;
}): Table;

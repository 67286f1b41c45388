import type { StudySummary } from '../bench/aggregate.js';
import type { Stat } from '../bench/stats.js';
/** A table for any output (Markdown, HTML, terminal): text cells, numeric columns right-aligned. */
export interface Table {
    header: string[];
    rows: string[][];
    numeric: boolean[];
}
/** mean ± std in % with two decimals, as FFB reports. */
export declare function percent(stat: Pick<Stat, 'mean' | 'std'>): string;
/** One row per method and λ: test metrics ×100 (mean ± sd over runs), ERM-normalised trade-off, training time. */
export declare function methodsTable(study: StudySummary): Table;
/** Hypervolume of each method's ERM-normalised points, in both planes (higher is better; ERM is 0). */
export declare function hypervolumeTable(study: StudySummary): Table;
/** ERM under the FFB protocol beside FFB's published ERM row, or null when there is none to compare with. */
export declare function ffbTable(study: StudySummary): {
    title: string;
    table: Table;
} | null;
export declare function markdownTable(table: Table): string[];
export declare function textTable(table: Table): string[];

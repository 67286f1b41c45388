import type { StudySummary } from '../bench/aggregate.js';
import type { Protocol } from '../bench/protocols.js';
import type { ChartSpec } from './charts.js';
export interface RenderedChart extends ChartSpec {
    /** Path of the SVG file relative to the report folder. */
    file: string;
    svg: string;
}
export interface StudyReport {
    study: StudySummary;
    /** File-name-safe and unique within the report. */
    slug: string;
    heading: string;
    protocol: Protocol;
    charts: RenderedChart[];
}
/** Everything the HTML and Markdown renderers show. */
export interface ReportModel {
    journal: string;
    generated: string;
    trials: number;
    /** The command line of the last bench run into the folder, when it left a manifest. */
    command: string | null;
    warnings: string[];
    studies: StudyReport[];
}
export declare const STATISTICS_NOTE: string;
export declare function trainingOverrides(study: StudySummary): string | null;

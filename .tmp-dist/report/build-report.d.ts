export interface ReportFiles {
    html: string;
    markdown: string;
    summary: string;
    charts: string[];
    warnings: string[];
}
/**
 * Reads the journal of a bench folder and writes report.html (self-contained), report.md, summary.json and one
 * SVG per chart under charts/, into `out` (default: the bench folder). Every file is written whole or not at all.
 */
export declare function buildReport(folder: string, options?: {
    out?: string;
    now?: Date;
}): Promise<ReportFiles>;

import { type ReportModel } from './model.js';
/** The report as Markdown: the same tables, the charts as links to their SVG files. */
export declare function renderMarkdown(model: ReportModel): string;

import { type ReportModel } from './model.js';
export declare function escapeHtml(text: string): string;
/** A self-contained page: styles inline, every chart an inline SVG, no script and nothing fetched. */
export declare function renderHtml(model: ReportModel): string;

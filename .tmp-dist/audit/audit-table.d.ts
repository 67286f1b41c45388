import type { Table } from '../data/types.js';
export interface AuditOptions {
    label: string;
    pred?: string;
    score?: string;
    sensitive: string[];
    positive?: string;
    /** The privileged value of each sensitive column, in the same order (for averageOddsDifference and GCM's EOP). */
    privileged?: string[];
    threshold?: number;
    bootstrap?: number;
    seed?: number;
    /** Where the table came from, for error messages. */
    source: string;
}
export interface AuditResult {
    rows: number;
    sensitive: string[];
    positive: string;
    overall: Record<string, number | null>;
    groups: Record<string, unknown>[];
    fairness: Record<string, number | null>;
    intervals?: unknown;
    warnings: string[];
}
/** Audits one table of labels, predictions or scores, and sensitive columns: the engine behind `fairkit audit`. */
export declare function auditTable(table: Table, options: AuditOptions): AuditResult;

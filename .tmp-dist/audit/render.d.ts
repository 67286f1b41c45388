import type { AuditResult } from './audit-table.js';
export type AuditFormat = 'table' | 'json' | 'markdown';
export declare function renderAudit(result: AuditResult, format: AuditFormat): string;

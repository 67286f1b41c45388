/** Test helpers for the cell-based audits: fixture cases as CSV text, and the comparison with the one-pass audit. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTable } from '../data/csv.js';
import type { FixtureCase } from '../metrics/fixture-cases.js';
import type { AuditColumns } from './audit-cells.js';
import type { AuditResult } from './audit-table.js';
import { cellReadTypes, cellsOfTable } from './table-cells.js';

/** A case's rows as CSV text (weights dropped: the CLI audits unweighted rows), with the columns to audit them by. */
export function caseCsv(c: FixtureCase): { header: string; lines: string[]; columns: AuditColumns } {
  const attributes = Object.keys(c.values[0]);
  const header = ['label', ...(c.yPred ? ['pred'] : []), ...(c.scores ? ['score'] : []), ...attributes];
  const lines = c.yTrue.map((y, i) => {
    const group = c.values[c.groupIds[i]];
    return [y, ...(c.yPred ? [c.yPred[i]] : []), ...(c.scores ? [c.scores[i]] : []), ...attributes.map((a) => group[a])].join(',');
  });
  const columns: AuditColumns = { label: 'label', pred: c.yPred ? 'pred' : null, score: c.scores ? 'score' : null, sensitive: attributes, threshold: c.threshold ?? 0.5, categorical: [] };
  return { header: header.join(','), lines, columns };
}

export function privilegedOf(c: FixtureCase): string[] | undefined {
  return c.privileged === undefined ? undefined : Object.values(c.values[c.privileged]);
}

/** The cells of CSV text, read as `fairkit audit --partial` reads a file. */
export function cellsOfText(text: string, columns: AuditColumns, source = '<text>') {
  return cellsOfTable(parseTable(text, { types: cellReadTypes(columns), source }), columns, source);
}

/**
 * Asserts an audit of counted rows equals the one-pass audit: every count and rate, AP and ROC-AUC bit for bit
 * (integer sums, the same ranking walk); the log loss to 1e-12 relative (k·loss is rounded unlike loss + … + loss).
 */
export function assertSameAudit(actual: AuditResult, expected: AuditResult, what: string): void {
  const withoutLogLoss = (result: AuditResult) => ({ ...result, overall: { ...result.overall, logLoss: undefined } });
  assert.deepEqual(withoutLogLoss(actual), withoutLogLoss(expected), what);
  const [got, want] = [actual.overall.logLoss, expected.overall.logLoss];
  if (typeof want !== 'number') return assert.equal(got, want, `${what}: logLoss`);
  assert.ok(typeof got === 'number' && Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${what}: logLoss ${got} vs ${want}`);
}

interface TiedScores {
  rows: [group: string, label: number, score: number][];
  expected: { ap: number; rocAuc: number; logLoss: number; distinctScores: number };
}

/** Rows with heavily tied scores and scikit-learn's AP, ROC-AUC and log loss (fixtures/make_tied_scores.py). */
export function tiedScores(): TiedScores & { csv: string } {
  const path = fileURLToPath(new URL('../../src/audit/fixtures/tied-scores.json', import.meta.url));
  const fixture = JSON.parse(readFileSync(path, 'utf8')) as TiedScores;
  return { ...fixture, csv: `group,label,score\n${fixture.rows.map((row) => row.join(',')).join('\n')}\n` };
}

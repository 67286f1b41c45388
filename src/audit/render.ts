import { fairnessRates, performanceMetricNames } from '../metrics/registry.js';
import type { AuditResult } from './audit-table.js';
import type { RegressionAuditResult } from './regression-audit.js';
import { renderRegressionAudit } from './render-regression.js';

export type AuditFormat = 'table' | 'json' | 'markdown';

const groupColumns: [key: string, title: string][] = [
  ['count', 'count'], ['accuracy', 'accuracy'], ['balancedAccuracy', 'bal.acc'], ['selectionRate', 'sel.rate'],
  ['tpr', 'tpr'], ['fpr', 'fpr'], ['precision', 'precision'], ['f1', 'f1'],
];
const rateTitles: Record<string, string> = { selectionRate: 'selection rate', tpr: 'TPR', fpr: 'FPR' };
/** The per-group rates whose spread the fairness differences measure (from the metric registry). */
const gapRates: [key: string, title: string][] = fairnessRates().map((rate) => [rate, rateTitles[rate] ?? rate]);
const scoreMetrics = performanceMetricNames({ scores: true });

interface WorstGap { rate: string; title: string; gap: number; low: number; high: number }

export function renderAudit(result: AuditResult | RegressionAuditResult, format: AuditFormat): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  if ('task' in result && result.task === 'regression') return renderRegressionAudit(result, format);
  return format === 'markdown' ? renderMarkdown(result as AuditResult) : renderTable(result as AuditResult);
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  return String(value);
}

function intervalOf(result: AuditResult, section: 'overall' | 'fairness', key: string): string {
  const intervals = result.intervals as Record<string, Record<string, [number, number] | null>> | undefined;
  const interval = intervals?.[section]?.[key];
  return interval ? `[${interval[0].toFixed(3)}, ${interval[1].toFixed(3)}]` : '';
}

/** The group rate with the widest spread between groups: the gap a reader should look at first. */
function worstGap(result: AuditResult): WorstGap | null {
  let worst: WorstGap | null = null;
  for (const [rate, title] of gapRates) {
    let low = -1;
    let high = -1;
    result.groups.forEach((group, index) => {
      const value = group[rate];
      if (typeof value !== 'number') return;
      if (low < 0 || value < (result.groups[low][rate] as number)) low = index;
      if (high < 0 || value > (result.groups[high][rate] as number)) high = index;
    });
    if (low < 0) continue;
    const gap = (result.groups[high][rate] as number) - (result.groups[low][rate] as number);
    if (!worst || gap > worst.gap) worst = { rate, title, gap, low, high };
  }
  return worst;
}

function alignedTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 || header[column] === '' ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

function groupRows(result: AuditResult, worst: WorstGap | null): string[][] {
  const rows = result.groups.map((group, index) => {
    const mark = worst && index === worst.high ? `▲ highest ${worst.title}` : worst && index === worst.low ? `▼ lowest ${worst.title}` : '';
    return [String(group.key), ...groupColumns.map(([key]) => formatValue(group[key])), mark];
  });
  rows.push(['(overall)', ...groupColumns.map(([key]) => formatValue(result.overall[key])), '']);
  return rows;
}

function renderTable(result: AuditResult): string {
  const worst = worstGap(result);
  const lines = [
    `fairkit audit: ${result.rows} rows, positive label '${result.positive}', groups by ${result.sensitive.join(' × ')}`,
    '',
    ...alignedTable(['group', ...groupColumns.map(([, title]) => title), ''], groupRows(result, worst)),
    '',
  ];
  const extra = scoreMetrics.filter((key) => key in result.overall);
  if (extra.length > 0) {
    lines.push(...alignedTable(['score metric', 'value', 'interval'], extra.map((key) => [key, formatValue(result.overall[key]), intervalOf(result, 'overall', key)])), '');
  }
  lines.push(...alignedTable(['fairness metric', 'value', 'interval'], Object.entries(result.fairness).map(([key, value]) => [key, formatValue(value), intervalOf(result, 'fairness', key)])));
  if (worst) {
    lines.push('', `worst gap: ${worst.title} ${formatValue(result.groups[worst.low][worst.rate])} (${result.groups[worst.low].key}) vs ${formatValue(result.groups[worst.high][worst.rate])} (${result.groups[worst.high].key}), a difference of ${worst.gap.toFixed(3)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Cells escaped: intersectional group keys contain '|'. */
function markdownTable(header: string[], rows: string[][]): string[] {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map(line)];
}

function renderMarkdown(result: AuditResult): string {
  const worst = worstGap(result);
  const lines = [
    `## fairkit audit`,
    '',
    `${result.rows} rows; positive label \`${result.positive}\`; groups by ${result.sensitive.map((name) => `\`${name}\``).join(' × ')}.`,
    '',
    ...markdownTable(['group', ...groupColumns.map(([, title]) => title), 'note'], groupRows(result, worst)),
    '',
    ...markdownTable(['metric', 'value', 'interval'], [
      ...scoreMetrics.filter((key) => key in result.overall).map((key) => [key, formatValue(result.overall[key]), intervalOf(result, 'overall', key)]),
      ...Object.entries(result.fairness).map(([key, value]) => [key, formatValue(value), intervalOf(result, 'fairness', key)]),
    ]),
  ];
  if (worst) lines.push('', `**Worst gap:** ${worst.title} differs by ${worst.gap.toFixed(3)} between \`${result.groups[worst.low].key}\` and \`${result.groups[worst.high].key}\`.`);
  return `${lines.join('\n')}\n`;
}

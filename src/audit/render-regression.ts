import type { AuditFormat } from './render.js';
import type { RegressionAuditResult } from './regression-audit.js';

/** The per-group columns of the table and markdown outputs (every regression performance metric). */
const groupColumns: [key: string, title: string][] = [
  ['count', 'count'], ['mse', 'mse'], ['rmse', 'rmse'], ['mae', 'mae'], ['r2', 'r2'],
  ['meanPrediction', 'mean pred'], ['meanResidual', 'mean resid'],
];

interface Extremes { low: number; high: number }

/** The table or markdown text of a regression audit (JSON is rendered by renderAudit for both tasks). */
export function renderRegressionAudit(result: RegressionAuditResult, format: Exclude<AuditFormat, 'json'>): string {
  return format === 'markdown' ? renderMarkdown(result) : renderTable(result);
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  return String(value);
}

function intervalOf(result: RegressionAuditResult, section: 'overall' | 'fairness', key: string): string {
  const interval = result.intervals?.[section]?.[key];
  return interval ? `[${interval[0].toFixed(3)}, ${interval[1].toFixed(3)}]` : '';
}

/**
 * The groups with the highest and lowest MSE: MSE is the loss the gaps are built on, and unlike the classification
 * rates the regression values have different units, so the widest of them is not a meaningful "worst gap".
 */
function mseExtremes(result: RegressionAuditResult): Extremes | null {
  let low = -1;
  let high = -1;
  result.groups.forEach((group, index) => {
    const mse = group.mse;
    if (typeof mse !== 'number') return;
    if (low < 0 || mse < (result.groups[low].mse as number)) low = index;
    if (high < 0 || mse > (result.groups[high].mse as number)) high = index;
  });
  return low < 0 || low === high ? null : { low, high };
}

function groupRows(result: RegressionAuditResult, extremes: Extremes | null): string[][] {
  const rows = result.groups.map((group, index) => {
    const mark = extremes?.high === index ? '▲ highest MSE' : extremes?.low === index ? '▼ lowest MSE' : '';
    return [String(group.key), ...groupColumns.map(([key]) => formatValue(group[key])), mark];
  });
  rows.push(['(overall)', ...groupColumns.map(([key]) => formatValue(result.overall[key])), '']);
  return rows;
}

function metricRows(result: RegressionAuditResult, section: 'overall' | 'fairness'): string[][] {
  return Object.entries(result[section])
    .filter(([key]) => key !== 'count')
    .map(([key, value]) => [key, formatValue(value), intervalOf(result, section, key)]);
}

function extremesLine(result: RegressionAuditResult, extremes: Extremes): string {
  const [low, high] = [result.groups[extremes.low], result.groups[extremes.high]];
  const gap = (high.mse as number) - (low.mse as number);
  return `MSE ${formatValue(low.mse)} (${low.key}) vs ${formatValue(high.mse)} (${high.key}), a difference of ${gap.toFixed(3)}`;
}

function alignedTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 || header[column] === '' ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

function renderTable(result: RegressionAuditResult): string {
  const extremes = mseExtremes(result);
  const lines = [
    `fairkit audit (regression): ${result.rows} rows, groups by ${result.sensitive.join(' × ')}; residual = prediction − label`,
    '',
    ...alignedTable(['group', ...groupColumns.map(([, title]) => title), ''], groupRows(result, extremes)),
    '',
  ];
  if (result.intervals) lines.push(...alignedTable(['overall metric', 'value', 'interval'], metricRows(result, 'overall')), '');
  lines.push(...alignedTable(['fairness metric', 'value', 'interval'], metricRows(result, 'fairness')));
  if (extremes) lines.push('', `widest loss gap: ${extremesLine(result, extremes)}`);
  return `${lines.join('\n')}\n`;
}

/** Cells escaped: intersectional group keys contain '|'. */
function markdownTable(header: string[], rows: string[][]): string[] {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map(line)];
}

function renderMarkdown(result: RegressionAuditResult): string {
  const extremes = mseExtremes(result);
  const lines = [
    '## fairkit audit (regression)',
    '',
    `${result.rows} rows; groups by ${result.sensitive.map((name) => `\`${name}\``).join(' × ')}; residual = prediction − label.`,
    '',
    ...markdownTable(['group', ...groupColumns.map(([, title]) => title), 'note'], groupRows(result, extremes)),
    '',
    ...markdownTable(['metric', 'value', 'interval'], [...(result.intervals ? metricRows(result, 'overall') : []), ...metricRows(result, 'fairness')]),
  ];
  if (extremes) lines.push('', `**Widest loss gap:** ${extremesLine(result, extremes)}.`);
  return `${lines.join('\n')}\n`;
}

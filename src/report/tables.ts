import type { StudySummary } from '../bench/aggregate.js';
import { compareWithFfb } from '../bench/ffb-reference.js';
import type { Stat } from '../bench/stats.js';
import type { MetricName } from '../metrics/metric-definition.js';
import { regressionHypervolumeTable, regressionMethodsTable } from './regression-tables.js';

/** A table for any output (Markdown, HTML, terminal): text cells, numeric columns right-aligned. */
export interface Table {
  header: string[];
  rows: string[][];
  numeric: boolean[];
}

const METHOD_COLUMNS = [
  ['accuracy', 'acc'], ['ap', 'AP'], ['demographicParityDifference', 'ΔDP'], ['equalizedOddsSum', 'ΔEO (sum)'],
  ['equalOpportunityDifference', 'ΔEOpp'],
] as const satisfies readonly (readonly [MetricName, string])[]; // a misspelt metric name fails to compile

/** mean ± std in % with two decimals, as FFB reports. */
export function percent(stat: Pick<Stat, 'mean' | 'std'>): string {
  if (stat.mean === null) return '—';
  return stat.std === null ? (100 * stat.mean).toFixed(2) : `${(100 * stat.mean).toFixed(2)} ± ${(100 * stat.std).toFixed(2)}`;
}

function ratio(value: number | null | undefined): string {
  return typeof value === 'number' ? value.toFixed(3) : '—';
}

/**
 * One row per method and λ: test metrics ×100 (mean ± sd over runs), ERM-normalised trade-off, training time.
 * A regression study has its own columns (regression-tables.ts).
 */
export function methodsTable(study: StudySummary): Table {
  if (study.task === 'regression') return regressionMethodsTable(study);
  const [apEo, accDp] = study.tradeoffs;
  const normalised = (tradeoff: typeof apEo, key: string) => tradeoff.points.find((point) => point.config === key);
  return {
    header: ['method', 'runs', ...METHOD_COLUMNS.map(([, title]) => title), 'AP/ERM', 'ΔEO/ERM', 'acc/ERM', 'ΔDP/ERM', 'train s'],
    numeric: [false, true, ...METHOD_COLUMNS.map(() => true), true, true, true, true, true],
    rows: study.configs.map((config) => [
      config.label + (apEo.front.includes(config.key) || accDp.front.includes(config.key) ? ' *' : ''),
      String(config.runs),
      ...METHOD_COLUMNS.map(([key]) => percent(config.metrics[key])),
      ratio(normalised(apEo, config.key)?.normalisedUtility),
      ratio(normalised(apEo, config.key)?.normalisedGap),
      ratio(normalised(accDp, config.key)?.normalisedUtility),
      ratio(normalised(accDp, config.key)?.normalisedGap),
      config.trainSeconds.mean === null ? '—' : config.trainSeconds.mean.toFixed(1),
    ]),
  };
}

/** Hypervolume of each method's ERM-normalised points, in both planes (higher is better; ERM is 0). */
export function hypervolumeTable(study: StudySummary): Table {
  if (study.task === 'regression') return regressionHypervolumeTable(study);
  const methods = [...new Set(study.configs.map((config) => config.method))];
  const [apEo, accDp] = study.tradeoffs;
  return {
    header: ['method', 'hypervolume AP × ΔEO', 'hypervolume acc × ΔDP'],
    numeric: [false, true, true],
    rows: [
      ...methods.map((method) => [method, ratio(apEo.hypervolume.byMethod[method]), ratio(accDp.hypervolume.byMethod[method])]),
      ['(all methods)', ratio(apEo.hypervolume.all), ratio(accDp.hypervolume.all)],
    ],
  };
}

/** ERM under the FFB protocol beside FFB's published ERM row, or null when there is none to compare with. */
export function ffbTable(study: StudySummary): { title: string; table: Table } | null {
  const comparison = compareWithFfb(study);
  if (!comparison) return null;
  return {
    title: `${comparison.title}: ERM, ${comparison.runs} run${comparison.runs === 1 ? '' : 's'}, beside FFB Table 4 (%)`,
    table: {
      header: ['metric', 'FFB', 'fairkit', 'difference', 'within FFB\'s 1 sd'],
      numeric: [false, true, true, true, false],
      rows: comparison.rows.map((row) => [
        row.metric,
        `${row.ffb[0].toFixed(2)} ± ${row.ffb[1].toFixed(2)}`,
        row.fairkit === null ? '—' : percent({ mean: row.fairkit[0] / 100, std: row.fairkit[1] === null ? null : row.fairkit[1] / 100 }),
        row.fairkit === null ? '—' : (row.fairkit[0] - row.ffb[0]).toFixed(2),
        row.withinOneSd === null ? '—' : row.withinOneSd ? 'yes' : 'no',
      ]),
    },
  };
}

export function markdownTable(table: Table): string[] {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `| ${table.header.map(escape).join(' | ')} |`,
    `|${table.numeric.map((numeric) => (numeric ? '---:' : '---')).join('|')}|`,
    ...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ];
}

export function textTable(table: Table): string[] {
  const widths = table.header.map((title, column) => Math.max(title.length, ...table.rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (table.numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
  return [line(table.header), ...table.rows.map(line)];
}

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureWritableFolder, writeFileAtomic } from '../io/atomic-write.js';
import type { ChartSpec } from './charts.js';
import { escapeHtml, htmlTable, REPORT_STYLE } from './html.js';
import { runContributionChart, runCurvesChart, runGroupChart } from './run-charts.js';
import { readTrainRun, type RunMetrics } from './run-files.js';
import { markdownTable, type Table } from './tables.js';
import { renderSvg, scopeSvgIds } from './vega-svg.js';

const CHART_FOLDER = 'charts';

/**
 * The report of one `fairkit train --out` run: its test metrics, per-group rates, training curves and, when the
 * run tracked it, GCM's contribution disparity over training. Writes report.html (self-contained), report.md and
 * charts/*.svg into `out` (default: the run folder); each file whole or not at all.
 */
export async function buildRunReport(folder: string, options: { out?: string; now?: Date } = {}): Promise<{ html: string; markdown: string; charts: string[] }> {
  const { metrics, contribution } = readTrainRun(folder);
  const out = options.out ?? folder;
  ensureWritableFolder(out, options.out ? '--out' : 'report folder');
  mkdirSync(join(out, CHART_FOLDER), { recursive: true });
  const specs: ChartSpec[] = [runGroupChart(metrics), runCurvesChart(metrics)];
  if (contribution && contribution.records.length > 0) specs.push(runContributionChart(contribution));
  const charts: (ChartSpec & { file: string; svg: string })[] = [];
  for (const chart of specs) {
    const file = `${CHART_FOLDER}/run-${chart.id}.svg`;
    const svg = await renderSvg(chart.spec);
    writeFileAtomic(join(out, file), svg);
    charts.push({ ...chart, file, svg });
  }
  const title = `fairkit run: ${metrics.method} on ${metrics.dataset}`;
  const about = `Sensitive ${metrics.sensitive.join(' × ')}; parameters ${JSON.stringify(metrics.params)}; seed ${metrics.seed}; ${metrics.epochs} epochs in ${metrics.trainSeconds.toFixed(1)} s. Generated ${(options.now ?? new Date()).toISOString()} from ${join(folder, 'metrics.json')}.`;
  const tables = [summaryTable('Test split, overall', metrics.test.overall), summaryTable('Test split, fairness', metrics.test.fairness)];
  const files = { html: join(out, 'report.html'), markdown: join(out, 'report.md') };
  writeFileAtomic(files.markdown, runMarkdown(title, about, tables, charts));
  writeFileAtomic(files.html, runHtml(title, about, tables, charts));
  return { ...files, charts: charts.map((chart) => join(out, chart.file)) };
}

function summaryTable(title: string, values: RunMetrics['test']['overall']): { title: string; table: Table } {
  const rows = Object.entries(values).map(([name, value]) => [name, typeof value !== 'number' ? 'undefined' : Number.isInteger(value) ? String(value) : value.toFixed(4)]);
  return { title, table: { header: ['metric', 'value'], rows, numeric: [false, true] } };
}

function runMarkdown(title: string, about: string, tables: { title: string; table: Table }[], charts: (ChartSpec & { file: string })[]): string {
  return [
    `# ${title}`,
    '',
    about,
    '',
    ...tables.flatMap(({ title: heading, table }) => [`## ${heading}`, '', ...markdownTable(table), '']),
    ...charts.flatMap((chart) => [`## ${chart.title}`, '', `![${chart.title}](${chart.file})`, '', chart.caption, '']),
  ].join('\n');
}

function runHtml(title: string, about: string, tables: { title: string; table: Table }[], charts: (ChartSpec & { file: string; svg: string })[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_STYLE}</style></head>`,
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(about)}</p>`,
    ...tables.flatMap(({ title: heading, table }) => [`<h3>${escapeHtml(heading)}</h3>`, htmlTable(table)]),
    ...charts.flatMap((chart) => [
      `<figure class="chart" id="run-${chart.id}">`,
      `<h3>${escapeHtml(chart.title)}</h3>`,
      scopeSvgIds(chart.svg, `run-${chart.id}`),
      `<figcaption>${escapeHtml(chart.caption)} (<a href="${escapeHtml(chart.file)}">SVG</a>)</figcaption>`,
      '</figure>',
    ]),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

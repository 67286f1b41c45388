import { changeTable, changeTableNote } from './change-table.js';
import { ffbTable, hypervolumeTable, methodsTable, type Table } from './tables.js';
import { REGRESSION_PROTOCOL_NOTES, statisticsNote, trainingOverrides, type ReportModel, type StudyReport } from './model.js';
import { scopeSvgIds } from './vega-svg.js';

export const REPORT_STYLE = `
body { font-family: Helvetica, Arial, sans-serif; max-width: 1180px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; } h3 { font-size: 1.05em; margin-top: 1.5em; }
table { border-collapse: collapse; font-size: .85em; margin: .6em 0 1em; }
th, td { padding: .25em .6em; border-bottom: 1px solid #e4e4e4; white-space: nowrap; }
th { background: #f4f4f4; text-align: left; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { margin: 1.2em 0 2em; } figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: .85em; color: #555; max-width: 60em; margin-top: .4em; }
.note, .warning { font-size: .85em; color: #555; } .warning { color: #a15c00; }
code { background: #f4f4f4; padding: 0 .2em; }`;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function htmlTable(table: Table): string {
  const cell = (tag: 'th' | 'td', text: string, column: number) => `<${tag}${table.numeric[column] ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
  return [
    '<table>',
    `<thead><tr>${table.header.map((title, column) => cell('th', title, column)).join('')}</tr></thead>`,
    `<tbody>${table.rows.map((row) => `<tr>${row.map((text, column) => cell('td', text, column)).join('')}</tr>`).join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function studySection(report: StudyReport): string {
  const { study, protocol } = report;
  const overrides = trainingOverrides(study);
  const ffb = ffbTable(study);
  const parts = [
    `<section class="study" id="${report.slug}">`,
    `<h2>${escapeHtml(report.heading)}</h2>`,
    `<h3>Protocol: ${escapeHtml(protocol.title)}</h3>`,
    `<ul>${[...protocol.description, ...(study.task === 'regression' ? REGRESSION_PROTOCOL_NOTES : [])].map((line) => `<li>${escapeHtml(line)}</li>`).join('')}${overrides ? `<li>Overridden for this run: ${escapeHtml(overrides)}.</li>` : ''}</ul>`,
    '<h3>Methods</h3>',
    htmlTable(methodsTable(study)),
    htmlTable(hypervolumeTable(study)),
  ];
  const change = changeTable(study);
  if (change) parts.push('<h3>Change against ERM</h3>', `<p>${escapeHtml(changeTableNote(study))}</p>`, htmlTable(change));
  if (!study.reference) parts.push('<p class="warning">No ERM runs: nothing to normalise by.</p>');
  if (ffb) parts.push(`<h3>${escapeHtml(ffb.title)}</h3>`, htmlTable(ffb.table));
  for (const chart of report.charts) {
    parts.push(
      `<figure class="chart" id="${report.slug}-${chart.id}">`,
      `<h3>${escapeHtml(chart.title)}</h3>`,
      scopeSvgIds(chart.svg, `${report.slug}-${chart.id}`),
      `<figcaption>${escapeHtml(chart.caption)} (<a href="${escapeHtml(chart.file)}">SVG</a>)</figcaption>`,
      '</figure>',
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** A self-contained page: styles inline, every chart an inline SVG, no script and nothing fetched. */
export function renderHtml(model: ReportModel): string {
  const contents = model.studies.map((report) => `<li><a href="#${report.slug}">${escapeHtml(report.heading)}</a></li>`).join('');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>fairkit bench report</title>',
    `<style>${REPORT_STYLE}</style></head>`,
    '<body>',
    '<h1>fairkit bench report</h1>',
    `<p>${model.trials} trials from <code>${escapeHtml(model.journal)}</code>, generated ${escapeHtml(model.generated)}.${model.command ? ` Last run: <code>${escapeHtml(model.command)}</code>.` : ''}</p>`,
    ...model.warnings.map((warning) => `<p class="warning">${escapeHtml(warning)}</p>`),
    `<p class="note">${escapeHtml(statisticsNote(model))}</p>`,
    `<ul>${contents}</ul>`,
    ...model.studies.map(studySection),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

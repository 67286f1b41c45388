import { changeTable, changeTableNote } from './change-table.js';
import { ffbTable, hypervolumeTable, markdownTable, methodsTable } from './tables.js';
import { REGRESSION_PROTOCOL_NOTES, statisticsNote, trainingOverrides, type ReportModel, type StudyReport } from './model.js';

function studySection(report: StudyReport): string[] {
  const { study, protocol } = report;
  const overrides = trainingOverrides(study);
  const ffb = ffbTable(study);
  const lines = [
    `## ${report.heading}`,
    '',
    `**Protocol: ${protocol.title}.**`,
    '',
    ...protocol.description.map((line) => `- ${line}`),
    ...(study.task === 'regression' ? REGRESSION_PROTOCOL_NOTES.map((line) => `- ${line}`) : []),
    ...(overrides ? [`- Overridden for this run: ${overrides}.`] : []),
    '',
    ...markdownTable(methodsTable(study)),
    '',
    ...markdownTable(hypervolumeTable(study)),
    '',
  ];
  const change = changeTable(study);
  if (change) lines.push('### Change against ERM', '', changeTableNote(study), '', ...markdownTable(change), '');
  if (ffb) lines.push(`### ${ffb.title}`, '', ...markdownTable(ffb.table), '');
  for (const chart of report.charts) lines.push(`### ${chart.title}`, '', `![${chart.title}](${chart.file})`, '', chart.caption, '');
  return lines;
}

/** The report as Markdown: the same tables, the charts as links to their SVG files. */
export function renderMarkdown(model: ReportModel): string {
  return [
    '# fairkit bench report',
    '',
    `${model.trials} trials from \`${model.journal}\`, generated ${model.generated}.${model.command ? ` Last run: \`${model.command}\`.` : ''}`,
    '',
    ...model.warnings.map((warning) => `> warning: ${warning}\n`),
    statisticsNote(model),
    '',
    ...model.studies.flatMap(studySection),
  ].join('\n');
}

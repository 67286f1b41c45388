import { Command, Option } from 'commander';
import { readTable } from '../data/csv.js';
import { FairkitError } from '../errors.js';
import { auditTable } from '../audit/audit-table.js';
import { auditRegressionTable } from '../audit/regression-audit.js';
import { renderAudit, type AuditFormat } from '../audit/render.js';
import { auditByCells, auditEngines, chooseEngine, requireColumns, singleFile, type AuditEngine } from './audit-cells-action.js';
import { choiceOption, listOption, numberOption } from './options.js';
import { categoricalOption, csvOptionsFrom, encodingOption, missingOption, printReadNotes, type ReadFlags } from './read-options.js';

type Task = 'classification' | 'regression';

export interface AuditFlags extends ReadFlags {
  task: Task;
  label?: string;
  pred?: string;
  score?: string;
  sensitive?: string[];
  positive?: string;
  privileged?: string[];
  threshold: number;
  bootstrap?: number;
  seed: number;
  format: AuditFormat;
  engine: AuditEngine;
  partial?: string;
  merge?: boolean;
}

/** Options that only mean something for a classifier, refused with --task regression rather than ignored. */
const classificationOnly: [flag: keyof AuditFlags, option: string, why: string][] = [
  ['score', '--score', 'a regressor has predicted values (--pred), not scores'],
  ['threshold', '--threshold', 'there is no decision threshold on predicted values'],
  ['positive', '--positive', 'the label is a number, not a class'],
  ['privileged', '--privileged', 'no regression metric compares against a privileged group'],
];

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('Fairness audit of predictions in a CSV or Parquet file: per-group performance and every fairness gap.')
    .argument('[files...]', 'CSV file (optionally .gz) with a header row, or Parquet file; with --merge, the shard states to combine')
    .addOption(new Option('--task <task>', 'what the model predicts: a class (classification) or a number (regression)').argParser(choiceOption('--task', ['classification', 'regression'] as const)).default('classification'))
    .option('--label <col>', 'true label column (a number with --task regression); required unless --merge')
    .option('--pred <col>', 'hard prediction column (0/1 or the label values); the predicted value with --task regression')
    .option('--score <col>', 'score or probability column; predictions are score >= threshold when --pred is absent')
    .option('--sensitive <cols>', 'sensitive column(s), comma-separated; several form intersectional groups; required unless --merge', listOption('--sensitive'))
    .option('--positive <value>', "the label's positive value (needed when the label has other than 0/1 values)")
    .option('--privileged <values>', 'privileged value of each sensitive column, comma-separated in the same order', listOption('--privileged'))
    .option('--threshold <t>', 'decision threshold on scores', numberOption('--threshold'), 0.5)
    .option('--bootstrap <n>', 'bootstrap replicates for 95% intervals', numberOption('--bootstrap', { min: 1, integer: true }))
    .option('--seed <s>', 'seed for the bootstrap', numberOption('--seed', { integer: true }), 0)
    .addOption(new Option('--format <format>', 'output format').argParser(choiceOption('--format', ['table', 'json', 'markdown'] as const)).default('table'))
    .addOption(new Option('--engine <engine>', 'memory reads the file into memory; duckdb streams it through DuckDB with memory bounded by the distinct values, not rows (classification only); auto takes duckdb for .parquet and files over 200 MB').argParser(choiceOption('--engine', auditEngines)).default('auto'))
    .option('--partial <state.json>', "write this file's mergeable audit state (counts, not metrics) instead of the audit, e.g. one shard's")
    .option('--merge', 'combine the states given as files (written by --partial) and audit them: exactly the values of one pass over all shards')
    .addOption(encodingOption()).addOption(missingOption()).addOption(categoricalOption())
    .action(async (files: string[], flags: AuditFlags, command: Command) => {
      if (flags.merge || flags.partial || chooseEngine(files, flags, command) === 'duckdb') return auditByCells(files, flags, command);
      const file = singleFile(files);
      requireColumns(flags);
      const { result, notes } = flags.task === 'regression' ? await auditRegressionFile(file, flags, command) : await auditClassificationFile(file, flags);
      printReadNotes(notes);
      for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
      process.stdout.write(renderAudit(result, flags.format));
    });
}

async function auditClassificationFile(file: string, flags: AuditFlags) {
  const table = await readTable(file, csvOptionsFrom(flags, flags.score ? { [flags.score]: 'numeric' } : {}));
  return { result: auditTable(table, { ...flags, label: flags.label!, sensitive: flags.sensitive!, source: file }), notes: table.notes };
}

async function auditRegressionFile(file: string, flags: AuditFlags, command: Command) {
  for (const [flag, option, why] of classificationOnly) {
    // --threshold has a default, so ask where the value came from rather than whether there is one.
    if (command.getOptionValueSource(flag) === 'cli') {
      throw new FairkitError(`${option} is for classification and cannot be used with --task regression: ${why}`);
    }
  }
  if (!flags.pred) throw new FairkitError('--task regression needs --pred COL, the column of predicted values');
  // Declared numeric, so a cell that is not a number fails while reading, naming the file, line and column.
  const table = await readTable(file, csvOptionsFrom(flags, { [flags.label!]: 'numeric', [flags.pred]: 'numeric' }));
  return { result: auditRegressionTable(table, { ...flags, label: flags.label!, sensitive: flags.sensitive!, source: file }), notes: table.notes };
}

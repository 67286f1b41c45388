import type { Table } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { buildGroups } from '../data/groups.js';
import { evaluateRegression } from '../metrics/regression-compute.js';
import { bootstrapRegressionIntervals, type RegressionBootstrapIntervals } from '../metrics/regression-bootstrap.js';
import { numericColumn } from './columns.js';

export interface RegressionAuditOptions {
  /** The column of true values. */
  label: string;
  /** The column of predicted values. */
  pred?: string;
  sensitive: string[];
  bootstrap?: number;
  seed?: number;
  /** Where the table came from, for error messages. */
  source: string;
}

/** What `fairkit audit --task regression` reports; `overall`, `groups` and `fairness` as in the classification audit. */
export interface RegressionAuditResult {
  task: 'regression';
  rows: number;
  sensitive: string[];
  overall: Record<string, number | null>;
  groups: Record<string, unknown>[];
  fairness: Record<string, number | null>;
  intervals?: RegressionBootstrapIntervals;
  warnings: string[];
}

/** Audits a table of true values, predicted values and sensitive columns: the engine behind `--task regression`. */
export function auditRegressionTable(table: Table, options: RegressionAuditOptions): RegressionAuditResult {
  if (!options.pred) throw new FairkitError('--task regression needs --pred COL, the column of predicted values');
  for (const name of [options.label, options.pred, ...options.sensitive]) {
    if (!table.columns.has(name)) {
      throw new FairkitError(`unknown column '${name}'`, { where: options.source, fix: `Columns are: ${table.names.join(', ')}` });
    }
  }
  if (table.nRows === 0) throw new FairkitError('the file has no data rows', { where: options.source });
  // Both must be numbers in every row; the error names the file, line and column of the first that is not.
  const yTrue = numericColumn(table, options.label);
  const yPred = numericColumn(table, options.pred);
  const groups = buildGroups(table, options.sensitive);
  if (groups.keys.length < 2) {
    const several = options.sensitive.length > 1;
    throw new FairkitError(`the sensitive column${several ? 's' : ''} ${options.sensitive.join(', ')} hold${several ? '' : 's'} a single group ('${groups.keys[0]}'); a fairness audit needs at least two`, { where: options.source });
  }
  const input = { yTrue, yPred, groupIds: groups.ids, groups };
  const report = evaluateRegression(input);
  const result: RegressionAuditResult = {
    task: 'regression',
    rows: table.nRows,
    sensitive: options.sensitive,
    overall: { ...report.overall },
    groups: report.groups.map((group) => ({ ...group })),
    fairness: { ...report.fairness },
    warnings: [...report.warnings],
  };
  if (options.bootstrap) {
    const intervals = bootstrapRegressionIntervals(input, { replicates: options.bootstrap, seed: options.seed ?? 0 });
    result.intervals = intervals;
    result.warnings.push(...intervals.warnings);
  }
  return result;
}

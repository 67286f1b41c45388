import type { Table } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { buildGroups, labelsFrom } from '../data/groups.js';
import { evaluate } from '../metrics/compute.js';
import { bootstrapIntervals } from '../metrics/bootstrap.js';
import { performanceMetricNames } from '../metrics/registry.js';
import type { MetricReport } from '../metrics/report-types.js';
import { binaryColumn, distinctValues, numericColumn } from './columns.js';

export interface AuditOptions {
  label: string;
  pred?: string;
  score?: string;
  sensitive: string[];
  positive?: string;
  /** The privileged value of each sensitive column, in the same order (for averageOddsDifference and GCM's EOP). */
  privileged?: string[];
  threshold?: number;
  bootstrap?: number;
  seed?: number;
  /** Where the table came from, for error messages. */
  source: string;
}

export interface AuditResult {
  rows: number;
  sensitive: string[];
  positive: string;
  overall: Record<string, number | null>;
  groups: Record<string, unknown>[];
  fairness: Record<string, number | null>;
  intervals?: unknown;
  warnings: string[];
}

// Every row has these; the score metrics are reported overall only (per group they rest on few rows).
const groupKeys: string[] = performanceMetricNames({ scores: false });
const scoreKeys: string[] = performanceMetricNames({ scores: true });

/** Audits one table of labels, predictions or scores, and sensitive columns: the engine behind `fairkit audit`. */
export function auditTable(table: Table, options: AuditOptions): AuditResult {
  const wanted = [options.label, ...(options.pred ? [options.pred] : []), ...(options.score ? [options.score] : []), ...options.sensitive];
  for (const name of wanted) {
    if (!table.columns.has(name)) {
      throw new FairkitError(`unknown column '${name}'`, { where: options.source, fix: `Columns are: ${table.names.join(', ')}` });
    }
  }
  if (!options.pred && !options.score) throw new FairkitError('give --pred COL or --score COL (or both)');
  if (table.nRows === 0) throw new FairkitError('the file has no data rows', { where: options.source });

  const { y, positive } = labelsFrom(table, options.label, options.positive);
  const scores = options.score ? numericColumn(table, options.score) : undefined;
  const yPred = options.pred ? binaryColumn(table, options.pred, positive, distinctValues(table, options.label), options.source) : undefined;
  const groups = buildGroups(table, options.sensitive, { privileged: privilegedValues(options) });
  checkAuditGroups(groups.keys, groups.privileged, options);

  const input = { yTrue: y, yPred, scores, groupIds: groups.ids, groups, threshold: options.threshold ?? 0.5 };
  const result = auditResultOf(evaluate(input), table.nRows, options, positive);
  if (options.bootstrap) {
    const intervals = bootstrapIntervals(input, { replicates: options.bootstrap, seed: options.seed ?? 0 });
    result.intervals = intervals;
    result.warnings.push(...(intervals.warnings ?? []));
  }
  return result;
}

/** The privileged value of each sensitive column as a record, after checking there is one per column. */
export function privilegedValues(options: Pick<AuditOptions, 'sensitive' | 'privileged'>): Record<string, string> | undefined {
  if (options.privileged && options.privileged.length !== options.sensitive.length) {
    throw new FairkitError(`--privileged needs one value per sensitive column (${options.sensitive.join(', ')}), got ${options.privileged.length}`);
  }
  return options.privileged ? Object.fromEntries(options.sensitive.map((name, i) => [name, options.privileged![i]])) : undefined;
}

/** An audit needs two groups at least, and the privileged group (when one is named) among them. */
export function checkAuditGroups(keys: string[], privileged: number | undefined, options: Pick<AuditOptions, 'sensitive' | 'privileged' | 'source'>): void {
  if (options.privileged && privileged === undefined) {
    throw new FairkitError(`no rows belong to the privileged group ${options.privileged.join('|')}`, { where: options.source, fix: `Groups are: ${keys.join(', ')}` });
  }
  if (keys.length < 2) {
    throw new FairkitError(`the sensitive column${options.sensitive.length > 1 ? 's' : ''} ${options.sensitive.join(', ')} hold${options.sensitive.length > 1 ? '' : 's'} a single group ('${keys[0]}'); a fairness audit needs at least two`, { where: options.source });
  }
}

/** The audit's result from the metric report of its rows (bootstrap intervals are added by the caller). */
export function auditResultOf(report: MetricReport, rows: number, options: Pick<AuditOptions, 'sensitive'>, positive: string): AuditResult {
  const keepOverall = [...groupKeys, ...('ap' in report.overall ? scoreKeys : [])];
  return {
    rows,
    sensitive: options.sensitive,
    positive,
    overall: pick(report.overall, keepOverall),
    groups: report.groups.map((group) => ({ key: group.key, values: group.values, ...pick(group, groupKeys) })),
    fairness: { ...report.fairness },
    warnings: [...report.warnings],
  };
}

function pick(source: object, keys: string[]): Record<string, number | null> {
  const values = source as Record<string, number | null>;
  return Object.fromEntries(keys.filter((key) => key in values).map((key) => [key, values[key]]));
}

import { isNonFinite, MOSTLY_NUMERIC, parseDecimal } from '../data/column-typing.js';
import { positiveLabel } from '../data/labels.js';
import { FairkitError } from '../errors.js';
import { computeMetrics } from '../metrics/compute.js';
import { MetricState } from '../metrics/state.js';
import { type AuditCells, textColumns } from './audit-cells.js';
import { auditResultOf, checkAuditGroups, privilegedValues, type AuditResult } from './audit-table.js';
import { predictedPositive } from './columns.js';

export interface CellsAuditOptions {
  /** The label's positive value (inferred as `fairkit audit` does when absent). */
  positive?: string;
  privileged?: string[];
  /** Where the cells came from, for error messages. */
  source: string;
}

/**
 * The classification audit of counted rows: the same values as auditTable on the rows themselves. Each column is
 * typed, the positive label and the prediction coding chosen, and groups keyed exactly as when reading a whole file;
 * then a cell of k identical rows enters the metric state as one row of weight k. The TypeScript metric engine
 * stays the one definition of every metric: with integer weights every weighted sum (confusion counts, the ranking
 * walk of AP and ROC-AUC) is the unweighted sum exactly; only the log-loss sum is rounded differently (k·loss
 * instead of loss + … + loss), and `count`, the unweighted rows, is taken from the cells.
 */
export function auditFromCells(cells: AuditCells, options: CellsAuditOptions): AuditResult {
  const { columns } = cells;
  const total = cells.rows;
  if (total === 0) throw new FairkitError('the file has no data rows', { where: options.source });
  const texts = textColumns(columns).map((name, k) => typedTexts(name, cells, k, columns.categorical.includes(name), options.source));
  const nSensitive = columns.sensitive.length;
  const labelTexts = texts[nSensitive];
  const labelValues = usedValues(labelTexts, cells.ids[nSensitive]);
  const positive = positiveLabel(columns.label, labelValues, options.positive);
  const predTexts = columns.pred === null ? null : texts[nSensitive + 1];
  const onesAre = predTexts === null ? null : predictedPositive(columns.pred!, usedValues(predTexts, cells.ids[nSensitive + 1]), positive, labelValues, options.source);

  const cellKeys = groupKeysOfCells(cells, texts.slice(0, nSensitive), options.source);
  const keys = [...new Set(cellKeys)].sort();
  const idOfKey = new Map(keys.map((key, id) => [key, id]));
  const privileged = privilegedValues({ sensitive: columns.sensitive, privileged: options.privileged });
  const privilegedId = privileged && idOfKey.get(columns.sensitive.map((name) => privileged[name]).join('|'));
  checkAuditGroups(keys, privilegedId, { sensitive: columns.sensitive, privileged: options.privileged, source: options.source });

  const n = cells.size;
  const yTrue = new Uint8Array(n);
  const yPred = onesAre === null ? undefined : new Uint8Array(n);
  const groupIds = new Int32Array(n);
  const rowsPerGroup = new Float64Array(keys.length);
  for (let i = 0; i < n; i++) {
    yTrue[i] = labelTexts[cells.ids[nSensitive][i]] === positive ? 1 : 0;
    if (yPred !== undefined) yPred[i] = predTexts![cells.ids[nSensitive + 1][i]] === onesAre ? 1 : 0;
    groupIds[i] = idOfKey.get(cellKeys[i])!;
    rowsPerGroup[groupIds[i]] += cells.counts[i];
  }
  const state = new MetricState(keys.length);
  state.update({
    yTrue,
    yPred,
    scores: columns.score === null ? undefined : cells.scores,
    groups: groupIds,
    weights: cells.counts,
    threshold: columns.threshold,
  });
  const values = keys.map((key) => Object.fromEntries(key.split('|').map((value, i) => [columns.sensitive[i], value])));
  const report = computeMetrics(state, { keys, values, privileged: privilegedId });
  report.overall.count = total;
  report.groups.forEach((group, g) => (group.count = rowsPerGroup[g]));
  return auditResultOf(report, total, columns, positive);
}

/** The values of a column used by some cell (a merged dictionary may hold values no cell refers to). */
function usedValues(texts: string[], ids: number[]): string[] {
  const used = new Set<string>();
  for (const id of ids) used.add(texts[id]);
  return [...used];
}

/** Each cell's group key: its sensitive values joined by '|', as buildGroups makes them. */
function groupKeysOfCells(cells: AuditCells, sensitiveTexts: string[][], source: string): string[] {
  sensitiveTexts.forEach((texts, k) => {
    const bad = texts.find((text) => text.includes('|'));
    if (bad !== undefined) throw new FairkitError(`value "${bad}" of sensitive column "${cells.columns.sensitive[k]}" contains "|", which joins group keys`, { where: source });
  });
  return cells.counts.map((_, i) => sensitiveTexts.map((texts, k) => texts[cells.ids[k][i]]).join('|'));
}

/**
 * A text column's values as reading the whole file would write them (column-typing.ts): a column of finite
 * decimals is numeric, so '1.0' reads as '1'; otherwise its values stay as written. The rule counts rows, which
 * the cells give per value.
 */
function typedTexts(name: string, cells: AuditCells, k: number, categorical: boolean, source: string): string[] {
  const dictionary = cells.dictionaries[k];
  if (categorical) return dictionary;
  const numbers = dictionary.map(parseDecimal);
  if (numbers.every((value) => !Number.isNaN(value))) return numbers.map(String);
  const rowsOf = new Float64Array(dictionary.length);
  cells.ids[k].forEach((id, i) => (rowsOf[id] += cells.counts[i]));
  let present = 0;
  let numeric = 0;
  dictionary.forEach((text, id) => {
    present += rowsOf[id];
    if (!Number.isNaN(numbers[id])) numeric += rowsOf[id];
  });
  const strays = dictionary.filter((_, id) => Number.isNaN(numbers[id]) && rowsOf[id] > 0);
  const allNonFinite = strays.every(isNonFinite);
  if (allNonFinite || numeric >= MOSTLY_NUMERIC * present) {
    const why = allNonFinite ? 'a numeric column holds finite numbers only' : `${numeric} of the column's ${present} values are numbers`;
    throw new FairkitError(`"${strays[0]}" is not a number, but ${why}`, {
      where: `${source}, column "${name}"`,
      fix: `If "${strays[0]}" means missing, list it (--missing ${strays[0]}); if the column is categorical, declare it (--categorical ${name})`,
    });
  }
  return dictionary;
}

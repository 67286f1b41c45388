import { FairkitError } from '../errors.js';
import { binCuts, binIndex, binLabels, type Binning } from './binning.js';
import { cellText, getColumn, rowPlace } from './table.js';
import type { GroupIndex, Table } from './types.js';

export type { Binning } from './binning.js';
export { labelsFrom } from './labels.js';

export interface GroupOptions {
  /** Privileged value per sensitive column (a bin label for binned columns). */
  privileged?: Record<string, string>;
  /** Binning of continuous sensitive columns. */
  binning?: Binning[];
  /** A fixed key list (e.g. the training split's), instead of the sorted keys found in `table`. */
  keys?: string[];
  /** With `keys`: give rows of a group not in `keys` the id -1 instead of failing. */
  allowUnseen?: boolean;
  /** With `allowUnseen`: a row with a missing sensitive value gets the id -1 too (an unknown group). */
  missingAsUnknown?: boolean;
}

const SEPARATOR = '|';

/**
 * Group ids from one or more sensitive columns. A row's key is its values joined by '|' in the order of
 * `sensitive` (e.g. "Black|Female"), so several columns give intersectional groups; keys are sorted.
 */
export function buildGroups(table: Table, sensitive: string[], options: GroupOptions = {}): GroupIndex {
  if (sensitive.length === 0) throw new FairkitError('no sensitive column was given', { fix: 'Name at least one' });
  for (const binning of options.binning ?? []) {
    if (!sensitive.includes(binning.column)) {
      throw new FairkitError(`binning is given for "${binning.column}", which is not a sensitive column`, {
        fix: `Sensitive columns: ${sensitive.join(', ')}`,
      });
    }
  }
  if (options.missingAsUnknown && !(options.keys && options.allowUnseen)) {
    throw new FairkitError('missingAsUnknown needs the known keys and allowUnseen: it maps rows onto existing groups');
  }
  const cuts: Record<string, number[]> = {};
  const valuesByAttribute = sensitive.map((name) => attributeValues(table, name, options.binning, cuts, options.missingAsUnknown ?? false));
  const rowKeys = Array.from({ length: table.nRows }, (_, row) => {
    const values = valuesByAttribute.map((column) => column[row]);
    return values.includes(null) ? null : values.join(SEPARATOR);
  });
  const keys = options.keys ? [...options.keys] : [...new Set(rowKeys as string[])].sort();
  const idOfKey = new Map(keys.map((key, id) => [key, id]));
  const ids = new Int32Array(table.nRows);
  rowKeys.forEach((key, row) => {
    if (key === null) {
      ids[row] = -1;
      return;
    }
    const id = idOfKey.get(key);
    if (id === undefined && !options.allowUnseen) {
      throw new FairkitError(`row ${row + 1} belongs to group "${key}", which is not among the known groups`, {
        fix: `Known groups: ${keys.join(', ')}; pass allowUnseen to give such rows the id -1`,
      });
    }
    ids[row] = id ?? -1;
  });
  const values = keys.map((key) => valuesOfKey(key, sensitive));
  return { attributes: [...sensitive], keys, values, ids, privileged: privilegedId(sensitive, idOfKey, options.privileged), ...(Object.keys(cuts).length > 0 ? { cuts } : {}) };
}

/**
 * One string per row: the value itself, or its bin label when the column is binned (its cuts go into `usedCuts`).
 * A missing value is an error, or null when `missingAllowed`.
 */
function attributeValues(table: Table, name: string, binnings: Binning[] = [], usedCuts: Record<string, number[]>, missingAllowed: boolean): (string | null)[] {
  const column = getColumn(table, name, 'sensitive column');
  const binning = binnings.find((candidate) => candidate.column === name);
  if (binning && column.kind !== 'numeric') {
    throw new FairkitError(`sensitive column "${name}" is categorical and cannot be binned`, {
      fix: 'Drop its binning, or read the column as numeric',
    });
  }
  const cuts = binning ? binCuts(column.values as Float64Array, binning) : [];
  const labels = binning ? binLabels(cuts) : [];
  if (binning) usedCuts[name] = cuts;
  return Array.from({ length: table.nRows }, (_, row) => {
    const text = cellText(column, row);
    if (text === null) {
      if (missingAllowed) return null;
      throw new FairkitError(`sensitive column "${name}" has a missing value`, {
        where: rowPlace(table, row),
        fix: 'Drop rows with missing sensitive values first',
      });
    }
    if (binning) return labels[binIndex(column.values[row] as number, cuts)];
    if (text.includes(SEPARATOR)) {
      throw new FairkitError(`value "${text}" of sensitive column "${name}" contains "${SEPARATOR}", which joins group keys`, {
        where: rowPlace(table, row),
      });
    }
    return text;
  });
}

function valuesOfKey(key: string, attributes: string[]): Record<string, string> {
  const parts = key.split(SEPARATOR);
  if (parts.length !== attributes.length) {
    throw new FairkitError(`group key "${key}" does not have one value for each of ${attributes.join(', ')}`);
  }
  return Object.fromEntries(attributes.map((attribute, i) => [attribute, parts[i]]));
}

function privilegedId(
  attributes: string[],
  idOfKey: Map<string, number>,
  privileged: Record<string, string> = {},
): number | undefined {
  if (!attributes.every((attribute) => attribute in privileged)) return undefined;
  return idOfKey.get(attributes.map((attribute) => privileged[attribute]).join(SEPARATOR));
}

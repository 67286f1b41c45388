import { z } from 'zod';
import { binIndex, binLabels } from '../data/binning.js';
import { cellText, getColumn } from '../data/table.js';
import type { Table } from '../data/types.js';

/** What `fairkit train --out` records about the groups (model.json, extra.groups). */
const savedGroupsSchema = z.object({
  attributes: z.array(z.string()).min(1),
  keys: z.array(z.string()).min(1),
  binning: z.array(z.object({ column: z.string(), cuts: z.array(z.number()).optional(), quantiles: z.number().optional() })).optional(),
});

export type GroupLookup = { ids: Int32Array; unseen: number; missing: number } | { ids: undefined; reason: string };

/**
 * The training groups' ids of a prediction file's rows, for models whose prediction depends on the group
 * (GroupMixNorm's per-group running statistics). A row whose group was not seen in training (`unseen`), or with
 * an empty sensitive cell (`missing`), gets -1: the model's no-group fallback. Without the sensitive columns in
 * the file, or without the saved groups, there are no ids and the reason says why.
 */
export function groupIdsForPrediction(extra: unknown, table: Table): GroupLookup {
  const saved = savedGroupsSchema.safeParse((extra as { groups?: unknown } | undefined)?.groups);
  if (!saved.success) return { ids: undefined, reason: 'the model folder does not record its groups' };
  const { attributes, keys, binning = [] } = saved.data;
  const absent = attributes.filter((name) => !table.columns.has(name));
  if (absent.length > 0) return { ids: undefined, reason: `the file has no sensitive column ${absent.join(', ')}` };
  // Training records the cut points it used; a binning without them (quantiles) cannot be recomputed on new rows.
  if (binning.some((entry) => entry.cuts === undefined)) return { ids: undefined, reason: 'the model folder records no cut points for its binned sensitive attribute' };
  const valueOf = attributes.map((name) => {
    const column = getColumn(table, name, 'sensitive column');
    const cuts = binning.find((entry) => entry.column === name)?.cuts;
    if (!cuts) return (row: number) => cellText(column, row);
    const labels = binLabels(cuts);
    return (row: number) => (column.kind === 'numeric' && !Number.isNaN(column.values[row]) ? labels[binIndex(column.values[row], cuts)] : null);
  });
  const idOfKey = new Map(keys.map((key, id) => [key, id]));
  const ids = new Int32Array(table.nRows);
  let missing = 0;
  let unseen = 0;
  for (let row = 0; row < table.nRows; row++) {
    const values = valueOf.map((value) => value(row));
    const complete = !values.includes(null);
    const id = complete ? idOfKey.get(values.join('|')) : undefined;
    if (!complete) missing++;
    else if (id === undefined) unseen++;
    ids[row] = id ?? -1;
  }
  return { ids, unseen, missing };
}

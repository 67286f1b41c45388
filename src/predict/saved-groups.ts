import { z } from 'zod';
import { buildGroups } from '../data/groups.js';
import { isMissing } from '../data/table.js';
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
  const groups = buildGroups(table, attributes, { keys, allowUnseen: true, missingAsUnknown: true, binning });
  const missing = countRows(table.nRows, (row) => attributes.some((name) => isMissing(table.columns.get(name)!, row)));
  const unseen = countRows(table.nRows, (row) => groups.ids[row] < 0) - missing;
  return { ids: groups.ids, unseen, missing };
}

function countRows(nRows: number, holds: (row: number) => boolean): number {
  let count = 0;
  for (let row = 0; row < nRows; row++) if (holds(row)) count++;
  return count;
}

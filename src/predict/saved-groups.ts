import { z } from 'zod';
import { buildGroups } from '../data/groups.js';
import type { Table } from '../data/types.js';

/** What `fairkit train --out` records about the groups (model.json, extra.groups). */
const savedGroupsSchema = z.object({
  attributes: z.array(z.string()).min(1),
  keys: z.array(z.string()).min(1),
  binning: z.array(z.object({ column: z.string(), cuts: z.array(z.number()).optional(), quantiles: z.number().optional() })).optional(),
});

export type GroupLookup = { ids: Int32Array; unseen: number } | { ids: undefined; reason: string };

/**
 * The training groups' ids of a prediction file's rows, for models whose prediction depends on the group
 * (GroupMixNorm's per-group running statistics). Rows of a group not seen in training get -1 (the model's
 * no-group fallback). Without the sensitive columns in the file, or without the saved groups, there are no ids
 * and the reason says why.
 */
export function groupIdsForPrediction(extra: unknown, table: Table, header: string[]): GroupLookup {
  const saved = savedGroupsSchema.safeParse((extra as { groups?: unknown } | undefined)?.groups);
  if (!saved.success) return { ids: undefined, reason: 'the model folder does not record its groups' };
  const { attributes, keys, binning } = saved.data;
  const absent = attributes.filter((name) => !header.includes(name));
  if (absent.length > 0) return { ids: undefined, reason: `the file has no sensitive column ${absent.join(', ')}` };
  // Quantile cut points depend on the data they were taken from, so they cannot be recomputed on new rows.
  if (binning?.some((entry) => entry.cuts === undefined)) return { ids: undefined, reason: 'the sensitive attribute was binned by quantiles' };
  const groups = buildGroups(table, attributes, { keys, allowUnseen: true, binning });
  return { ids: groups.ids, unseen: groups.ids.filter((id) => id < 0).length };
}

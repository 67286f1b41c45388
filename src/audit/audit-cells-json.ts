import { z } from 'zod';
import { FairkitError } from '../errors.js';
import { decodeFloats, encodeFloats, jsonFloats, parseJson } from '../metrics/json-codec.js';
import { AuditCells, textColumns } from './audit-cells.js';

/** Version 1 of a shard's audit state (`fairkit audit --partial`), plain JSON. */
const auditStateSchema = z.object({
  format: z.literal('fairkit-audit-state'),
  version: z.literal(1),
  columns: z.object({
    label: z.string(),
    pred: z.string().nullable(),
    score: z.string().nullable(),
    sensitive: z.array(z.string()).min(1),
    threshold: z.number(),
    categorical: z.array(z.string()),
  }),
  dictionaries: z.array(z.array(z.string())),
  cells: z.object({
    ids: z.array(z.array(z.number().int().nonnegative())),
    scores: jsonFloats.nullable(),
    counts: z.array(z.number().int().positive()),
  }),
});

export type AuditStateJson = z.infer<typeof auditStateSchema>;

export function auditCellsToJson(cells: AuditCells): AuditStateJson {
  return {
    format: 'fairkit-audit-state',
    version: 1,
    columns: cells.columns,
    dictionaries: cells.dictionaries,
    cells: { ids: cells.ids, scores: cells.columns.score === null ? null : encodeFloats(cells.scores), counts: cells.counts },
  };
}

/** A shard's state from its JSON (object or text), validated; `where` names the file in errors. */
export function auditCellsFromJson(json: unknown, where: string): AuditCells {
  const parsed = parseJson(auditStateSchema, json, where);
  const { columns, dictionaries, cells } = parsed;
  const texts = textColumns(columns);
  if (dictionaries.length !== texts.length || cells.ids.length !== texts.length) {
    throw inconsistent(`the columns ${texts.join(', ')} need ${texts.length} dictionaries and id lists`, where);
  }
  const n = cells.counts.length;
  if (cells.ids.some((ids) => ids.length !== n)) throw inconsistent(`every id list must have one entry per cell (${n})`, where);
  if ((cells.scores === null) !== (columns.score === null)) throw inconsistent('scores are given exactly when there is a score column', where);
  const scores = cells.scores === null ? null : decodeFloats(cells.scores);
  if (scores !== null && (scores.length !== n || scores.some((s) => !Number.isFinite(s)))) {
    throw inconsistent(`scores must be ${n} finite numbers`, where);
  }
  const state = new AuditCells(columns);
  const row = new Array<string>(texts.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < texts.length; k++) {
      const text = dictionaries[k][cells.ids[k][i]];
      if (text === undefined) throw inconsistent(`cell ${i} refers to value ${cells.ids[k][i]} of column '${texts[k]}', which has ${dictionaries[k].length}`, where);
      row[k] = text;
    }
    state.add(row, scores === null ? NaN : scores[i], cells.counts[i]);
  }
  return state;
}

function inconsistent(what: string, where: string): FairkitError {
  return new FairkitError(what, { where, fix: 'pass a file written by fairkit audit --partial, unmodified' });
}

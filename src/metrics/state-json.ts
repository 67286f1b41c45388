import { z } from 'zod';
import { decodeFloats, inconsistent, jsonFloats, parseJson } from './json-codec.js';

/** Version 1 of a MetricState as plain JSON (MetricState.toJSON). */
export const metricStateJsonSchema = z.object({
  format: z.literal('fairkit-metric-state'),
  version: z.literal(1),
  nGroups: z.number().int().min(1).max(2 ** 28),
  keepRows: z.boolean(),
  rows: z.array(z.number().int().nonnegative()),
  confusion: jsonFloats,
  logLossSum: jsonFloats,
  rowsWithoutScores: z.number().int().nonnegative(),
  scoresOutsideUnitInterval: z.number().int().nonnegative(),
  /** Weighted logit sums per group and the count of rows without a logit; absent in states saved before them. */
  logitSum: jsonFloats.optional(),
  rowsWithoutLogits: z.number().int().nonnegative().optional(),
  /** The kept rows (null when the state does not keep them); a score of null is a row without a score. */
  kept: z
    .object({
      codes: z.array(z.number().int().nonnegative()),
      scores: jsonFloats,
      weights: jsonFloats.nullable(),
    })
    .nullable(),
});

export type MetricStateJson = z.infer<typeof metricStateJsonSchema>;

/** The decoded parts of a state, checked to hang together. */
export interface MetricStateParts {
  nGroups: number;
  keepRows: boolean;
  rows: Float64Array;
  confusion: Float64Array;
  logLossSum: Float64Array;
  rowsWithoutScores: number;
  scoresOutsideUnitInterval: number;
  logitSum: Float64Array;
  rowsWithoutLogits: number;
  kept: { codes: Int32Array; scores: Float64Array; weights: Float64Array | null } | null;
}

const where = 'MetricState.fromJSON';

export function decodeMetricState(json: unknown): MetricStateParts {
  const parsed = parseJson(metricStateJsonSchema, json, where);
  const { nGroups, keepRows, kept } = parsed;
  const lengths: [string, number, number][] = [
    ['rows', parsed.rows.length, nGroups],
    ['confusion', parsed.confusion.length, 4 * nGroups],
    ['logLossSum', parsed.logLossSum.length, nGroups],
    ...(parsed.logitSum ? [['logitSum', parsed.logitSum.length, nGroups] as [string, number, number]] : []),
  ];
  for (const [name, actual, expected] of lengths) {
    if (actual !== expected) throw inconsistent(`${name} has ${actual} entries; ${nGroups} groups need ${expected}`, where);
  }
  const rows = Float64Array.from(parsed.rows);
  const totalRows = rows.reduce((sum, r) => sum + r, 0);
  if (parsed.rowsWithoutScores > totalRows) {
    throw inconsistent(`rowsWithoutScores is ${parsed.rowsWithoutScores} but the state has ${totalRows} rows`, where);
  }
  // A state saved before logits were tracked has none: every row counts as without a logit.
  const rowsWithoutLogits = parsed.rowsWithoutLogits ?? totalRows;
  if (rowsWithoutLogits > totalRows) throw inconsistent(`rowsWithoutLogits is ${rowsWithoutLogits} but the state has ${totalRows} rows`, where);
  if ((parsed.logitSum === undefined) !== (parsed.rowsWithoutLogits === undefined)) throw inconsistent('logitSum and rowsWithoutLogits come together', where);
  if (keepRows !== (kept !== null)) {
    throw inconsistent(keepRows ? 'keepRows is true but kept is null' : 'keepRows is false but kept rows are given', where);
  }
  return {
    nGroups,
    keepRows,
    rows,
    confusion: decodeFloats(parsed.confusion),
    logLossSum: decodeFloats(parsed.logLossSum),
    rowsWithoutScores: parsed.rowsWithoutScores,
    scoresOutsideUnitInterval: parsed.scoresOutsideUnitInterval,
    logitSum: parsed.logitSum ? decodeFloats(parsed.logitSum) : new Float64Array(nGroups),
    rowsWithoutLogits,
    kept: kept === null ? null : decodeKept(kept, rows, parsed.rowsWithoutScores),
  };
}

/** The kept rows, checked against the per-group row counts and the count of rows without a score. */
function decodeKept(kept: NonNullable<MetricStateJson['kept']>, rows: Float64Array, rowsWithoutScores: number) {
  const n = kept.codes.length;
  if (kept.scores.length !== n || (kept.weights !== null && kept.weights.length !== n)) {
    throw inconsistent(`kept codes, scores and weights differ in length`, where);
  }
  const perGroup = new Float64Array(rows.length);
  for (let i = 0; i < n; i++) {
    const g = kept.codes[i] >> 2;
    if (g >= rows.length) throw inconsistent(`kept.codes[${i}] is ${kept.codes[i]}: group ${g} does not exist`, where);
    perGroup[g]++;
  }
  const g = perGroup.findIndex((count, h) => count !== rows[h]);
  if (g >= 0) throw inconsistent(`group ${g} has ${rows[g]} rows but ${perGroup[g]} kept rows`, where);
  const withoutScore = kept.scores.filter((s) => s === null).length;
  if (withoutScore !== rowsWithoutScores) {
    throw inconsistent(`${withoutScore} kept rows have no score but rowsWithoutScores is ${rowsWithoutScores}`, where);
  }
  const weights = kept.weights === null ? null : decodeFloats(kept.weights);
  if (weights !== null && weights.some((w) => !(w >= 0 && w < Infinity))) {
    throw inconsistent('kept weights must be finite and >= 0', where);
  }
  return { codes: Int32Array.from(kept.codes), scores: decodeFloats(kept.scores), weights };
}

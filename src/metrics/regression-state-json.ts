import { z } from 'zod';
import { decodeFloats, inconsistent, jsonFloats, parseJson } from './json-codec.js';
import type { RegressionSlice } from './regression-sums.js';

/** Version 1 of a RegressionState as plain JSON (RegressionState.toJSON): one array entry per group. */
export const regressionStateJsonSchema = z.object({
  format: z.literal('fairkit-regression-state'),
  version: z.literal(1),
  nGroups: z.number().int().min(1).max(2 ** 28),
  keepRows: z.boolean(),
  rows: z.array(z.number().int().nonnegative()),
  weight: jsonFloats,
  labelMean: jsonFloats,
  labelM2: jsonFloats,
  predictionSum: jsonFloats,
  residualSum: jsonFloats,
  squaredErrorSum: jsonFloats,
  absoluteErrorSum: jsonFloats,
  /** The kept rows (null when the state does not keep them). */
  kept: z
    .object({
      groups: z.array(z.number().int().nonnegative()),
      labels: jsonFloats,
      predictions: jsonFloats,
      weights: jsonFloats.nullable(),
    })
    .nullable(),
});

export type RegressionStateJson = z.infer<typeof regressionStateJsonSchema>;

export interface RegressionStateParts {
  slices: RegressionSlice[];
  kept: { groups: Int32Array; labels: Float64Array; predictions: Float64Array; weights: Float64Array | null } | null;
}

const where = 'RegressionState.fromJSON';
const sumFields = ['weight', 'labelMean', 'labelM2', 'predictionSum', 'residualSum', 'squaredErrorSum', 'absoluteErrorSum'] as const;

export function decodeRegressionState(json: unknown): RegressionStateParts {
  const parsed = parseJson(regressionStateJsonSchema, json, where);
  const { nGroups, keepRows, kept } = parsed;
  for (const name of ['rows', ...sumFields] as const) {
    const length = parsed[name].length;
    if (length !== nGroups) throw inconsistent(`${name} has ${length} entries; ${nGroups} groups need ${nGroups}`, where);
  }
  const decoded = Object.fromEntries(sumFields.map((name) => [name, decodeFloats(parsed[name])])) as Record<(typeof sumFields)[number], Float64Array>;
  for (const name of sumFields) {
    if (decoded[name].some((v) => !Number.isFinite(v))) throw inconsistent(`${name} must hold finite numbers`, where);
  }
  for (const name of ['weight', 'labelM2', 'squaredErrorSum', 'absoluteErrorSum'] as const) {
    if (decoded[name].some((v) => v < 0)) throw inconsistent(`${name} must not be negative`, where);
  }
  if (keepRows !== (kept !== null)) {
    throw inconsistent(keepRows ? 'keepRows is true but kept is null' : 'keepRows is false but kept rows are given', where);
  }
  const slices: RegressionSlice[] = parsed.rows.map((count, g) => ({
    count,
    weight: decoded.weight[g],
    labelMean: decoded.labelMean[g],
    labelM2: decoded.labelM2[g],
    predictionSum: decoded.predictionSum[g],
    residualSum: decoded.residualSum[g],
    squaredErrorSum: decoded.squaredErrorSum[g],
    absoluteErrorSum: decoded.absoluteErrorSum[g],
  }));
  return { slices, kept: kept === null ? null : decodeKept(kept, parsed.rows) };
}

/** The kept rows, checked against the per-group row counts. */
function decodeKept(kept: NonNullable<RegressionStateJson['kept']>, rows: number[]) {
  const n = kept.groups.length;
  if (kept.labels.length !== n || kept.predictions.length !== n || (kept.weights !== null && kept.weights.length !== n)) {
    throw inconsistent('kept groups, labels, predictions and weights differ in length', where);
  }
  const perGroup = new Array<number>(rows.length).fill(0);
  kept.groups.forEach((g, i) => {
    if (g >= rows.length) throw inconsistent(`kept.groups[${i}] is ${g}: that group does not exist`, where);
    perGroup[g]++;
  });
  const g = perGroup.findIndex((count, h) => count !== rows[h]);
  if (g >= 0) throw inconsistent(`group ${g} has ${rows[g]} rows but ${perGroup[g]} kept rows`, where);
  const labels = decodeFloats(kept.labels);
  const predictions = decodeFloats(kept.predictions);
  if (labels.some((v) => !Number.isFinite(v)) || predictions.some((v) => !Number.isFinite(v))) {
    throw inconsistent('kept labels and predictions must be finite numbers', where);
  }
  const weights = kept.weights === null ? null : decodeFloats(kept.weights);
  if (weights !== null && weights.some((w) => !(w >= 0 && w < Infinity))) {
    throw inconsistent('kept weights must be finite and >= 0', where);
  }
  return { groups: Int32Array.from(kept.groups), labels, predictions, weights };
}

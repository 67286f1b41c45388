import { z } from 'zod';
import { decodeFloats, inconsistent, jsonFloats, parseJson } from './json-codec.js';

/** Version 1 of GroupLabelMoments as plain JSON; cell = group · nLabels + label, matrices row-major. */
export const momentsJsonSchema = z.object({
  format: z.literal('fairkit-group-label-moments'),
  version: z.literal(1),
  nGroups: z.number().int().min(1),
  nLabels: z.number().int().min(1),
  dim: z.number().int().min(1),
  rows: z.array(z.number().int().nonnegative()),
  weights: jsonFloats,
  means: jsonFloats,
  scatter: jsonFloats,
});

export type MomentsJson = z.infer<typeof momentsJsonSchema>;

const where = 'GroupLabelMoments.fromJSON';

export function decodeMoments(json: unknown) {
  const parsed = parseJson(momentsJsonSchema, json, where);
  const cells = parsed.nGroups * parsed.nLabels;
  const lengths: [string, number, number][] = [
    ['rows', parsed.rows.length, cells],
    ['weights', parsed.weights.length, cells],
    ['means', parsed.means.length, cells * parsed.dim],
    ['scatter', parsed.scatter.length, cells * parsed.dim * parsed.dim],
  ];
  for (const [name, actual, expected] of lengths) {
    if (actual !== expected) throw inconsistent(`${name} has ${actual} entries; the shape needs ${expected}`, where);
  }
  const weights = decodeFloats(parsed.weights);
  if (weights.some((w) => !(w >= 0 && w < Infinity))) throw inconsistent('weights must be finite and >= 0', where);
  return {
    nGroups: parsed.nGroups,
    nLabels: parsed.nLabels,
    dim: parsed.dim,
    rows: Float64Array.from(parsed.rows),
    weights,
    means: decodeFloats(parsed.means),
    scatter: decodeFloats(parsed.scatter),
  };
}

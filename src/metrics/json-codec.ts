import { z } from 'zod';
import { FairkitError } from '../errors.js';

/**
 * Float64 values as plain JSON, exactly: JSON numbers round-trip every finite double, so only what JSON cannot
 * write is spelled out: NaN (a row without a score) as null, −0 and the infinities as strings.
 */
export type JsonFloat = number | null | '-0' | 'Infinity' | '-Infinity';

export const jsonFloats = z.array(z.union([z.number(), z.null(), z.enum(['-0', 'Infinity', '-Infinity'])]));

export function encodeFloats(values: ArrayLike<number>): JsonFloat[] {
  return Array.from(values, (v) => {
    if (Number.isNaN(v)) return null;
    if (v === Infinity) return 'Infinity';
    if (v === -Infinity) return '-Infinity';
    return Object.is(v, -0) ? '-0' : v;
  });
}

export function decodeFloats(values: readonly JsonFloat[]): Float64Array {
  return Float64Array.from(values, (v) => {
    if (v === null) return NaN;
    if (v === '-0') return -0;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    return v;
  });
}

/** Parses with a schema; a mismatch is a FairkitError naming the first bad path. Strings are parsed as JSON first. */
export function parseJson<T>(schema: z.ZodType<T>, json: unknown, where: string): T {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new FairkitError(`not valid JSON (${(error as Error).message})`, { where });
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new FairkitError(`unexpected content at ${issue.path.join('.') || 'the top level'}: ${issue.message}`, { where });
  }
  return result.data;
}

/** A FairkitError for JSON that has the right shape but does not hang together. */
export function inconsistent(what: string, where: string): FairkitError {
  return new FairkitError(what, { where, fix: 'pass the unmodified output of toJSON()' });
}

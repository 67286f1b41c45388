/**
 * Exact rational numbers on BigInt, just enough for the threshold post-processor's linear program (exact-lp.ts):
 * its coefficients are whole counts, so exact arithmetic costs little and leaves no tolerance to tune.
 */
export interface Rational {
  /** Numerator and denominator in lowest terms, the denominator positive. */
  readonly n: bigint;
  readonly d: bigint;
}

export const ZERO: Rational = { n: 0n, d: 1n };
export const ONE: Rational = { n: 1n, d: 1n };

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function rational(n: bigint, d = 1n): Rational {
  if (d === 0n) throw new RangeError('rational with a zero denominator');
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g === 1n ? { n, d } : { n: n / g, d: d / g };
}

/** The exact value of a finite double (every double is a dyadic rational). */
export function fromNumber(value: number): Rational {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  if (Number.isInteger(value)) return { n: BigInt(value), d: 1n };
  let d = 1n;
  let scaled = value;
  // Doubling is exact until the value is whole (at most 1074 steps for a subnormal).
  while (!Number.isInteger(scaled)) {
    scaled *= 2;
    d *= 2n;
  }
  return rational(BigInt(scaled), d);
}

export const add = (a: Rational, b: Rational): Rational => (a.d === b.d ? rational(a.n + b.n, a.d) : rational(a.n * b.d + b.n * a.d, a.d * b.d));
export const sub = (a: Rational, b: Rational): Rational => (a.d === b.d ? rational(a.n - b.n, a.d) : rational(a.n * b.d - b.n * a.d, a.d * b.d));
export const mul = (a: Rational, b: Rational): Rational => (a.n === 0n || b.n === 0n ? ZERO : rational(a.n * b.n, a.d * b.d));
export function div(a: Rational, b: Rational): Rational {
  if (b.n === 0n) throw new RangeError('rational division by zero');
  return rational(a.n * b.d, a.d * b.n);
}
export const sign = (a: Rational): number => (a.n > 0n ? 1 : a.n < 0n ? -1 : 0);
export const compare = (a: Rational, b: Rational): number => sign(sub(a, b));
export const isZero = (a: Rational): boolean => a.n === 0n;

/** The value as a double (within a few units in the last place, whatever the size of the terms). */
export function toNumber(a: Rational): number {
  const value = Number(a.n) / Number(a.d);
  if (Number.isFinite(value) && Number.isFinite(Number(a.d)) && (value !== 0 || a.n === 0n)) return value;
  // Huge terms: 64 significant bits of the quotient, then its binary exponent, applied in two steps (no overflow).
  const bits = (x: bigint) => (x < 0n ? -x : x).toString(2).length;
  const shift = 64 - (bits(a.n) - bits(a.d));
  const scaled = shift >= 0 ? (a.n << BigInt(shift)) / a.d : a.n / (a.d << BigInt(-shift));
  const half = Math.trunc(shift / 2);
  return Number(scaled) * 2 ** -half * 2 ** -(shift - half);
}

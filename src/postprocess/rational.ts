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

/** The nearest double (within a relative 2⁻⁵², for numerators and denominators below about 1e300). */
export function toNumber(a: Rational): number {
  if (a.d === 1n) return Number(a.n);
  const value = Number(a.n) / Number(a.d);
  if (Number.isFinite(value)) return value;
  // Huge terms: scale both down first (only the leading digits matter to a double).
  const shift = BigInt(Math.max(a.n.toString(2).length, a.d.toString(2).length) - 1000);
  return Number(a.n >> shift) / Number(a.d >> shift);
}

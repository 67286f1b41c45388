import { FairkitError } from '../errors.js';

/**
 * Quantile of Student's t distribution with `df` degrees of freedom, by bisection on its distribution function
 * (the regularised incomplete beta function; Numerical Recipes §6.4). Agrees with scipy.stats.t.ppf to about
 * 1e-10 (src/bench/fixtures/paired-t.json).
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new FairkitError(`a t quantile needs p in (0, 1), got ${p}`, { where: 'studentTQuantile' });
  if (!(df > 0 && Number.isFinite(df))) throw new FairkitError(`a t quantile needs df > 0, got ${df}`, { where: 'studentTQuantile' });
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // Bisection on the upper tail, not on the distribution function, which rounds near 1 (p = 0.9995, df 1).
  const tail = 1 - p;
  let high = 1;
  while (upperTail(high, df) > tail) high *= 2;
  let low = 0;
  for (let k = 0; k < 200 && high - low > 1e-14 * Math.max(1, high); k++) {
    const middle = (low + high) / 2;
    if (upperTail(middle, df) > tail) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** P(T > t) for t ≥ 0: ½·I_{df/(df+t²)}(df/2, ½). */
function upperTail(t: number, df: number): number {
  return 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** P(T ≤ t) for T ~ t(df): 1 − ½·I_{df/(df+t²)}(df/2, ½) for t ≥ 0, symmetric below. */
export function studentTCdf(t: number, df: number): number {
  const tail = upperTail(Math.abs(t), df);
  return t >= 0 ? 1 - tail : tail;
}

/** I_x(a, b) by its continued fraction, taken on the side where it converges fast. */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** The continued fraction of I_x(a, b), by the modified Lentz method. */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let result = d;
  for (let m = 1; m <= 1000; m++) {
    for (const numerator of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + numerator * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + numerator / c;
      if (Math.abs(c) < tiny) c = tiny;
      result *= c * d;
    }
    if (Math.abs(c * d - 1) < 1e-15) break;
  }
  return result;
}

/** ln Γ(z) for z > 0, Lanczos approximation (g = 7, 9 terms; relative error about 1e-15). */
function logGamma(z: number): number {
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const shifted = z - 1;
  let sum = coefficients[0];
  for (let k = 1; k < coefficients.length; k++) sum += coefficients[k] / (shifted + k);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

import { FairkitError } from '../errors.js';

/** How to cut a continuous sensitive attribute into groups: explicit cut points, or `quantiles` equal-count bins. */
export interface Binning {
  column: string;
  cuts?: number[];
  quantiles?: number;
}

/**
 * The cut points of a binning: the explicit `cuts`, or the q-quantiles of the non-missing values
 * (numpy's default linear interpolation), with repeated cuts (from ties) dropped.
 */
export function binCuts(values: Float64Array, binning: Binning): number[] {
  const where = `binning of "${binning.column}"`;
  if ((binning.cuts === undefined) === (binning.quantiles === undefined)) {
    throw new FairkitError('give either cuts or quantiles', { where });
  }
  if (binning.cuts) {
    const cuts = binning.cuts;
    if (cuts.length === 0 || cuts.some((cut, i) => !Number.isFinite(cut) || (i > 0 && cut <= cuts[i - 1]))) {
      throw new FairkitError(`cuts must be finite and strictly increasing, got [${cuts.join(', ')}]`, { where });
    }
    return [...cuts];
  }
  const q = binning.quantiles!;
  if (!Number.isInteger(q) || q < 2) throw new FairkitError(`quantiles must be a whole number >= 2, got ${q}`, { where });
  const sorted = values.filter((value) => !Number.isNaN(value)).sort();
  if (sorted.length === 0) throw new FairkitError('the column has no values to take quantiles of', { where });
  const cuts: number[] = [];
  for (let i = 1; i < q; i++) {
    const cut = quantile(sorted, i / q);
    // A bin holds its lower cut, so a cut at the minimum would leave the lowest bin empty.
    if (cut > sorted[0] && (cuts.length === 0 || cut > cuts[cuts.length - 1])) cuts.push(cut);
  }
  if (cuts.length === 0) {
    throw new FairkitError(`${q} quantiles give a single bin: every quantile equals the smallest value (${sorted[0]})`, { where, fix: 'Give explicit cuts' });
  }
  return cuts;
}

/**
 * Bin labels for cuts c0 < … < ck: "<c0", "c0-c1", …, ">=ck"; every bin includes its lower cut and
 * excludes its upper one. Numbers are shown with up to 6 significant digits.
 */
export function binLabels(cuts: number[]): string[] {
  const shown = cuts.map((cut) => String(Number(cut.toPrecision(6))));
  const labels = [`<${shown[0]}`];
  for (let i = 1; i < cuts.length; i++) labels.push(`${shown[i - 1]}-${shown[i]}`);
  labels.push(`>=${shown[cuts.length - 1]}`);
  return labels;
}

/** Index of the bin holding `value`: the number of cuts <= value. */
export function binIndex(value: number, cuts: number[]): number {
  let bin = 0;
  while (bin < cuts.length && value >= cuts[bin]) bin++;
  return bin;
}

function quantile(sorted: Float64Array, p: number): number {
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

/**
 * Sufficient statistics of a regressor's errors for one slice of rows, and how two slices combine.
 *
 * The labels' spread (for r2's SST = Σw·(y − ȳ)²) is kept as a weighted mean and centred second moment and
 * combined with Chan et al.'s parallel update: Σw·y² − (Σw·y)²/W would cancel catastrophically when the labels
 * are large against their spread (grades around 70 ± 1e-3, timestamps). The error sums need no such care: each
 * row's residual e = ŷ − y is formed first, so Σw·e, Σw·e² and Σw·|e| add terms of the error's own size.
 */
export interface RegressionSlice {
  /** Rows (unweighted). */
  count: number;
  /** Σw. */
  weight: number;
  /** Weighted mean label ȳ (0 while weight is 0). */
  labelMean: number;
  /** Σw·(y − ȳ)², the total sum of squares. */
  labelM2: number;
  /** Σw·ŷ. */
  predictionSum: number;
  /** Σw·(ŷ − y). */
  residualSum: number;
  /** Σw·(ŷ − y)², the sum of squared errors. */
  squaredErrorSum: number;
  /** Σw·|ŷ − y|. */
  absoluteErrorSum: number;
}

export function emptySlice(): RegressionSlice {
  return { count: 0, weight: 0, labelMean: 0, labelM2: 0, predictionSum: 0, residualSum: 0, squaredErrorSum: 0, absoluteErrorSum: 0 };
}

/** a and b together (neither changes). Exact for the sums; Chan's update for the label moments. */
export function combineSlices(a: RegressionSlice, b: RegressionSlice): RegressionSlice {
  const weight = a.weight + b.weight;
  let labelMean: number;
  let labelM2: number;
  if (b.weight === 0) [labelMean, labelM2] = [a.labelMean, a.labelM2];
  else if (a.weight === 0) [labelMean, labelM2] = [b.labelMean, b.labelM2];
  else {
    const delta = b.labelMean - a.labelMean;
    labelMean = a.labelMean + delta * (b.weight / weight);
    labelM2 = a.labelM2 + b.labelM2 + delta * delta * ((a.weight * b.weight) / weight);
  }
  return {
    count: a.count + b.count,
    weight,
    labelMean,
    labelM2,
    predictionSum: a.predictionSum + b.predictionSum,
    residualSum: a.residualSum + b.residualSum,
    squaredErrorSum: a.squaredErrorSum + b.squaredErrorSum,
    absoluteErrorSum: a.absoluteErrorSum + b.absoluteErrorSum,
  };
}

/** Rows of one batch (or one bootstrap replicate). */
export interface RegressionRows {
  groups: ArrayLike<number>;
  labels: ArrayLike<number>;
  predictions: ArrayLike<number>;
  /** null: every row weighs 1. */
  weights: ArrayLike<number> | null;
  /** How many rows each entry stands for (a bootstrap's draws); null: one each. */
  counts?: ArrayLike<number> | null;
}

/**
 * The slice of every group over `rows`. Two passes, so that SST is Σw·(y − ȳ)² around the batch's own mean (as
 * scikit-learn computes it) rather than a running update; batches then combine by combineSlices. The mean is
 * taken of the labels shifted by the group's first weighted label: constant labels then give ȳ equal to that
 * label and SST exactly 0 (so r2 is reported undefined), where Σw·y / Σw can miss it by an ulp and leave a tiny
 * SST that would turn r2 into a huge negative number.
 */
export function slicesOfRows(rows: RegressionRows, nGroups: number): RegressionSlice[] {
  const { groups, labels, predictions, weights, counts } = rows;
  const slices = Array.from({ length: nGroups }, emptySlice);
  const shift = new Float64Array(nGroups).fill(NaN);
  const shiftedSums = new Float64Array(nGroups);
  const n = groups.length;
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    const slice = slices[g];
    const w = weights === null ? 1 : weights[i];
    const y = labels[i];
    const p = predictions[i];
    const e = p - y;
    slice.count += counts == null ? 1 : counts[i];
    slice.weight += w;
    if (w > 0) {
      if (Number.isNaN(shift[g])) shift[g] = y;
      shiftedSums[g] += w * (y - shift[g]);
    }
    slice.predictionSum += w * p;
    slice.residualSum += w * e;
    slice.squaredErrorSum += w * e * e;
    slice.absoluteErrorSum += w * Math.abs(e);
  }
  for (let g = 0; g < nGroups; g++) {
    if (slices[g].weight > 0) slices[g].labelMean = shift[g] + shiftedSums[g] / slices[g].weight;
  }
  for (let i = 0; i < n; i++) {
    const slice = slices[groups[i]];
    const w = weights === null ? 1 : weights[i];
    const d = labels[i] - slice.labelMean;
    slice.labelM2 += w * d * d;
  }
  return slices;
}

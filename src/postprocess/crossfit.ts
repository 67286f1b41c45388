/**
 * Cross-fitted scores for the thresholds post-processor: instead of fitting the thresholds on the validation split
 * alone (20% of the rows under the GCM protocol), pool train and validation, cut the pool into k folds stratified on
 * (label, group), train one model per fold on the other folds, and score every pooled row with the model that did
 * not see it. The thresholds are then fitted on out-of-fold scores of all pooled rows (80%), which cuts the noise
 * of the fit; the test rows are scored by the fold models (see `testScoresOf`).
 */
import type { EncodedDataset } from '../data/types.js';
import { stratifiedKFold, strataOf } from '../data/splits.js';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';

/** The rows `rows` of a split, in that order (features, labels, groups, targets and clusters alike). */
export function selectSplitRows(split: EncodedDataset, rows: ArrayLike<number>): EncodedDataset {
  const { nFeatures } = split;
  const X = new Float32Array(rows.length * nFeatures);
  for (let i = 0; i < rows.length; i++) X.set(split.X.subarray(rows[i] * nFeatures, (rows[i] + 1) * nFeatures), i * nFeatures);
  const pick = <T extends Uint8Array | Int32Array | Float32Array>(values: T): T => {
    const out = new (values.constructor as new (n: number) => T)(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
    return out;
  };
  return {
    ...split,
    X,
    nRows: rows.length,
    y: pick(split.y),
    groups: { ...split.groups, ids: pick(split.groups.ids) },
    ...(split.targets ? { targets: pick(split.targets) } : {}),
    ...(split.clusters ? { clusters: pick(split.clusters) } : {}),
  };
}

/** Two splits of one prepared data set (same encoder, same group index) as one: the first's rows, then the second's. */
export function concatSplits(first: EncodedDataset, second: EncodedDataset): EncodedDataset {
  if (first.nFeatures !== second.nFeatures || first.groups.keys.join('\u0000') !== second.groups.keys.join('\u0000')) {
    throw new FairkitError('cannot pool two splits encoded differently (features or group keys differ)', { where: 'cross-fitting' });
  }
  const join = <T extends Uint8Array | Int32Array | Float32Array>(a: T, b: T): T => {
    const out = new (a.constructor as new (n: number) => T)(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  return {
    ...first,
    X: join(first.X, second.X),
    nRows: first.nRows + second.nRows,
    y: join(first.y, second.y),
    groups: { ...first.groups, ids: join(first.groups.ids, second.groups.ids) },
    ...(first.targets && second.targets ? { targets: join(first.targets, second.targets) } : {}),
    ...(first.clusters && second.clusters ? { clusters: join(first.clusters, second.clusters) } : {}),
  };
}

/** Scores rows of a split: what a trained fold model offers. */
export type Scorer = (split: EncodedDataset) => ArrayLike<number>;

export interface CrossFit {
  /** Fold of each pooled row (0 … k−1), stratified on (label, group). */
  foldOf: Int32Array;
  /** Each pooled row's score by the model trained without its fold. */
  outOfFold: Float64Array;
  /** The k fold models' scorers, model f trained on every fold but f. */
  scorers: Scorer[];
}

/**
 * Trains k models on the pooled rows, model f on all folds but f (`train` returns its scorer), and scores each
 * row with the model that did not see it. Folds come from the data set's stratified k-fold with `seed`.
 */
export function crossFit(pool: EncodedDataset, k: number, seed: number, train: (rows: EncodedDataset, fold: number) => Scorer): CrossFit {
  const folds = stratifiedKFold(strataOf(pool.y, pool.groups.ids), k, seed);
  const foldOf = new Int32Array(pool.nRows);
  const outOfFold = new Float64Array(pool.nRows);
  const scorers = folds.map(({ train: trainRows, test: heldOut }, fold) => {
    const scorer = train(selectSplitRows(pool, trainRows), fold);
    const scores = scorer(selectSplitRows(pool, heldOut));
    heldOut.forEach((row, i) => {
      foldOf[row] = fold;
      outOfFold[row] = scores[i];
    });
    return scorer;
  });
  return { foldOf, outOfFold, scorers };
}

/**
 * Test-row scores from the fold models. 'mean': the average of the k models' scores (an ensemble, more accurate,
 * but a smoother score than the single-model out-of-fold scores the thresholds were fitted on). 'draw': each row
 * scored by one fold model drawn at random with `seed`, so that a test row's score has the same distribution as a
 * pooled row's out-of-fold score.
 */
export function testScoresOf(scorers: readonly Scorer[], test: EncodedDataset, how: 'mean' | 'draw', seed: number): Float64Array {
  const all = scorers.map((scorer) => scorer(test));
  const out = new Float64Array(test.nRows);
  const rng = new Rng(seed);
  for (let i = 0; i < test.nRows; i++) {
    if (how === 'draw') out[i] = all[rng.int(all.length)][i];
    else out[i] = all.reduce((sum, scores) => sum + scores[i], 0) / all.length;
  }
  return out;
}

/**
 * Fair MEDL's counterfactual measure (methods.md §0 "CF"), defined here for multi-valued attributes: each row is moved
 * to every other value of one sensitive attribute, every other input held fixed, and
 * - `flipRate` is the share of rows (all of them, counted once) whose 0/1 decision (score ≥ threshold) changes under at least one of those moves;
 * - `meanAbsChange` is the mean over all (row, other value) pairs of |f(x, s) − f(x, s′)|, the paper's CF score.
 * A row with a missing or unseen value (no one-hot column set) is moved to every value. It only exists where the attribute is a model input, which in fairkit means a one-hot block `attr=value` of the
 * encoded features; a numeric (or binned numeric) sensitive input has no discrete value to move to and is skipped
 * with a reason, as is an attribute that is not an input. This is attribute-swap invariance, not causal
 * counterfactual fairness. No TensorFlow.js: the caller passes the scoring function.
 */
import { FairkitError } from '../errors.js';
import { MISSING_CATEGORY } from '../data/encoder.js';

/** Scores (probabilities) of the rows of a row-major feature matrix, one array per output (e.g. fe, me). */
export type ScoreOutputs = (X: Float32Array, nRows: number) => Record<string, ArrayLike<number>>;

export interface CounterfactualResult {
  attribute: string;
  /** Null (with `reason`) where the attribute is not a one-hot input. */
  flipRate: Record<string, number> | null;
  meanAbsChange: Record<string, number> | null;
  /** The values rows were moved to (the block's categories, `<missing>` left out). */
  values: string[];
  reason?: string;
}

/**
 * The one-hot block of `attribute` among the feature names: the columns rows can be moved to and their values, and
 * every column of the block (`<missing>` too), all cleared by a move.
 */
export function oneHotBlock(featureNames: string[], attribute: string): { columns: number[]; values: string[]; block: number[] } | null {
  const prefix = `${attribute}=`;
  const columns: number[] = [];
  const values: string[] = [];
  const block: number[] = [];
  featureNames.forEach((name, j) => {
    if (!name.startsWith(prefix)) return;
    block.push(j);
    if (name.slice(prefix.length) === MISSING_CATEGORY) return;
    columns.push(j);
    values.push(name.slice(prefix.length));
  });
  return block.length > 0 ? { columns, values, block } : null;
}

export interface CounterfactualInput {
  X: Float32Array;
  nRows: number;
  featureNames: string[];
  attributes: string[];
  score: ScoreOutputs;
  threshold?: number;
}

/** The flip rate and mean absolute change of every output, for each attribute. */
export function counterfactualFlips(input: CounterfactualInput): CounterfactualResult[] {
  const { X, nRows, featureNames, threshold = 0.5 } = input;
  const nFeatures = featureNames.length;
  if (X.length !== nRows * nFeatures) throw new FairkitError(`features have ${X.length} values, expected ${nRows} rows × ${nFeatures} columns`, { where: 'counterfactual flip rate' });
  if (nRows === 0) throw new FairkitError('no rows to move', { where: 'counterfactual flip rate' });
  const original = input.score(X, nRows);
  return input.attributes.map((attribute) => {
    const block = oneHotBlock(featureNames, attribute);
    if (!block) {
      const reason = featureNames.includes(attribute) ? 'a numeric input: no discrete value to move to' : 'not a model input';
      return { attribute, flipRate: null, meanAbsChange: null, values: [], reason };
    }
    if (block.values.length < 2) return { attribute, flipRate: null, meanAbsChange: null, values: block.values, reason: 'one encoded value: nothing to move to' };
    const flipped = Object.fromEntries(Object.keys(original).map((output) => [output, new Uint8Array(nRows)]));
    const absSum = Object.fromEntries(Object.keys(original).map((output) => [output, 0]));
    let pairs = 0;
    block.columns.forEach((target) => {
      // Every row set to this value; rows already there are not moves and are not counted.
      const moved = X.slice();
      const alreadyThere = new Uint8Array(nRows);
      for (let row = 0; row < nRows; row++) {
        alreadyThere[row] = X[row * nFeatures + target] === 1 ? 1 : 0;
        for (const column of block.block) moved[row * nFeatures + column] = column === target ? 1 : 0;
      }
      const scores = input.score(moved, nRows);
      for (let row = 0; row < nRows; row++) {
        if (alreadyThere[row]) continue;
        pairs++;
        for (const [output, before] of Object.entries(original)) {
          const after = scores[output][row];
          absSum[output] += Math.abs(after - before[row]);
          if (after >= threshold !== before[row] >= threshold) flipped[output][row] = 1;
        }
      }
    });
    const flipRate = Object.fromEntries(Object.entries(flipped).map(([output, rows]) => [output, rows.reduce((a, b) => a + b, 0) / nRows]));
    const meanAbsChange = Object.fromEntries(Object.entries(absSum).map(([output, sum]) => [output, sum / pairs]));
    return { attribute, flipRate, meanAbsChange, values: block.values };
  });
}

/**
 * A randomised post-processed classifier evaluated by its expected rates: each row counts with its probability of a
 * positive instead of one 0/1 draw. It is the mean over all possible draws of the sampled metrics' counts, so it
 * removes the noise of the draw (not the noise of which rows the test split holds). Reported beside the sampled
 * metrics, never instead of them: deployed, the classifier does draw.
 */
import { FairkitError } from '../errors.js';

export interface ExpectedRates {
  /** Expected accuracy: mean over rows of p (positive rows) or 1 − p (negative rows). */
  accuracy: number;
  /** Per group (by id): expected TPR and FPR (null without positives, resp. negatives). */
  groups: { tpr: number | null; fpr: number | null }[];
  /** Largest minus smallest group TPR plus the same for FPR (the ΔEO sum), null if a group lacks either label. */
  equalizedOddsSum: number | null;
}

export function expectedRates(probabilities: ArrayLike<number>, labels: ArrayLike<number>, groupIds: ArrayLike<number>, nGroups: number): ExpectedRates {
  if (probabilities.length !== labels.length || labels.length !== groupIds.length) {
    throw new FairkitError(`expected rates need as many probabilities (${probabilities.length}), labels (${labels.length}) and group ids (${groupIds.length})`);
  }
  if (probabilities.length === 0) throw new FairkitError('expected rates of no rows');
  const sums = Array.from({ length: nGroups }, () => ({ tp: 0, positives: 0, fp: 0, negatives: 0 }));
  let correct = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    if (!(p >= 0 && p <= 1)) throw new FairkitError(`row ${i}: probability ${p} is not in [0, 1]`);
    const g = sums[groupIds[i]];
    if (g === undefined) throw new FairkitError(`row ${i}: group id ${groupIds[i]} is not below ${nGroups}`);
    if (labels[i] === 1) {
      g.tp += p;
      g.positives++;
      correct += p;
    } else {
      g.fp += p;
      g.negatives++;
      correct += 1 - p;
    }
  }
  const groups = sums.map((g) => ({ tpr: g.positives > 0 ? g.tp / g.positives : null, fpr: g.negatives > 0 ? g.fp / g.negatives : null }));
  const spread = (values: (number | null)[]) => (values.includes(null) ? null : Math.max(...(values as number[])) - Math.min(...(values as number[])));
  const tprGap = spread(groups.map((g) => g.tpr));
  const fprGap = spread(groups.map((g) => g.fpr));
  return { accuracy: correct / probabilities.length, groups, equalizedOddsSum: tprGap === null || fprGap === null ? null : tprGap + fprGap };
}

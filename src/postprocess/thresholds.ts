/**
 * Hardt, Price & Srebro (2016) group-specific thresholds: from a score on the validation split, the derived
 * classifier that minimises the expected loss (error rate by default) subject to equal true and false positive
 * rates across groups ('eo', equalized odds), equal true positive rates ('tpr', equal opportunity) or equal
 * selection rates ('dp', demographic parity).
 *
 * Each group may use any randomised mixture of its threshold classifiers, so its (FPR, TPR) ranges over the convex
 * hull of its ROC points (roc.ts). The optimum is a linear program over the hulls' vertices: a weight per vertex,
 * the weights of each group summing to one, the constrained rates equal across groups, the loss linear in the
 * weights. It is solved exactly (exact-lp.ts). A basic optimal solution puts weight on at most two vertices per group
 * for 'tpr' and 'dp' (one coupled rate per group) and on at most three for 'eo' (two coupled rates), three only
 * where the common point lies strictly inside that group's hull (a group whose score is better must be held back).
 */
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { solveExactLp } from './exact-lp.js';
import { add, fromNumber, mul, rational, toNumber, type Rational } from './rational.js';
import { groupRoc, hullVertices, type GroupRoc } from './roc.js';

export type FairnessConstraint = 'eo' | 'tpr' | 'dp';
export const FAIRNESS_CONSTRAINTS: readonly FairnessConstraint[] = ['eo', 'tpr', 'dp'];

export interface ThresholdOptions {
  constraint: FairnessConstraint;
  /**
   * false: one threshold per group, the one whose rates come nearest the exact (randomised) solution's; the
   * constraint then holds only approximately. Default true.
   */
  randomised?: boolean;
  /** Cost of a false positive and of a false negative (default 1 and 1: the error rate). */
  costs?: { falsePositive: number; falseNegative: number };
  /** Seed of the random draws at prediction (default 0). */
  seed?: number;
}

/** One threshold classifier of a group's mixture: positive when score ≥ threshold (null: never), with this weight. */
export interface ThresholdComponent {
  threshold: number | null;
  weight: number;
}

/** What the post-processor keeps: JSON, saved in the model folder's postprocessor slot. */
export interface ThresholdsState {
  kind: 'thresholds';
  constraint: FairnessConstraint;
  randomised: boolean;
  costs: { falsePositive: number; falseNegative: number };
  /** Per group key: its mixture (weights summing to one). */
  groups: Record<string, ThresholdComponent[]>;
  /** On the split it was fitted on: the expected loss per row, and per group the expected rates. */
  fitted: { rows: number; expectedLoss: number; rates: Record<string, { tpr: number | null; fpr: number | null; selectionRate: number }> };
  /** Seed of the random draws at prediction (a randomised mixture); the same seed and rows give the same draws. */
  seed: number;
}

export interface ThresholdInput {
  /** Scores (e.g. the probability of the positive label), finite. */
  scores: ArrayLike<number>;
  /** 0/1 labels. */
  labels: ArrayLike<number>;
  /** Group id of each row, 0..keys.length−1. */
  groupIds: ArrayLike<number>;
  /** Group keys, in id order. */
  keys: readonly string[];
}

/** Fits the thresholds on one split (the validation split: never the rows the scorer was trained on). */
export function fitThresholds(input: ThresholdInput, options: ThresholdOptions): ThresholdsState {
  const { constraint } = options;
  if (!FAIRNESS_CONSTRAINTS.includes(constraint)) throw new FairkitError(`unknown constraint ${JSON.stringify(constraint)} (eo, tpr or dp)`);
  const costs = options.costs ?? { falsePositive: 1, falseNegative: 1 };
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new FairkitError(`the seed must be a whole number, got ${seed}`);
  for (const [name, value] of Object.entries(costs)) {
    if (!(Number.isFinite(value) && value >= 0)) throw new FairkitError(`the cost of a ${name === 'falsePositive' ? 'false positive' : 'false negative'} must be a finite number ≥ 0, got ${value}`);
  }
  const rocs = groupRocs(input, constraint);
  const solution = solveThresholdLp(rocs, constraint, costs);
  const groups: Record<string, ThresholdComponent[]> = {};
  input.keys.forEach((key, a) => {
    const exact = solution[a];
    groups[key] = options.randomised === false ? [{ threshold: nearestPoint(rocs[a], exact, constraint, costs).threshold, weight: 1 }] : exact.map(({ point, weight }) => ({ threshold: rocs[a].points[point].threshold, weight: toNumber(weight) }));
  });
  return { kind: 'thresholds', constraint, randomised: options.randomised !== false, costs, groups, fitted: fittedSummary(input, rocs, groups, costs), seed };
}

/** Per group, its ROC; refuses bad input and groups the constraint cannot be judged on. */
function groupRocs(input: ThresholdInput, constraint: FairnessConstraint): GroupRoc[] {
  const { scores, labels, groupIds, keys } = input;
  const n = scores.length;
  if (labels.length !== n || groupIds.length !== n) throw new FairkitError(`scores, labels and group ids differ in length (${n}, ${labels.length}, ${groupIds.length})`);
  if (keys.length === 0) throw new FairkitError('no groups to fit thresholds for');
  const byGroup = keys.map(() => ({ scores: [] as number[], labels: [] as number[] }));
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) throw new FairkitError(`score ${scores[i]} of row ${i + 1} is not a finite number`);
    if (labels[i] !== 0 && labels[i] !== 1) throw new FairkitError(`label ${labels[i]} of row ${i + 1} is not 0 or 1`);
    const a = groupIds[i];
    if (!(Number.isInteger(a) && a >= 0 && a < keys.length)) throw new FairkitError(`group id ${a} of row ${i + 1} is not one of the ${keys.length} groups`);
    byGroup[a].scores.push(scores[i]);
    byGroup[a].labels.push(labels[i]);
  }
  return byGroup.map((group, a) => {
    const roc = groupRoc(group.scores, group.labels);
    const lacking = group.scores.length === 0 ? '' : roc.positives === 0 && constraint !== 'dp' ? 'positive ' : roc.negatives === 0 && constraint === 'eo' ? 'negative ' : null;
    if (lacking) throw new FairkitError(`group ${JSON.stringify(keys[a])} has no ${lacking}rows in the split the thresholds are fitted on, so its rates are undefined`, { fix: 'Merge it with another group, or fit on a larger split' });
    return roc;
  });
}

/** Per group, the vertices (indices into its ROC points) with positive weight in an exact optimum. */
function solveThresholdLp(rocs: GroupRoc[], constraint: FairnessConstraint, costs: { falsePositive: number; falseNegative: number }): { point: number; weight: Rational }[][] {
  const vertices = rocs.map((roc) => hullVertices(roc.points));
  const columns = rocs.flatMap((roc, a) => vertices[a].map((point) => ({ group: a, point, ...roc.points[point] })));
  const big = (value: number) => rational(BigInt(value));
  const [fpCost, fnCost] = [fromNumber(costs.falsePositive), fromNumber(costs.falseNegative)];
  // Loss of a column: cost_FP · false positives + cost_FN · false negatives (the common 1/n is left out).
  const c = columns.map(({ group, falsePositives, truePositives }) => add(mul(fpCost, big(falsePositives)), mul(fnCost, big(rocs[group].positives - truePositives))));
  const A: Rational[][] = [];
  const b: Rational[] = [];
  rocs.forEach((_, a) => {
    A.push(columns.map(({ group }) => big(group === a ? 1 : 0)));
    b.push(big(1));
  });
  // Rate of group a = count_a / total_a equals group 0's: count_a · total_0 − count_0 · total_a = 0, in whole numbers.
  const couple = (count: (column: (typeof columns)[number]) => number, total: (roc: GroupRoc) => number) => {
    for (let a = 1; a < rocs.length; a++) {
      A.push(columns.map((column) => big(column.group === a ? count(column) * total(rocs[0]) : column.group === 0 ? -count(column) * total(rocs[a]) : 0)));
      b.push(big(0));
    }
  };
  if (constraint === 'eo' || constraint === 'tpr') couple((column) => column.truePositives, (roc) => roc.positives);
  if (constraint === 'eo') couple((column) => column.falsePositives, (roc) => roc.negatives);
  if (constraint === 'dp') couple((column) => column.truePositives + column.falsePositives, (roc) => roc.positives + roc.negatives);
  const result = solveExactLp({ c, A, b });
  // Every group's never-positive point (0, 0) is a feasible common point, and the weights are bounded.
  if (result.status !== 'optimal') throw new Error(`threshold LP: ${result.status}, which cannot happen`);
  const solution: { point: number; weight: Rational }[][] = rocs.map(() => []);
  result.x.forEach((weight, j) => {
    if (weight.n !== 0n) solution[columns[j].group].push({ point: columns[j].point, weight });
  });
  return solution;
}

/** The ROC point nearest the exact mixture's rates in the constrained rates (ties: the lower loss). */
function nearestPoint(roc: GroupRoc, mixture: { point: number; weight: Rational }[], constraint: FairnessConstraint, costs: { falsePositive: number; falseNegative: number }) {
  // A rate whose denominator is zero is never the constrained one (groupRocs refuses such groups).
  const rates = (fp: number, tp: number) => ({ fpr: fp / Math.max(1, roc.negatives), tpr: tp / Math.max(1, roc.positives), sr: (fp + tp) / (roc.negatives + roc.positives) });
  let fp = 0;
  let tp = 0;
  for (const { point, weight } of mixture) {
    fp += toNumber(weight) * roc.points[point].falsePositives;
    tp += toNumber(weight) * roc.points[point].truePositives;
  }
  const target = rates(fp, tp);
  const distance = (point: (typeof roc.points)[number]) => {
    const r = rates(point.falsePositives, point.truePositives);
    return constraint === 'eo' ? Math.abs(r.fpr - target.fpr) + Math.abs(r.tpr - target.tpr) : constraint === 'tpr' ? Math.abs(r.tpr - target.tpr) : Math.abs(r.sr - target.sr);
  };
  const loss = (point: (typeof roc.points)[number]) => costs.falsePositive * point.falsePositives + costs.falseNegative * (roc.positives - point.truePositives);
  return roc.points.reduce((best, point) => {
    const order = distance(point) - distance(best);
    return order < 0 || (order === 0 && loss(point) < loss(best)) ? point : best;
  });
}

/** Expected loss per row and expected rates per group of the fitted mixtures, on the split they were fitted on. */
function fittedSummary(input: ThresholdInput, rocs: GroupRoc[], groups: Record<string, ThresholdComponent[]>, costs: { falsePositive: number; falseNegative: number }): ThresholdsState['fitted'] {
  let loss = 0;
  const rates: ThresholdsState['fitted']['rates'] = {};
  input.keys.forEach((key, a) => {
    const roc = rocs[a];
    let fp = 0;
    let tp = 0;
    for (const { threshold, weight } of groups[key]) {
      const point = roc.points.find((candidate) => candidate.threshold === threshold)!;
      fp += weight * point.falsePositives;
      tp += weight * point.truePositives;
    }
    loss += costs.falsePositive * fp + costs.falseNegative * (roc.positives - tp);
    rates[key] = { tpr: roc.positives > 0 ? tp / roc.positives : null, fpr: roc.negatives > 0 ? fp / roc.negatives : null, selectionRate: (fp + tp) / (roc.positives + roc.negatives) };
  });
  return { rows: input.scores.length, expectedLoss: loss / input.scores.length, rates };
}

/**
 * The probability that the post-processed classifier says positive for a row of group `key` with this score:
 * the total weight of the group's thresholds at or below the score.
 */
export function positiveProbability(state: ThresholdsState, key: string, score: number): number {
  const mixture = state.groups[key];
  if (!mixture) throw new FairkitError(`the thresholds have no group ${JSON.stringify(key)} (they know ${Object.keys(state.groups).map((k) => JSON.stringify(k)).join(', ')})`);
  let probability = 0;
  for (const { threshold, weight } of mixture) if (threshold !== null && score >= threshold) probability += weight;
  return Math.min(1, probability);
}

/**
 * Post-processed predictions of rows in order: each row's probability of a positive (positiveProbability) and its
 * 0/1 prediction, drawn with the state's seed (row i always takes the i-th draw, so a file gives the same
 * predictions every time). A deterministic state's probabilities are 0 or 1 and need no draw. A row whose group is
 * null (unknown) gets null for both.
 */
export function predictWithThresholds(state: ThresholdsState, scores: ArrayLike<number>, groupKeys: readonly (string | null)[]): { probabilities: (number | null)[]; predictions: (0 | 1 | null)[] } {
  if (groupKeys.length !== scores.length) throw new FairkitError(`${scores.length} scores but ${groupKeys.length} group keys`);
  const rng = new Rng(state.seed);
  const probabilities: (number | null)[] = [];
  const predictions: (0 | 1 | null)[] = [];
  for (let i = 0; i < scores.length; i++) {
    const draw = rng.uniform();
    const key = groupKeys[i];
    const probability = key === null ? null : positiveProbability(state, key, scores[i]);
    probabilities.push(probability);
    predictions.push(probability === null ? null : draw < probability ? 1 : 0);
  }
  return { probabilities, predictions };
}

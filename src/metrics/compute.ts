import { FairkitError } from '../errors.js';
import { orderByScore, rankingSums, type AbccPair } from './ranking.js';
import { buildReport, presentGroups, type Summary } from './report.js';
import type { GroupLabels, MetricReport, Warn } from './report-types.js';
import { MetricState } from './state.js';

/** All metrics of a state: overall and per-group performance, and the fairness gaps between groups. */
export function computeMetrics(state: MetricState, labels: GroupLabels): MetricReport {
  checkLabels(labels, state.nGroups);
  const warnings: string[] = [];
  const warn: Warn = (message) => warnings.push(message);
  const summary = summarizeState(state, warn);
  return { ...buildReport(summary, labels, warn), warnings };
}

export interface EvaluateInput {
  yTrue: ArrayLike<number>;
  yPred?: ArrayLike<number>;
  scores?: ArrayLike<number>;
  /** The model's outputs before the sigmoid, for meanLogitGap. */
  logits?: ArrayLike<number>;
  groupIds: ArrayLike<number>;
  groups: GroupLabels;
  weights?: ArrayLike<number>;
  threshold?: number;
}

/** One-shot evaluation of arrays (a state with one batch). */
export function evaluate(input: EvaluateInput): MetricReport {
  return computeMetrics(stateOf(input), input.groups);
}

/** A state holding all rows of `input` (validated). */
export function stateOf(input: EvaluateInput): MetricState {
  checkLabels(input.groups, input.groups.keys.length);
  const state = new MetricState(input.groups.keys.length);
  state.update({
    yTrue: input.yTrue,
    yPred: input.yPred,
    scores: input.scores,
    logits: input.logits,
    groups: input.groupIds,
    weights: input.weights,
    threshold: input.threshold,
  });
  return state;
}

function summarizeState(state: MetricState, warn: Warn): Summary {
  const summary: Summary = { nGroups: state.nGroups, rows: state.rows, confusion: state.confusion, scores: null, logitSums: state.hasLogits ? state.logitSum : null };
  if (state.rowsWithoutLogits > 0 && state.rowsWithoutLogits < state.totalRows) {
    warn(`${state.rowsWithoutLogits} of ${state.totalRows} rows have no logit: meanLogitGap is left out`);
  }
  if (state.rowsWithoutScores > 0 && state.rowsWithoutScores < state.totalRows) {
    const missing = `${state.rowsWithoutScores} of ${state.totalRows} rows have no score`;
    warn(`${missing}: ap, rocAuc, logLoss and abcc are left out`);
  }
  if (!state.hasScores) return summary;
  const probabilities = probabilityScores(state, warn);
  const kept = state.keptRows();
  if (kept === null) warn('ap, rocAuc and abcc are null: the state did not keep its rows (keepRows: false)');
  summary.scores = {
    logLossSum: probabilities ? state.logLossSum : null,
    ranking:
      kept === null
        ? null
        : rankingSums(
            orderByScore(kept.codes, kept.scores, kept.weights),
            state.nGroups,
            probabilities ? abccPairOf(state.confusion, state.nGroups) : null,
          ),
  };
  return summary;
}

/** Whether all scores are probabilities (logLoss and abcc need them); warns when not. */
function probabilityScores(state: MetricState, warn: Warn): boolean {
  if (state.scoresOutsideUnitInterval === 0) return true;
  const outside = `${state.scoresOutsideUnitInterval} scores lie outside [0, 1]`;
  warn(`${outside}: logLoss and abcc are null (they need probabilities)`);
  return false;
}

/** The two groups abcc compares: defined only when exactly two groups have rows with weight. */
export function abccPairOf(confusion: Float64Array, nGroups: number): AbccPair | null {
  const present = presentGroups(confusion, nGroups);
  return present.length === 2 ? abccPairWithWeights(present[0], present[1], confusion) : null;
}

/** The pair with its total weights taken from `confusion`. */
export function abccPairWithWeights(a: number, b: number, confusion: Float64Array): AbccPair {
  const weight = (g: number) => confusion[4 * g] + confusion[4 * g + 1] + confusion[4 * g + 2] + confusion[4 * g + 3];
  return { a, b, weightA: weight(a), weightB: weight(b) };
}

/** Group labels that fit a state of nGroups groups (shared with the regression report). */
export function checkLabels(labels: GroupLabels, nGroups: number): void {
  const where = 'metric groups';
  if (labels.keys.length !== nGroups) {
    throw new FairkitError(`${labels.keys.length} group keys given for ${nGroups} groups`, { where });
  }
  if (labels.values.length !== nGroups) {
    throw new FairkitError(`${labels.values.length} group value records given for ${nGroups} groups`, { where });
  }
  const p = labels.privileged;
  if (p !== undefined && !(Number.isInteger(p) && p >= 0 && p < nGroups)) {
    throw new FairkitError(`privileged group index ${p} is not in [0, ${nGroups})`, { where });
  }
}

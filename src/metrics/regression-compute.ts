import { checkLabels } from './compute.js';
import { ksDistance, orderByPrediction } from './regression-ks.js';
import { buildRegressionReport, type RegressionSummary } from './regression-report.js';
import { RegressionState } from './regression-state.js';
import type { RegressionReport } from './regression-types.js';
import type { GroupLabels, Warn } from './report-types.js';

/** All regression metrics of a state: overall and per-group performance, and the gaps between groups. */
export function computeRegressionMetrics(state: RegressionState, labels: GroupLabels): RegressionReport {
  checkLabels(labels, state.nGroups);
  const warnings: string[] = [];
  const warn: Warn = (message) => warnings.push(message);
  return { ...buildRegressionReport(summarizeRegressionState(state), labels, warn), warnings };
}

export interface RegressionInput {
  yTrue: ArrayLike<number>;
  yPred: ArrayLike<number>;
  groupIds: ArrayLike<number>;
  groups: GroupLabels;
  weights?: ArrayLike<number>;
}

/** One-shot evaluation of arrays (a state with one batch). */
export function evaluateRegression(input: RegressionInput): RegressionReport {
  return computeRegressionMetrics(regressionStateOf(input), input.groups);
}

/** A state (keeping its rows) holding all rows of `input`, validated. */
export function regressionStateOf(input: RegressionInput): RegressionState {
  checkLabels(input.groups, input.groups.keys.length);
  const state = new RegressionState(input.groups.keys.length);
  state.update({ yTrue: input.yTrue, yPred: input.yPred, groups: input.groupIds, weights: input.weights });
  return state;
}

function summarizeRegressionState(state: RegressionState): RegressionSummary {
  const slices = state.groupSlices();
  const kept = state.keptRows();
  if (kept === null) return { slices, ks: null };
  const groupWeight = slices.map((slice) => slice.weight);
  return {
    slices,
    ks: (present) => {
      const order = orderByPrediction(kept.predictions, kept.groups);
      const weights = kept.weights;
      return ksDistance(order, weights === null ? () => 1 : (i) => weights[order.rows[i]], groupWeight, present);
    },
  };
}

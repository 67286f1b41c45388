import { makeTrial, type JournalEntry, type TrialSpec } from './trial.js';

const BASE: TrialSpec = { dataset: 'synthetic', sensitive: ['group'], protocol: 'gcm', method: 'erm', params: {}, seed: 0, fold: null, training: { epochs: 1 } };

interface FakeMetrics {
  accuracy: number;
  ap: number;
  dp: number;
  eo: number;
  /** Per group [selection rate, tpr, fpr]. */
  groups?: Record<string, [number, number, number]>;
}

/**
 * A journal entry with made-up test metrics, for tests of the journal, the aggregation and the report that
 * need no training. Every key the aggregation and charts read is present.
 */
export function fakeEntry(spec: Partial<TrialSpec>, metrics: FakeMetrics, extra: Record<string, unknown> = {}): JournalEntry {
  const groups = metrics.groups ?? { majority: [0.5, 0.8, 0.2], minority: [0.3, 0.6, 0.1] };
  return {
    trial: makeTrial({ ...BASE, ...spec }),
    result: {
      test: {
        overall: { count: 100, accuracy: metrics.accuracy, ap: metrics.ap, balancedAccuracy: metrics.accuracy, rocAuc: metrics.ap, f1: 0.5 },
        fairness: { demographicParityDifference: metrics.dp, equalizedOddsSum: metrics.eo, equalizedOddsDifference: metrics.eo / 2, equalOpportunityDifference: metrics.eo / 2 },
        groups: Object.entries(groups).map(([key, [selectionRate, tpr, fpr]]) => ({ key, values: { group: key }, count: 50, selectionRate, tpr, fpr, accuracy: metrics.accuracy })),
      },
      trainSeconds: 1,
      epochs: 2,
      history: [1, 2].map((epoch) => ({ epoch, loss: 0.7 / epoch, seconds: 0.1, validation: { accuracy: metrics.accuracy - 0.1 / epoch, ap: metrics.ap, equalizedOddsSum: metrics.eo, demographicParityDifference: metrics.dp } })),
      contribution: [1, 2].flatMap((epoch) => [0, 1].map((label) => ({ step: epoch - 1, epoch, label: label as 0 | 1, group: 'minority', reference: 'majority', ratio: 0.5 + 0.1 * label, median: 0.4 + 0.1 * label }))),
      ...extra,
    },
  };
}

interface FakeRegressionMetrics {
  rmse: number;
  r2: number;
  /** Per group [MSE, mean prediction]; MAE is taken as 0.8 × √MSE and the mean residual as 0. */
  groups: Record<string, [mse: number, meanPrediction: number]>;
}

/**
 * A regression journal entry with made-up test metrics. The fairness gaps are the max − min of the group values
 * given (as the regression report computes them), so a test can derive every aggregated number by hand.
 */
export function fakeRegressionEntry(spec: Partial<TrialSpec>, metrics: FakeRegressionMetrics, { legacy = false } = {}): JournalEntry {
  const groups = Object.entries(metrics.groups).map(([key, [mse, meanPrediction]]) => ({
    key, values: { group: key }, count: 50, mse, rmse: Math.sqrt(mse), mae: 0.8 * Math.sqrt(mse), r2: metrics.r2, meanPrediction, meanResidual: 0,
  }));
  const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
  const mses = groups.map((group) => group.mse);
  return {
    trial: makeTrial({ ...BASE, dataset: 'synthetic-regression', ...spec }),
    result: {
      // An entry written without `task` must still be read as regression (from its keys).
      ...(legacy ? {} : { task: 'regression' as const }),
      test: {
        overall: { count: 100, mse: metrics.rmse ** 2, rmse: metrics.rmse, mae: 0.8 * metrics.rmse, r2: metrics.r2, meanPrediction: 0.5, meanResidual: 0 },
        fairness: {
          mseDifference: spread(mses), mseRatio: Math.min(...mses) / Math.max(...mses), maeDifference: 0.8 * spread(mses.map(Math.sqrt)), maeRatio: null,
          mseStd: null, meanPredictionDifference: spread(groups.map((group) => group.meanPrediction)), meanResidualDifference: 0, ksDistance: 0.1,
        },
        groups,
      },
      trainSeconds: 2,
      epochs: 2,
      history: [1, 2].map((epoch) => ({ epoch, loss: 0.5 / epoch, seconds: 0.1, validation: { rmse: metrics.rmse + 0.1 / epoch, r2: metrics.r2, mseDifference: spread(mses), meanPredictionDifference: 0.1 } })),
    },
  };
}

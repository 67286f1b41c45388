import type {
  RegressionFairnessMetric,
  RegressionFairnessMetricName,
  RegressionPerformanceMetric,
  RegressionPerformanceMetricName,
} from './metric-definition.js';

type PerformanceDeclaration = Omit<RegressionPerformanceMetric, 'name' | 'kind' | 'task'>;
type FairnessDeclaration = Omit<RegressionFairnessMetric, 'name' | 'kind' | 'task'>;

const several = { groups: 'several' } as const;

/**
 * The regression performance metrics, in the order of RegressionPerformanceValues (keyed by name so that the
 * compiler insists on every key); the values come from regressionPerformance (regression-report.ts).
 */
const performance: { [K in RegressionPerformanceMetricName]-?: PerformanceDeclaration } = {
  count: { better: 'none', description: 'number of rows (unweighted)', needs: {} },
  mse: { better: 'lower', description: 'Σw·(ŷ − y)² / W, mean squared error', needs: {} },
  rmse: { better: 'lower', description: '√mse, in the unit of the label', needs: {} },
  mae: { better: 'lower', description: 'Σw·|ŷ − y| / W, mean absolute error', needs: {} },
  r2: { better: 'higher', description: '1 − SSE / SST, SST = Σw·(y − ȳ)²; needs labels that vary', needs: {} },
  meanPrediction: { better: 'none', description: 'Σw·ŷ / W, the weighted mean prediction', needs: {} },
  meanResidual: {
    better: 'zero',
    description: 'Σw·(ŷ − y) / W: positive over-predicts, negative under-predicts',
    needs: {},
  },
};

/**
 * The regression fairness metrics, in the order of RegressionFairnessValues: gaps between the groups with rows
 * (max − min and min / max, as Fairlearn's between_groups), a population std, and a distribution distance.
 */
const fairness: { [K in RegressionFairnessMetricName]-?: FairnessDeclaration } = {
  mseDifference: {
    better: 'lower',
    description: 'max − min group MSE (bounded group loss)',
    needs: several,
    from: ['mse'],
    value: (g) => g.difference('mse'),
  },
  mseRatio: {
    better: 'one',
    description: 'min / max group MSE',
    needs: several,
    from: ['mse'],
    value: (g) => g.ratio('mse'),
  },
  maeDifference: {
    better: 'lower',
    description: 'max − min group MAE',
    needs: several,
    from: ['mae'],
    value: (g) => g.difference('mae'),
  },
  maeRatio: {
    better: 'one',
    description: 'min / max group MAE',
    needs: several,
    from: ['mae'],
    value: (g) => g.ratio('mae'),
  },
  mseStd: {
    better: 'lower',
    description: 'population std of the group MSEs (Fair MEDL, regression form)',
    needs: several,
    from: ['mse'],
    value: (g) => g.std('mse'),
  },
  meanPredictionDifference: {
    better: 'lower',
    description: 'max − min group mean prediction (statistical parity of the mean, ECP)',
    needs: several,
    from: ['meanPrediction'],
    value: (g) => g.difference('meanPrediction'),
  },
  meanResidualDifference: {
    better: 'lower',
    description: 'max − min group mean residual (equal error on average, EER)',
    needs: several,
    from: ['meanResidual'],
    value: (g) => g.difference('meanResidual'),
  },
  ksDistance: {
    better: 'lower',
    description: 'max over pairs of groups of sup |F_g − F_h|, F the (weighted) ECDF of the predictions',
    needs: { groups: 'several', keptRows: true },
    from: [],
    value: (g) => g.ksDistance,
  },
};

export const regressionPerformanceMetrics: readonly RegressionPerformanceMetric[] = Object.entries(performance).map(
  ([name, declaration]) => ({ name: name as RegressionPerformanceMetricName, kind: 'performance', task: 'regression', ...declaration }),
);

export const regressionFairnessMetrics: readonly RegressionFairnessMetric[] = Object.entries(fairness).map(
  ([name, declaration]) => ({ name: name as RegressionFairnessMetricName, kind: 'fairness', task: 'regression', ...declaration }),
);

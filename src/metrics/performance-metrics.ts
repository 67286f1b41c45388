import type { PerformanceMetric, PerformanceMetricName } from './metric-definition.js';

type Declaration = Omit<PerformanceMetric, 'name' | 'kind' | 'task'>;

/**
 * The performance metrics, in the order of PerformanceValues. Keyed by name so that the compiler insists on every
 * key of PerformanceValues; the values themselves come from performanceValues (performance.ts).
 */
const declarations: { [K in PerformanceMetricName]-?: Declaration } = {
  count: { better: 'none', description: 'number of rows (unweighted)', needs: {} },
  accuracy: { better: 'higher', description: '(TP + TN) / W', needs: {} },
  balancedAccuracy: { better: 'higher', description: '(TPR + TNR) / 2; needs both classes', needs: {} },
  selectionRate: { better: 'none', description: '(TP + FP) / W, the share predicted positive', needs: {} },
  tpr: { better: 'higher', description: 'TP / P (recall); needs positives', needs: {} },
  fpr: { better: 'lower', description: 'FP / N; needs negatives', needs: {} },
  precision: { better: 'higher', description: 'TP / (TP + FP); needs predicted positives', needs: {} },
  f1: { better: 'higher', description: '2TP / (2TP + FP + FN)', needs: {} },
  ap: {
    better: 'higher',
    description: 'average precision, step interpolation over distinct scores (scikit-learn)',
    needs: { scores: 'any', keptRows: true },
  },
  rocAuc: {
    better: 'higher',
    description: 'area under the ROC curve, ties counted one half (scikit-learn)',
    needs: { scores: 'any', keptRows: true },
  },
  logLoss: {
    better: 'lower',
    description: 'weighted mean of −log p(label), p clipped as scikit-learn 1.2',
    needs: { scores: 'probabilities' },
  },
};

export const performanceMetrics: readonly PerformanceMetric[] = Object.entries(declarations).map(
  ([name, declaration]) => ({ name: name as PerformanceMetricName, kind: 'performance', task: 'classification', ...declaration }),
);

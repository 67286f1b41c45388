import type { FairnessMetric, FairnessMetricName } from './metric-definition.js';
import type { MetricValue } from './report-types.js';

type Declaration = Omit<FairnessMetric, 'name' | 'kind' | 'task'>;

const several = { groups: 'several' } as const;

/**
 * The fairness metrics (evaluation.md §1), in the order of FairnessValues, each a short composition of gaps
 * between the groups' rates (max − min and min / max over the groups with rows: Fairlearn's between_groups).
 * Keyed by name so that the compiler insists on every key of FairnessValues.
 */
const declarations: { [K in FairnessMetricName]-?: Declaration } = {
  demographicParityDifference: {
    better: 'lower',
    description: 'max − min selection rate over groups',
    needs: several,
    from: ['selectionRate'],
    value: (g) => g.difference('selectionRate'),
  },
  demographicParityRatio: {
    better: 'one',
    description: 'min / max selection rate over groups (the 80% rule)',
    needs: several,
    from: ['selectionRate'],
    value: (g) => g.ratio('selectionRate'),
  },
  equalizedOddsDifference: {
    better: 'lower',
    description: 'max(ΔTPR, ΔFPR), Δ = max − min over groups',
    needs: several,
    from: ['tpr', 'fpr'],
    value: (g) => both(g.difference('tpr'), g.difference('fpr'), Math.max),
  },
  equalizedOddsRatio: {
    better: 'one',
    description: 'min(TPR ratio, FPR ratio), ratio = min / max over groups',
    needs: several,
    from: ['tpr', 'fpr'],
    value: (g) => both(g.ratio('tpr'), g.ratio('fpr'), Math.min),
  },
  equalizedOddsSum: {
    better: 'lower',
    description: 'ΔTPR + ΔFPR (GCM ΔEO, FFB eodd)',
    needs: several,
    from: ['tpr', 'fpr'],
    value: (g) => both(g.difference('tpr'), g.difference('fpr'), (tpr, fpr) => tpr + fpr),
  },
  equalOpportunityDifference: {
    better: 'lower',
    description: 'ΔTPR, max − min over groups',
    needs: several,
    from: ['tpr'],
    value: (g) => g.difference('tpr'),
  },
  equalOpportunityRatio: {
    better: 'one',
    description: 'TPR_unprivileged / TPR_privileged with two groups and a privileged one (GCM EOP), else min / max',
    needs: several,
    from: ['tpr'],
    value: (g) => (g.privilegedPair() === null ? g.ratio('tpr') : g.privilegedRatio('tpr')),
  },
  tprStd: {
    better: 'lower',
    description: 'population std of TPR over the groups where it is defined (Fair MEDL)',
    needs: several,
    from: ['tpr'],
    value: (g) => g.std('tpr'),
  },
  fprStd: {
    better: 'lower',
    description: 'population std of FPR over the groups where it is defined (Fair MEDL)',
    needs: several,
    from: ['fpr'],
    value: (g) => g.std('fpr'),
  },
  averageOddsDifference: {
    better: 'zero',
    description: '½[(FPR_u − FPR_p) + (TPR_u − TPR_p)], signed (AIF360)',
    needs: { groups: 'exactlyTwo', privileged: true },
    from: ['fpr', 'tpr'],
    value: (g) => {
      const pair = g.privilegedPair();
      if (pair === null) return undefined;
      const [u, p] = pair;
      return u.tpr === null || u.fpr === null || p.tpr === null || p.fpr === null
        ? null
        : (u.fpr - p.fpr + (u.tpr - p.tpr)) / 2;
    },
  },
  abcc: {
    better: 'lower',
    description: '∫|ECDF_0 − ECDF_1| of the predicted probabilities (threshold-free DP, FFB)',
    needs: { groups: 'exactlyTwo', scores: 'probabilities', keptRows: true },
    from: [],
    value: (g) => g.abcc,
  },
  meanLogitGap: {
    better: 'lower',
    description: "max − min over groups of the mean logit, the model's output before the sigmoid (the F-Layer's ECP gap)",
    needs: { groups: 'several', logits: true },
    from: [],
    value: (g) => g.meanLogitGap,
  },
};

/** Both evaluated (each may warn), then combined; null when either is. */
function both(a: MetricValue, b: MetricValue, combine: (a: number, b: number) => number): MetricValue {
  return a === null || b === null ? null : combine(a, b);
}

export const fairnessMetrics: readonly FairnessMetric[] = Object.entries(declarations).map(
  ([name, declaration]) => ({ name: name as FairnessMetricName, kind: 'fairness', task: 'classification', ...declaration }),
);

import type { TopLevelSpec } from 'vega-lite';
import type { StudySummary } from '../bench/aggregate.js';
import type { ChartSpec } from './charts.js';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.js';

/** The per-group values a regression study draws, with their panel titles. */
export const REGRESSION_GROUP_VALUES = [['meanPrediction', 'mean prediction'], ['mse', 'MSE'], ['meanResidual', 'mean residual']] as const;

/**
 * Mean prediction, MSE and mean residual of each group under each configuration, with bootstrap intervals over runs:
 * the per-group values behind meanPredictionDifference, mseDifference and meanResidualDifference. Unlike rates,
 * they have no common [0, 1] scale, so each panel has its own axis.
 */
export function regressionGroupChart(study: StudySummary): ChartSpec {
  const order = study.configs.map((config) => config.label);
  const values = study.configs.flatMap((config) =>
    config.groups.flatMap((group) =>
      REGRESSION_GROUP_VALUES.flatMap(([key, title]) => {
        const stat = group.metrics[key];
        if (!stat || stat.mean === null) return [];
        return [{ config: config.label, group: group.key, value: title, mean: stat.mean, low: stat.interval?.[0] ?? stat.mean, high: stat.interval?.[1] ?? stat.mean }];
      }),
    ),
  );
  const y = { field: 'config', type: 'nominal', sort: order, title: null } as const;
  const yOffset = { field: 'group', type: 'nominal', sort: 'ascending' } as const;
  return {
    id: 'groups',
    title: 'Per-group mean prediction and error',
    caption: "Test-split mean prediction, MSE and mean residual (prediction − target; positive over-predicts) of each group, on the target's own scale (mean over runs); whiskers are 95% bootstrap intervals of the mean over runs (none with one run). Equal bars within a row mean no gap on that value.",
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      config: CHART_CONFIG,
      data: { values },
      facet: { column: { field: 'value', type: 'nominal', title: null, sort: REGRESSION_GROUP_VALUES.map(([, title]) => title), header: { labelFontSize: 12 } } },
      spec: {
        width: 180,
        height: { step: 9 },
        layer: [
          { mark: { type: 'bar' }, encoding: { y, yOffset, x: { field: 'mean', type: 'quantitative', title: null }, color: { field: 'group', type: 'nominal', title: 'group', scale: { scheme: 'set2' } } } },
          { mark: { type: 'rule', color: '#333' }, encoding: { y, yOffset, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
        ],
      },
      resolve: { scale: { x: 'independent' } },
    } as TopLevelSpec,
  };
}

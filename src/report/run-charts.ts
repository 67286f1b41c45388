import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './charts.js';
import { CHART_CONFIG, contributionRatioSpec, CURVE_TITLES, GROUP_RATES, VEGA_LITE_SCHEMA } from './charts.js';
import { REGRESSION_GROUP_VALUES } from './regression-charts.js';
import type { RunContribution, RunMetrics } from './run-files.js';

/** Loss and validation metrics after each epoch of one `fairkit train` run. */
export function runCurvesChart(metrics: RunMetrics): ChartSpec {
  const values = metrics.history.flatMap((entry) => [
    { epoch: entry.epoch, metric: 'training loss', value: entry.loss },
    ...Object.entries(entry.validation ?? {}).flatMap(([metric, value]) => (typeof value === 'number' ? [{ epoch: entry.epoch, metric: `validation ${CURVE_TITLES[metric] ?? metric}`, value }] : [])),
  ]);
  return {
    id: 'curves',
    title: 'Training curves',
    caption: 'Mean training loss over the batches of each epoch, and validation-split metrics after it.',
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      config: CHART_CONFIG,
      data: { values },
      facet: { column: { field: 'metric', type: 'nominal', title: null, sort: [...new Set(values.map((value) => value.metric))] } },
      spec: {
        width: 170,
        height: 140,
        mark: { type: 'line', strokeWidth: 1.4, point: metrics.history.length <= 30 },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
          y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        },
      },
      resolve: { scale: { y: 'independent' } },
    } as TopLevelSpec,
  };
}

/** Test-split selection rate, TPR and FPR of each group of one run. */
export function runGroupRatesChart(metrics: RunMetrics): ChartSpec {
  return groupPanelsChart(metrics, GROUP_RATES, {
    title: 'Per-group rates',
    caption: 'Test-split selection rate, true-positive rate and false-positive rate of each group; equal bars mean parity on that rate.',
    panelField: 'rate',
    x: { title: 'rate', scale: { domain: [0, 1] } },
  });
}

/**
 * GCM's contribution disparity at every recorded step, per label, over all weights and per layer (the paper's
 * Fig. 2): the median over weights of |gradient of the group's summed loss| / |the reference group's|.
 */
export function runContributionChart(contribution: RunContribution): ChartSpec {
  const name = (id: number) => contribution.groups?.[id] ?? `group ${id}`;
  const values = contribution.records.flatMap((record) => [
    { step: record.step, label: `y = ${record.y}`, series: `${name(record.group)} / ${name(record.reference)}: all weights`, ratio: record.median },
    ...Object.entries(record.perLayerMedian).map(([layer, ratio]) => ({ step: record.step, label: `y = ${record.y}`, series: `${name(record.group)} / ${name(record.reference)}: ${layer}`, ratio })),
  ]).filter((value): value is typeof value & { ratio: number } => typeof value.ratio === 'number' && Number.isFinite(value.ratio) && value.ratio > 0);
  return {
    id: 'contribution',
    title: 'Group contribution disparity over training',
    caption: 'GCM\'s contribution ratio before each optimiser step, per label: the median over weights (all, and each layer) of |gradient of a group\'s summed loss| / |the reference group\'s|. 1 (grey line) means both groups pull every weight equally hard.',
    spec: contributionRatioSpec(values, {
      size: { width: 300, height: 190, strokeWidth: 1.2 },
      x: { field: 'step', type: 'quantitative', title: 'step' },
      color: { field: 'series', type: 'nominal', title: 'ratio of', scale: { scheme: 'tableau10' } },
    }),
  };
}

/** Test-split mean prediction, MSE and mean residual of each group of one regression run (target's own scale). */
export function runRegressionGroupChart(metrics: RunMetrics): ChartSpec {
  return groupPanelsChart(metrics, REGRESSION_GROUP_VALUES, {
    title: 'Per-group mean prediction and error',
    caption: "Test-split mean prediction, MSE and mean residual (prediction − target) of each group, on the target's own scale; equal bars mean no gap on that value.",
    panelField: 'panel',
    x: { title: null },
    independentX: true,
  });
}

/** One bar panel per group value (a panel per metric), groups on the y axis: the per-group chart of a run. */
function groupPanelsChart(
  metrics: RunMetrics,
  panels: readonly (readonly [string, string])[],
  options: { title: string; caption: string; panelField: string; x: Record<string, unknown>; independentX?: boolean },
): ChartSpec {
  const values = metrics.test.groups.flatMap((group) =>
    panels.flatMap(([key, title]) => (typeof group[key] === 'number' ? [{ group: group.key, [options.panelField]: title, value: group[key] }] : [])),
  );
  return {
    id: 'groups',
    title: options.title,
    caption: options.caption,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      config: CHART_CONFIG,
      data: { values },
      facet: { column: { field: options.panelField, type: 'nominal', title: null, sort: panels.map(([, title]) => title), header: { labelFontSize: 12 } } },
      spec: {
        width: 180,
        height: { step: 14 },
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'group', type: 'nominal', title: null },
          x: { field: 'value', type: 'quantitative', ...options.x },
          color: { field: 'group', type: 'nominal', legend: null, scale: { scheme: 'set2' } },
        },
      },
      ...(options.independentX ? { resolve: { scale: { x: 'independent' } } } : {}),
    } as TopLevelSpec,
  };
}

/** The per-group chart of a run: rates for a classifier, mean prediction and errors for a regressor. */
export function runGroupChart(metrics: RunMetrics): ChartSpec {
  return metrics.test.groups.some((group) => typeof group.mse === 'number') ? runRegressionGroupChart(metrics) : runGroupRatesChart(metrics);
}

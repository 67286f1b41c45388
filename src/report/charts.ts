import type { TopLevelSpec } from 'vega-lite';
import { formatLambda, type StudySummary, type TradeoffSummary } from '../bench/aggregate.js';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.js';
import { regressionGroupChart } from './regression-charts.js';

/** A chart of the report: its Vega-Lite spec and the words around it. */
export interface ChartSpec {
  /** File-name-safe id, unique within a study. */
  id: string;
  title: string;
  caption: string;
  spec: TopLevelSpec;
}

export { CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.js';
export const GROUP_RATES = [['selectionRate', 'selection rate'], ['tpr', 'TPR'], ['fpr', 'FPR']] as const;
export const CURVE_TITLES: Record<string, string> = {
  accuracy: 'accuracy', ap: 'AP', equalizedOddsSum: 'ΔEO (sum)', demographicParityDifference: 'ΔDP',
  rmse: 'RMSE', r2: 'R²', mseDifference: 'ΔMSE', meanPredictionDifference: 'Δ mean prediction',
};

/**
 * The charts of one study: both trade-off planes, per-group rates (regression: per-group mean prediction and
 * errors), training curves, contribution ratios (classification only: regression trials do not record them).
 */
export function studyCharts(study: StudySummary): ChartSpec[] {
  const charts = study.tradeoffs.map(tradeoffChart);
  charts.push(study.task === 'regression' ? regressionGroupChart(study) : groupRatesChart(study));
  if (study.configs.some((config) => config.curves.length > 0)) charts.push(trainingCurvesChart(study));
  if (study.configs.some((config) => config.contribution.length > 0)) charts.push(contributionChart(study));
  return charts;
}

/**
 * Utility against −gap (right is fairer, as GCM plots −ΔEO), means over runs, the Pareto front as a dashed line.
 * An error utility (RMSE) is drawn on a reversed axis, so that up is better in every plane.
 */
export function tradeoffChart(summary: TradeoffSummary): ChartSpec {
  const { tradeoff, points } = summary;
  const configs = new Map(points.map((point) => [point.config, point]));
  const values = points.map((point) => ({
    label: point.label,
    method: point.method,
    fairness: -point.gap,
    utility: point.utility,
    front: point.onFront,
    lambda: point.lambda === null ? '' : formatLambda(point.lambda),
  }));
  const frontValues = summary.front.map((key) => ({ fairness: -configs.get(key)!.gap, utility: configs.get(key)!.utility }));
  const x = { field: 'fairness', type: 'quantitative', title: `−${tradeoff.gapTitle} (right is fairer)`, scale: { zero: false, nice: true } } as const;
  const lower = 'utilityBetter' in tradeoff && tradeoff.utilityBetter === 'lower';
  const y = lower
    ? ({ field: 'utility', type: 'quantitative', title: `${tradeoff.utilityTitle} (lower is better; axis reversed)`, scale: { zero: false, nice: true, reverse: true } } as const)
    : ({ field: 'utility', type: 'quantitative', title: tradeoff.utilityTitle, scale: { zero: false, nice: true } } as const);
  const errorNote = lower
    ? ` ${tradeoff.utilityTitle} is the test error on the target's own scale: lower is better, so its axis is reversed and up-and-right is better, as in the classification planes; the front takes lower ${tradeoff.utilityTitle} as better.`
    : '';
  return {
    id: `tradeoff-${tradeoff.id}`,
    title: `Trade-off: ${tradeoff.title}`,
    caption: `Mean over runs of each method and λ; the dashed line joins the Pareto front (no other configuration is at least as good on both ${tradeoff.utilityTitle} and ${tradeoff.gapTitle} and better on one). Labels give λ.${errorNote}`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      config: CHART_CONFIG,
      width: 440,
      height: 300,
      layer: [
        {
          data: { values: frontValues },
          mark: { type: 'line', color: '#777', strokeDash: [5, 3], point: false },
          encoding: { x, y, order: { field: 'fairness', type: 'quantitative' } },
        },
        {
          data: { values },
          mark: { type: 'point', filled: true, size: 70, opacity: 0.9 },
          encoding: {
            x, y,
            color: { field: 'method', type: 'nominal', title: 'method', scale: { scheme: 'tableau20' } },
            shape: { field: 'front', type: 'nominal', title: 'on the front', scale: { domain: [true, false], range: ['diamond', 'circle'] } },
          },
        },
        {
          data: { values },
          mark: { type: 'text', align: 'left', dx: 6, dy: -4, fontSize: 9, color: '#444' },
          encoding: { x, y, text: { field: 'lambda', type: 'nominal' } },
        },
      ],
    } as TopLevelSpec,
  };
}

/** Selection rate, TPR and FPR of each group under each configuration, with bootstrap intervals over runs. */
export function groupRatesChart(study: StudySummary): ChartSpec {
  const order = study.configs.map((config) => config.label);
  const values = study.configs.flatMap((config) =>
    config.groups.flatMap((group) =>
      GROUP_RATES.flatMap(([key, title]) => {
        const stat = group.metrics[key];
        if (stat.mean === null) return [];
        return [{ config: config.label, group: group.key, rate: title, mean: stat.mean, low: stat.interval?.[0] ?? stat.mean, high: stat.interval?.[1] ?? stat.mean }];
      }),
    ),
  );
  const y = { field: 'config', type: 'nominal', sort: order, title: null } as const;
  const yOffset = { field: 'group', type: 'nominal', sort: 'ascending' } as const;
  return {
    id: 'groups',
    title: 'Per-group rates',
    caption: 'Test-split selection rate, true-positive rate and false-positive rate of each group (mean over runs); whiskers are 95% bootstrap intervals of the mean over runs (none with one run). Equal bars within a row mean parity on that rate.',
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      config: CHART_CONFIG,
      data: { values },
      facet: { column: { field: 'rate', type: 'nominal', title: null, sort: GROUP_RATES.map(([, title]) => title), header: { labelFontSize: 12 } } },
      spec: {
        width: 180,
        height: { step: 9 },
        layer: [
          { mark: { type: 'bar' }, encoding: { y, yOffset, x: { field: 'mean', type: 'quantitative', title: 'rate', scale: { domain: [0, 1] } }, color: { field: 'group', type: 'nominal', title: 'group', scale: { scheme: 'set2' } } } },
          { mark: { type: 'rule', color: '#333' }, encoding: { y, yOffset, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
        ],
      },
    } as TopLevelSpec,
  };
}

/** Validation metrics per epoch, averaged over runs: how each configuration got where it ended. */
export function trainingCurvesChart(study: StudySummary): ChartSpec {
  const values = study.configs.flatMap((config) =>
    config.curves.map((point) => ({ config: config.label, method: config.method, epoch: point.epoch, metric: CURVE_TITLES[point.metric] ?? point.metric, value: point.mean })),
  );
  const metrics = [...new Set(values.map((value) => value.metric))];
  return {
    id: 'curves',
    title: 'Training curves',
    caption: 'Validation-split metrics after each epoch, mean over runs.',
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      config: CHART_CONFIG,
      data: { values },
      facet: { column: { field: 'metric', type: 'nominal', title: null, sort: metrics } },
      spec: {
        width: 190,
        height: 150,
        mark: { type: 'line', strokeWidth: 1.4 },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
          y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
          color: { field: 'config', type: 'nominal', title: 'configuration', sort: study.configs.map((config) => config.label), scale: { scheme: 'category20' } },
        },
      },
      resolve: { scale: { y: 'independent' } },
    } as TopLevelSpec,
  };
}

/**
 * GCM's group contribution disparity over training, per label (1 = the groups move the weights equally), as the
 * paper's Fig. 2. It plots the median over weights of the per-weight ratio where recorded: Eq. 8's mean is
 * dominated by the few weights whose reference gradient is nearly 0 (spikes of 10²–10⁴).
 */
export function contributionChart(study: StudySummary): ChartSpec {
  const statistic = study.configs.some((config) => config.contribution.some((point) => point.statistic === 'median')) ? 'median' : 'mean';
  const values = study.configs.flatMap((config) =>
    config.contribution
      .filter((point) => point.statistic === statistic && point.mean > 0) // plotted on a log axis
      .map((point) => ({ config: config.label, epoch: point.epoch, label: `y = ${point.label}`, series: `${config.label} · ${point.group}`, ratio: point.mean, pair: `${point.group} / ${point.reference}` })),
  );
  const pairs = [...new Set(values.map((value) => value.pair))];
  const measure = statistic === 'median' ? 'the median over weights (Eq. 8 takes the mean, which near-zero reference gradients make spiky)' : "Eq. 8's mean over weights";
  return {
    id: 'contribution',
    title: 'Group contribution disparity over training',
    caption: `GCM's contribution ratio |gradient of a group's summed loss| / |the reference group's|, per weight and label (${pairs.join('; ')}): ${measure}, at the first step of every epoch, mean over runs. 1 (grey line) means both groups pull every weight equally; GCM matches these contributions.`,
    spec: contributionRatioSpec(values, {
      size: { width: 260, height: 170, strokeWidth: 1.4 },
      x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
      color: { field: 'config', type: 'nominal', title: 'configuration', sort: study.configs.map((config) => config.label), scale: { scheme: 'category20' } },
      detail: { field: 'series', type: 'nominal' },
    }),
  };
}

/**
 * The contribution-ratio plot shared by the bench and run reports: one panel per label (`label` field), `ratio` on a
 * log axis, and a grey rule at 1 (equal contributions). `encoding` says what runs along x and what the lines are.
 */
export function contributionRatioSpec(
  values: { label: string; ratio: number }[],
  encoding: { size: { width: number; height: number; strokeWidth: number }; x: object; color: object; detail?: object },
): TopLevelSpec {
  const { size, ...channels } = encoding;
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    data: { values },
    facet: { column: { field: 'label', type: 'nominal', title: null } },
    spec: {
      width: size.width,
      height: size.height,
      layer: [
        {
          mark: { type: 'line', strokeWidth: size.strokeWidth },
          encoding: { ...channels, y: { field: 'ratio', type: 'quantitative', title: 'contribution ratio', scale: { type: 'log' } } },
        },
        { data: { values: [{ one: 1 }] }, mark: { type: 'rule', color: '#999', strokeDash: [4, 3] }, encoding: { y: { field: 'one', type: 'quantitative' } } },
      ],
    },
  } as TopLevelSpec;
}

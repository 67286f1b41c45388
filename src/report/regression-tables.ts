import type { StudySummary } from '../bench/aggregate.js';
import type { Stat } from '../bench/stats.js';
import type { RegressionMetricName } from '../metrics/metric-definition.js';
import type { Table } from './tables.js';

const METHOD_COLUMNS = [
  ['rmse', 'RMSE'], ['r2', 'R²'], ['mae', 'MAE'], ['mseDifference', 'ΔMSE'], ['meanPredictionDifference', 'Δ mean pred.'],
  ['meanResidualDifference', 'Δ mean resid.'], ['ksDistance', 'KS'],
] as const satisfies readonly (readonly [RegressionMetricName, string])[]; // a misspelt metric name fails to compile

/**
 * mean ± std with four decimals, on the target's own scale: regression metrics are not shares, so not ×100
 * (Communities' target lies in [0, 1], where RMSE is about 0.14 and ΔMSE about 0.02).
 */
export function plain(stat: Pick<Stat, 'mean' | 'std'> | undefined): string {
  if (!stat || stat.mean === null) return '—';
  return stat.std === null ? stat.mean.toFixed(4) : `${stat.mean.toFixed(4)} ± ${stat.std.toFixed(4)}`;
}

function ratio(value: number | null | undefined): string {
  return typeof value === 'number' ? value.toFixed(3) : '—';
}

/** One row per method and λ of a regression study: test metrics (mean ± sd over runs), ERM-normalised, time. */
export function regressionMethodsTable(study: StudySummary): Table {
  const [mse, prediction] = study.tradeoffs;
  const point = (tradeoff: typeof mse, key: string) => tradeoff.points.find((candidate) => candidate.config === key);
  return {
    header: ['method', 'runs', ...METHOD_COLUMNS.map(([, title]) => title), 'RMSE/ERM', 'ΔMSE/ERM', 'Δ mean pred./ERM', 'train s'],
    numeric: [false, true, ...METHOD_COLUMNS.map(() => true), true, true, true, true],
    rows: study.configs.map((config) => [
      config.label + (mse.front.includes(config.key) || prediction.front.includes(config.key) ? ' *' : ''),
      String(config.runs),
      ...METHOD_COLUMNS.map(([key]) => plain(config.metrics[key])),
      ratio(point(mse, config.key)?.normalisedUtility),
      ratio(point(mse, config.key)?.normalisedGap),
      ratio(point(prediction, config.key)?.normalisedGap),
      config.trainSeconds.mean === null ? '—' : config.trainSeconds.mean.toFixed(1),
    ]),
  };
}

/** Hypervolume of each method's ERM-normalised points in both regression planes (higher is better; ERM is 0). */
export function regressionHypervolumeTable(study: StudySummary): Table {
  const methods = [...new Set(study.configs.map((config) => config.method))];
  const [mse, prediction] = study.tradeoffs;
  return {
    header: ['method', 'hypervolume RMSE × ΔMSE', 'hypervolume RMSE × Δ mean prediction'],
    numeric: [false, true, true],
    rows: [
      ...methods.map((method) => [method, ratio(mse.hypervolume.byMethod[method]), ratio(prediction.hypervolume.byMethod[method])]),
      ['(all methods)', ratio(mse.hypervolume.all), ratio(prediction.hypervolume.all)],
    ],
  };
}

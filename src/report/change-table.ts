import type { ConfigSummary, StudySummary } from '../bench/aggregate.js';
import { PAIRED_LEVEL, type PairedDifference } from '../bench/stats.js';
import type { Table } from './tables.js';

/** The metrics the change table shows: classification ×100 (points), regression on the target's scale. */
const CHANGE_COLUMNS = {
  classification: [['accuracy', 'acc'], ['ap', 'AP'], ['demographicParityDifference', 'ΔDP'], ['equalizedOddsSum', 'ΔEO (sum)'], ['equalOpportunityDifference', 'ΔEOpp']],
  regression: [['rmse', 'RMSE'], ['mseDifference', 'ΔMSE'], ['meanPredictionDifference', 'Δ mean pred.']],
} as const;

/**
 * One row per configuration but ERM: per metric the mean paired difference to ERM over runs (same seed or fold)
 * with its 95% t interval; which metrics moved beyond seed noise (the interval excludes 0; ↑ up, ↓ down); and the
 * trade-off planes in which the configuration sits on the Pareto front. Null without an ERM reference.
 */
export function changeTable(study: StudySummary): Table | null {
  if (!study.reference) return null;
  const columns = CHANGE_COLUMNS[study.task];
  const scale = study.task === 'regression' ? 1 : 100;
  const digits = study.task === 'regression' ? 4 : 2;
  const cell = (difference: PairedDifference | undefined) => {
    if (!difference || difference.mean === null) return '—';
    const value = (x: number) => signed(scale * x, digits);
    return difference.interval ? `${value(difference.mean)} [${value(difference.interval[0])}, ${value(difference.interval[1])}]` : value(difference.mean);
  };
  const rows = study.configs.filter((config) => config.versusReference).map((config) => [
    config.label,
    String(Math.min(...columns.map(([key]) => config.versusReference![key]?.n ?? 0))),
    ...columns.map(([key]) => cell(config.versusReference![key])),
    beyondNoise(config, columns),
    frontsOf(study, config),
  ]);
  return {
    header: ['method', 'pairs', ...columns.map(([, title]) => `${title} − ERM`), 'beyond noise', 'Pareto front'],
    numeric: [false, true, ...columns.map(() => true), false, false],
    rows: [...rows, [study.reference.label, String(study.reference.runs), ...columns.map(() => '0'), '', frontsOf(study, study.reference)]],
  };
}

/** What the change table's numbers are, for the text above it. */
export function changeTableNote(study: StudySummary): string {
  const units = study.task === 'regression' ? "on the target's scale" : 'in points (×100)';
  return `Change against ERM, ${units}: mean over paired runs (same seed or fold) of method − ERM, with its ${100 * PAIRED_LEVEL}% t interval over runs. ` +
    '"beyond noise" lists the metrics whose interval excludes 0 (↑ higher, ↓ lower than ERM); "Pareto front" the planes in which the configuration is not dominated.';
}

function beyondNoise(config: ConfigSummary, columns: readonly (readonly [string, string])[]): string {
  const moved = columns.filter(([key]) => config.versusReference![key]?.beyondNoise);
  return moved.length === 0 ? 'none' : moved.map(([key, title]) => `${title}${config.versusReference![key].mean! > 0 ? '↑' : '↓'}`).join(' ');
}

function frontsOf(study: StudySummary, config: ConfigSummary): string {
  const planes = study.tradeoffs.filter((tradeoff) => tradeoff.front.includes(config.key)).map(({ tradeoff }) => `${tradeoff.utilityTitle} × ${tradeoff.gapTitle}`);
  return planes.length === 0 ? '—' : planes.join(', ');
}

/** +1.25, −0.40, 0.00: the sign always shown, a true minus sign. */
function signed(value: number, digits: number): string {
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return text;
  return `${value > 0 ? '+' : '−'}${text}`;
}

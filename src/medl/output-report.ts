/**
 * What Fair MEDL reports for a split (methods.md §2, §0), for the fixed-effects (FE) and the mixed-effects (ME)
 * output each: AUROC, balanced accuracy, SD-TPR and SD-FPR per sensitive attribute; and the counterfactual flip rate
 * of each output per sensitive attribute that is a one-hot model input (counterfactual.ts). The FE output is also
 * what a row of an unseen cluster gets. `fairkit train` prints it for the medl methods.
 */
import type { EncodedDataset } from '../data/types.js';
import { evaluate } from '../metrics/compute.js';
import type { MetricValue } from '../metrics/report-types.js';
import type { Model } from '../nn/model.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../nn/predict.js';
import { spreadByAttribute } from './attribute-spread.js';
import { counterfactualFlips, type CounterfactualResult } from './counterfactual.js';

/** The two outputs of a mixed-effects model, by the model's head names: FE is `fe`, ME is `logits`. */
export const MEDL_OUTPUTS = { fe: 'fe', me: 'logits' } as const;
export type MedlOutput = keyof typeof MEDL_OUTPUTS;

export interface OutputMetrics {
  rocAuc: MetricValue;
  balancedAccuracy: MetricValue;
  /** SD-TPR and SD-FPR over each sensitive attribute's values. */
  spreads: { attribute: string; tprStd: MetricValue; fprStd: MetricValue }[];
}

export interface MedlReport {
  outputs: Record<MedlOutput, OutputMetrics>;
  counterfactual: CounterfactualResult[];
}

/** AUROC, balanced accuracy and the per-attribute spreads of one output's probabilities (threshold 0.5). */
export function outputMetrics(split: Pick<EncodedDataset, 'y' | 'groups'>, scores: ArrayLike<number>): OutputMetrics {
  const { overall } = evaluate({ yTrue: split.y, scores, groupIds: split.groups.ids, groups: split.groups });
  const spreads = spreadByAttribute({ yTrue: split.y, scores, groupIds: split.groups.ids, groups: split.groups }).map(({ attribute, tprStd, fprStd }) => ({ attribute, tprStd, fprStd }));
  return { rocAuc: overall.rocAuc ?? null, balancedAccuracy: overall.balancedAccuracy, spreads };
}

/** The report of a trained mixed-effects model (kind 'medl') on a split. */
export function medlReport(model: Model, split: EncodedDataset, batchSize = DEFAULT_PREDICT_BATCH): MedlReport {
  const score = (X: Float32Array, nRows: number) => {
    const rows = { X, nRows, clusters: split.clusters };
    return { fe: predictProba(model, rows, { batchSize, head: MEDL_OUTPUTS.fe }), me: predictProba(model, rows, { batchSize, head: MEDL_OUTPUTS.me }) };
  };
  const scores = score(split.X, split.nRows);
  return {
    outputs: { fe: outputMetrics(split, scores.fe), me: outputMetrics(split, scores.me) },
    counterfactual: counterfactualFlips({ X: split.X, nRows: split.nRows, featureNames: split.featureNames, attributes: split.groups.attributes, score }),
  };
}

/** The report as text lines, for `fairkit train`'s table output. */
export function medlReportText(report: MedlReport): string {
  const format = (value: MetricValue | undefined) => (value === null || value === undefined ? '—' : value.toFixed(4));
  const lines = ['output  AUROC   balanced accuracy  ' + report.outputs.fe.spreads.map((s) => `SD-TPR ${s.attribute}  SD-FPR ${s.attribute}`).join('  ')];
  for (const output of ['fe', 'me'] as const) {
    const m = report.outputs[output];
    lines.push(`${output.toUpperCase().padEnd(6)}  ${format(m.rocAuc)}  ${format(m.balancedAccuracy).padEnd(17)}  ${m.spreads.map((s) => `${format(s.tprStd)}  ${format(s.fprStd)}`).join('  ')}`);
  }
  for (const cf of report.counterfactual) {
    lines.push(
      cf.flipRate
        ? `counterfactual ${cf.attribute} (each row moved to every other of ${cf.values.length} values): flip rate FE ${format(cf.flipRate.fe)}, ME ${format(cf.flipRate.me)}; mean |Δp| FE ${format(cf.meanAbsChange!.fe)}, ME ${format(cf.meanAbsChange!.me)}`
        : `counterfactual ${cf.attribute}: not measured (${cf.reason})`,
    );
  }
  return `${lines.join('\n')}\n`;
}

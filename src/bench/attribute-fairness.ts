/**
 * Fairness per sensitive attribute for a trial with several sensitive columns. The trial's own fairness metrics are
 * over the intersections of the columns (e.g. "Female|Black"); Fair MEDL's protocol (methods.md §2) reports each
 * attribute on its own, so here each attribute's groups are its values, pooling the intersections that share it,
 * and the same metric functions are applied to them (metrics/by-attribute.ts). No TensorFlow.js.
 */
import type { GroupIndex } from '../data/types.js';
import { evaluateByAttribute } from '../metrics/by-attribute.js';
import type { MetricValue } from '../metrics/report-types.js';

/** The fairness metrics kept per attribute: Fair MEDL's SD-TPR and SD-FPR, and the two the bench tables use. */
export const ATTRIBUTE_METRICS = ['tprStd', 'fprStd', 'demographicParityDifference', 'equalizedOddsSum'] as const;
export type AttributeFairness = Record<(typeof ATTRIBUTE_METRICS)[number], MetricValue>;

export interface AttributeFairnessInput {
  yTrue: ArrayLike<number>;
  /** Probabilities, thresholded at 0.5 as in the trial's own report. */
  scores: ArrayLike<number>;
  groups: Pick<GroupIndex, 'attributes' | 'keys' | 'values' | 'ids'>;
}

/**
 * The per-attribute fairness, keyed by attribute, and the warnings of its computation (prefixed with the
 * attribute); undefined with a single sensitive attribute, whose values the trial's own metrics already are.
 */
export function fairnessByAttribute(input: AttributeFairnessInput): { byAttribute: Record<string, AttributeFairness>; warnings: string[] } | undefined {
  const { groups } = input;
  if (groups.attributes.length < 2) return undefined;
  const byAttribute: Record<string, AttributeFairness> = {};
  const warnings: string[] = [];
  for (const { attribute, report } of evaluateByAttribute({ yTrue: input.yTrue, scores: input.scores, groupIds: groups.ids, groups })) {
    byAttribute[attribute] = Object.fromEntries(ATTRIBUTE_METRICS.map((name) => [name, report.fairness[name] ?? null])) as AttributeFairness;
    warnings.push(...report.warnings.map((warning) => `attribute '${attribute}': ${warning}`));
  }
  return { byAttribute, warnings };
}

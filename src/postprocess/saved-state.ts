/**
 * A model folder's post-processor, read back and applied to scored rows (`fairkit predict`): model.json's
 * postprocessor slot is checked here before anything is predicted with it.
 */
import { z } from 'zod';
import { FairkitError } from '../errors.js';
import { predictWithThresholds, type ThresholdsState } from './thresholds.js';

const rates = z.object({ tpr: z.number().nullable(), fpr: z.number().nullable(), selectionRate: z.number() });

const thresholdsStateSchema = z.object({
  kind: z.literal('thresholds'),
  constraint: z.enum(['eo', 'tpr', 'dp']),
  randomised: z.boolean(),
  costs: z.object({ falsePositive: z.number().nonnegative(), falseNegative: z.number().nonnegative() }),
  groups: z.record(z.string(), z.array(z.object({ threshold: z.number().nullable(), weight: z.number().min(0).max(1) })).min(1)),
  fitted: z.object({ rows: z.number().int().nonnegative(), expectedLoss: z.number(), rates: z.record(z.string(), rates) }),
  seed: z.number().int(),
});

/** The saved state, checked (null: the folder has no post-processor). */
export function savedPostprocessor(json: unknown, where: string): ThresholdsState | null {
  if (json === null || json === undefined) return null;
  const parsed = thresholdsStateSchema.safeParse(json);
  if (!parsed.success) throw new FairkitError(`the saved post-processor is not a valid thresholds state: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`, { where, fix: 'Re-save the model with fairkit train --postprocess' });
  return parsed.data;
}

export interface PostprocessedRow {
  /** The post-processed probability of a positive; null when the row has no score or no known group. */
  probability: number | null;
  prediction: 0 | 1 | null;
  /** Why a scored row got no post-processed prediction. */
  note?: string;
}

/**
 * Applies the state to scored rows, in order (the draws follow the row order, seeded by the state). A row needs its
 * group: one without a known group (unseen in training, or an empty sensitive value) gets no prediction and a note.
 */
export function postprocessRows(state: ThresholdsState, rows: readonly { score: number | null; groupKey?: string }[]): PostprocessedRow[] {
  const keys = rows.map((row) => (row.score !== null && row.groupKey !== undefined && Object.hasOwn(state.groups, row.groupKey) ? row.groupKey : null));
  const { probabilities, predictions } = predictWithThresholds(state, rows.map((row) => row.score ?? 0), keys);
  return rows.map((row, i) => {
    if (row.score === null || keys[i] !== null) return { probability: probabilities[i], prediction: predictions[i] };
    return { probability: null, prediction: null, note: `no post-processed prediction: the thresholds are per group and ${row.groupKey === undefined ? "the row's group is unknown" : `group ${JSON.stringify(row.groupKey)} has none`}` };
  });
}

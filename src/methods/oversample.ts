import { z } from 'zod';
import type { Method } from '../train/method.js';

/**
 * OverSampling (Wang et al. 2022, GCM's baseline; methods.md §6): the task loss on batches that hold the same
 * number of rows from every non-empty (group, label) cell, small cells repeated (train/samplers.ts,
 * BalancedCellSampler). It has no strength parameter: the sampler either balances the cells or not.
 */
export const oversample: Method<Record<string, never>> = {
  name: 'oversample',
  summary: 'Erm on batches with equal numbers of rows from every (group, label) cell (small cells repeated).',
  params: z.object({}).strict() as z.ZodType<Record<string, never>>,
  paramDocs: {},
  sampler: () => 'balanced',
};

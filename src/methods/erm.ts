import { z } from 'zod';
import type { Method } from '../train/method.js';

/** Empirical risk minimisation: the loop's task loss alone, the baseline every method is compared with. */
export const erm: Method<Record<string, never>> = {
  name: 'erm',
  summary: 'Plain training on the task loss (binary cross-entropy); the baseline.',
  params: z.object({}).strict() as z.ZodType<Record<string, never>>,
  tasks: ['classification', 'regression'],
  trainingGroups: 'none',
  paramDocs: {},
};

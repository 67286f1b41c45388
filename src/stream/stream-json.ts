/**
 * The saved form of a FairStream (toJSON / fromJSON), versioned and validated with zod so a stream persisted by a
 * server or a browser resumes exactly: float64 numbers survive JSON text unchanged, so a resumed stream produces
 * bit-identical outputs to one that was never interrupted.
 */
import { z } from 'zod';
import { FairkitError } from '../errors.js';

const finite = z.number().finite();
const count = z.number().int().nonnegative();

const streamJsonSchema = z
  .object({
    format: z.literal('fairkit-stream'),
    version: z.literal(1),
    options: z.object({
      epsilon: finite.nonnegative(),
      eta0: finite.positive(),
      groups: z.number().int().min(2),
      box: z.tuple([finite, finite]).nullable(),
      stepRule: z.enum(['sqrtCount', 'sqrtMaxCount']),
    }),
    state: z.object({
      lambda: finite.nonnegative(),
      lambdaMax: finite.nonnegative(),
      batches: count,
      rows: count,
      weightedGapSum: finite.nonnegative(),
      lastEta: finite.nonnegative(),
      groupSums: z.array(finite),
      groupCounts: z.array(count),
    }),
  })
  .refine((json) => json.state.groupSums.length === json.options.groups && json.state.groupCounts.length === json.options.groups, {
    message: 'state.groupSums and state.groupCounts must have one entry per group',
  })
  .refine((json) => json.state.lambdaMax >= json.state.lambda, { message: 'state.lambdaMax must be at least state.lambda' });

export type FairStreamJson = z.infer<typeof streamJsonSchema>;

export function parseStreamJson(json: unknown): FairStreamJson {
  const result = streamJsonSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new FairkitError(`FairStream.fromJSON: not a saved fairkit stream (${issues})`, { fix: 'Pass the output of FairStream.toJSON()' });
  }
  return result.data;
}

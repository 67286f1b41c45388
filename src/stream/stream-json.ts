/**
 * The saved form of a FairStream (toJSON / fromJSON), versioned and validated with zod so a stream persisted by a
 * server or a browser resumes exactly: float64 numbers survive JSON text unchanged, so a resumed stream produces
 * bit-identical outputs to one that was never interrupted.
 *
 * Version 2: one-group batches follow the pooled-gap rule (fair-stream.ts, projectAgainstRunning). The state's shape
 * is that of version 1, but a version-1 λ and gap sum were built by the earlier rule (each row against the other
 * groups' means, λ up to ~15 on Adult at batch size 1), so continuing one would mix the two: version 1 is refused.
 *
 * Version 3: the one-group penalty is the largest pooled gap, not the sum over the other groups (fair-stream.ts).
 * Same shape again, but with K > 2 a version-2 λ was driven by the sum rule, so versions 1 and 2 are refused.
 *
 * Version 4: one-group batches are shifted by their group's anchor plus a penalised step back to the band around the
 * pooled mean (fair-stream.ts); the state adds the raw sums per group (the anchors), which an older file lacks and
 * cannot be rebuilt from it, and its λ was driven by the earlier rule: versions 1–3 are refused.
 */
import { z } from 'zod';
import { FairkitError } from '../errors.js';

export const STREAM_JSON_VERSION = 4;

const finite = z.number().finite();
const count = z.number().int().nonnegative();

const streamJsonSchema = z
  .object({
    format: z.literal('fairkit-stream'),
    version: z.literal(STREAM_JSON_VERSION),
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
      groupRawSums: z.array(finite),
    }),
  })
  .refine((json) => json.state.groupSums.length === json.options.groups && json.state.groupCounts.length === json.options.groups && json.state.groupRawSums.length === json.options.groups, {
    message: 'state.groupSums, state.groupCounts and state.groupRawSums must have one entry per group',
  })
  .refine((json) => json.state.lambdaMax >= json.state.lambda, { message: 'state.lambdaMax must be at least state.lambda' });

export type FairStreamJson = z.infer<typeof streamJsonSchema>;

export function parseStreamJson(json: unknown): FairStreamJson {
  if (typeof json === 'object' && json !== null && (json as { format?: unknown }).format === 'fairkit-stream' && [1, 2, 3].includes((json as { version?: unknown }).version as number)) {
    const version = (json as { version: number }).version;
    throw new FairkitError(`FairStream.fromJSON: this stream was saved in version ${version}, whose single-group rule differs from the current one (version ${STREAM_JSON_VERSION}); its λ cannot be continued`, {
      fix: 'Start a new stream (fairkit predict --reset-stream, or a new FairStream)',
    });
  }
  const result = streamJsonSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new FairkitError(`FairStream.fromJSON: not a saved fairkit stream (${issues})`, { fix: 'Pass the output of FairStream.toJSON()' });
  }
  return result.data;
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FairkitError } from '../errors.js';

/** The files `fairkit train --out DIR` writes that a report reads. */
export const RUN_METRICS_FILE = 'metrics.json';
export const RUN_CONTRIBUTION_FILE = 'contribution.json';

const nullableNumber = z.number().nullable().optional();

const runMetricsSchema = z.object({
  dataset: z.string(),
  sensitive: z.array(z.string()),
  method: z.string(),
  params: z.record(z.string(), z.unknown()),
  seed: z.number(),
  epochs: z.number(),
  trainSeconds: z.number(),
  secondsPerEpoch: z.number(),
  test: z.object({
    overall: z.record(z.string(), nullableNumber),
    fairness: z.record(z.string(), nullableNumber),
    groups: z.array(z.object({ key: z.string(), count: z.number(), selectionRate: nullableNumber, tpr: nullableNumber, fpr: nullableNumber }).loose()),
  }),
  history: z.array(z.object({ epoch: z.number(), loss: z.number(), validation: z.record(z.string(), nullableNumber).optional() }).loose()),
});

const runContributionSchema = z.object({
  groups: z.array(z.string()).optional(),
  reference: z.number().optional(),
  records: z.array(
    z.object({
      step: z.number(),
      epoch: z.number(),
      y: z.union([z.literal(0), z.literal(1)]),
      group: z.number(),
      reference: z.number(),
      median: z.number().nullable(),
      perLayerMedian: z.record(z.string(), z.number().nullable()),
    }).loose(),
  ),
});

export type RunMetrics = z.infer<typeof runMetricsSchema>;
export type RunContribution = z.infer<typeof runContributionSchema>;

/** Whether `folder` holds a `fairkit train --out` run. */
export function isTrainRun(folder: string): boolean {
  return existsSync(join(folder, RUN_METRICS_FILE));
}

/** metrics.json and (when present) contribution.json of a train run folder, validated. */
export function readTrainRun(folder: string): { metrics: RunMetrics; contribution: RunContribution | null } {
  const contributionPath = join(folder, RUN_CONTRIBUTION_FILE);
  return {
    metrics: readJson(join(folder, RUN_METRICS_FILE), runMetricsSchema),
    contribution: existsSync(contributionPath) ? readJson(contributionPath, runContributionSchema) : null,
  };
}

function readJson<T>(path: string, schema: z.ZodType<T>): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FairkitError(`not readable as JSON (${(error as Error).message})`, { where: path, fix: 'Train again with --out to rewrite it' });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new FairkitError(`unexpected content at ${issue.path.join('.') || 'the top level'}: ${issue.message}`, { where: path, fix: 'Give the --out folder of `fairkit train` (or of `fairkit bench`)' });
  }
  return result.data;
}

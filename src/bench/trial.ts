import { z } from 'zod';
import { stableHash } from './canonical-json.js';

export const PROTOCOL_NAMES = ['ffb', 'gcm'] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

export const CLUSTER_SPLITS = ['seen', 'unseen'] as const;
export type ClusterSplit = (typeof CLUSTER_SPLITS)[number];

/**
 * One fold of k-fold cross-validation: the rows of fold `index` (0-based) are the test split. `clusterSplit`
 * (`--cluster-split`; absent, so that older fold trials keep their ids, without it): 'seen' deals every cluster's
 * rows to all folds, 'unseen' holds whole clusters out (protocols.ts).
 */
const foldSchema = z
  .object({ index: z.number().int().min(0), of: z.number().int().min(2), clusterSplit: z.enum(CLUSTER_SPLITS).optional() })
  .strict()
  .refine((fold) => fold.index < fold.of, { message: 'the fold index must be below the number of folds' });

/** What a trial is: everything that decides its result, and nothing else (no paths, no worker count). */
export const trialSpecSchema = z
  .object({
    /** A standard data set name or 'synthetic'. */
    dataset: z.string().min(1),
    sensitive: z.array(z.string().min(1)).min(1),
    protocol: z.enum(PROTOCOL_NAMES),
    method: z.string().min(1),
    /** The method parameters as given (the method's schema adds its defaults). */
    params: z.record(z.string(), z.unknown()),
    /**
     * The cluster column chosen with `--clusters` when it is not the data set's own (which trials use without
     * naming it, so their ids are unchanged). It is then no model input for any method of the trial.
     */
    clusters: z.string().min(1).optional(),
    /** Seed of the split (or of the fold assignment), the initial weights and the batches. */
    seed: z.number().int(),
    fold: foldSchema.nullable(),
    /** Training options that override the protocol's (e.g. fewer epochs for a quick look). */
    training: z.record(z.string(), z.unknown()),
    /**
     * Rows per prediction batch on the test split (flayer/projection depend on it). Optional, and absent from the
     * spec when not given, so the ids of trials without it are unchanged.
     */
    inferenceBatchSize: z.number().int().min(1).optional(),
    /**
     * Post-processors fitted after training (`--postprocess`, e.g. 'thresholds:eo'); each adds a row to the report
     * (method 'erm+thresholds:eo'). Absent, not empty, when there are none, so older trials keep their ids.
     */
    postprocess: z.array(z.string().min(1)).min(1).optional(),
    /**
     * 'marginal' (`--groups marginal`): training needs each sensitive attribute's values, not every intersection
     * (prepare.ts). Absent for the default, intersections, so older trials keep their ids.
     */
    groups: z.literal('marginal').optional(),
  })
  .strict();

export const trialSchema = trialSpecSchema.extend({ id: z.string().regex(/^[0-9a-f]{16}$/) }).strict();

export type TrialSpec = z.infer<typeof trialSpecSchema>;
export type Trial = z.infer<typeof trialSchema>;

const metricValue = z.number().nullable();
const metricRecord = z.record(z.string(), z.unknown());

const outputMetricsSchema = z.object({
  rocAuc: metricValue,
  balancedAccuracy: metricValue,
  spreads: z.array(z.object({ attribute: z.string(), tprStd: metricValue, fprStd: metricValue })),
});
const medlReportSchema = z.object({
  outputs: z.object({ fe: outputMetricsSchema, me: outputMetricsSchema }),
  counterfactual: z.array(
    z.object({
      attribute: z.string(),
      flipRate: z.record(z.string(), z.number()).nullable(),
      meanAbsChange: z.record(z.string(), z.number()).nullable(),
      values: z.array(z.string()),
      reason: z.string().optional(),
    }),
  ),
});

export const epochRecordSchema = z.looseObject({
  epoch: z.number().int(),
  loss: z.number(),
  seconds: z.number(),
  validation: z.record(z.string(), metricValue).optional(),
});

/**
 * GCM's group contribution disparity (Eq. 8, methods/contribution.ts) at one step: the mean over weights of
 * |g^{group,y}| / |g^{reference,y}| (`ratio`) and the median of the same ratios.
 */
export const contributionSampleSchema = z.object({
  step: z.number().int(),
  epoch: z.number().int(),
  label: z.union([z.literal(0), z.literal(1)]),
  group: z.string(),
  reference: z.string(),
  ratio: z.number(),
  median: z.number().optional(),
});

/**
 * What produced a result, so that numbers from different machines, versions or data files are not mixed
 * unknowingly: the fairkit version, the TensorFlow.js backend of the worker, the Node.js version, and a
 * fingerprint of the loaded data set (bench/provenance.ts). Journals written before it have none.
 */
export const provenanceSchema = z.looseObject({
  fairkit: z.string(),
  backend: z.string(),
  node: z.string(),
  data: z.string(),
});

export type Provenance = z.infer<typeof provenanceSchema>;

/**
 * A trial's result. `test` has the keys of `fairkit audit --format json` (overall, fairness, groups); other
 * fields may be added by later versions, so unknown keys are kept.
 */
export const trialResultSchema = z.looseObject({
  /** The trial's task; absent in journals written before regression (they are all classification). */
  task: z.enum(['classification', 'regression']).optional(),
  test: z.looseObject({
    overall: metricRecord,
    fairness: metricRecord,
    groups: z.array(z.looseObject({ key: z.string() })),
    /**
     * With two or more sensitive attributes, fairness metrics over each attribute's own values (attribute-fairness.ts)
     * beside `fairness`, which is over their intersections. Absent with one attribute, for regression, and in
     * journals written before it.
     */
    byAttribute: z.record(z.string(), metricRecord).optional(),
    /**
     * Mixed-effects methods, classification: the fixed- and mixed-effects outputs apart (AUROC, balanced accuracy,
     * SD-TPR and SD-FPR per attribute) and the counterfactual flip rates (medl/output-report.ts's MedlReport).
     */
    medl: medlReportSchema.optional(),
  }),
  trainSeconds: z.number(),
  epochs: z.number().int().optional(),
  history: z.array(epochRecordSchema).optional(),
  contribution: z.array(contributionSampleSchema).optional(),
  warnings: z.array(z.string()).optional(),
  provenance: provenanceSchema.optional(),
  /** A flayer/projection trial: the inference batch size, the pooled and batch-weighted gaps (fair-predict.ts). */
  inference: z.looseObject({ batchSize: z.number().int(), weightedAverageGap: z.number(), pooledGap: z.number() }).optional(),
});

export type TrialResult = z.infer<typeof trialResultSchema>;

/**
 * The task of a recorded result: its `task`, else (an older journal, or a hand-made entry) regression when the
 * test report has the regression keys, classification otherwise.
 */
export function taskOfResult(result: Pick<TrialResult, 'task' | 'test'>): 'classification' | 'regression' {
  if (result.task) return result.task;
  return 'rmse' in result.test.overall && !('accuracy' in result.test.overall) ? 'regression' : 'classification';
}

export const journalEntrySchema = z.object({ trial: trialSchema, result: trialResultSchema }).strict();
export type JournalEntry = z.infer<typeof journalEntrySchema>;

/** A trial's id is the stable hash of its spec: the same spec is the same trial in every run. */
export function trialId(spec: TrialSpec): string {
  return stableHash(spec);
}

export function makeTrial(spec: TrialSpec): Trial {
  const parsed = trialSpecSchema.parse(spec);
  return { id: trialId(parsed), ...parsed };
}

/** A short human label: "eor lambda=1 seed 2", "erm fold 3/5". */
export function trialLabel(trial: Pick<Trial, 'method' | 'params' | 'seed' | 'fold'>): string {
  const params = Object.entries(trial.params).map(([key, value]) => ` ${key}=${JSON.stringify(value)}`).join('');
  const where = trial.fold ? `fold ${trial.fold.index + 1}/${trial.fold.of}${trial.fold.clusterSplit ? ` (${trial.fold.clusterSplit} clusters)` : ''}${trial.seed !== 0 ? ` seed ${trial.seed}` : ''}` : `seed ${trial.seed}`;
  return `${trial.method}${params} ${where}`;
}

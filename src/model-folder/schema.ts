/**
 * model.json, typed. formatVersion 2 is what fairkit writes; formatVersion 1 (fairkit 0.1's folders, whose data
 * record was an untyped `extra`) is still read and mapped into the version 2 shape, with what version 1 did not
 * record left absent. Everything a reader needs comes from here: no other module parses model.json.
 */
import { z } from 'zod';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const FORMAT = 'fairkit-model';
export const FORMAT_VERSION = 2;
/** The versions this fairkit reads. */
export const READABLE_VERSIONS = [1, 2] as const;

const count = z.number().int().nonnegative();

const modelConfigSchema = z.object({ kind: z.string().min(1), inputDim: count, outputDim: z.number().int().positive() }).loose();

const manifestEntrySchema = z.object({
  name: z.string(),
  shape: z.array(count),
  /** Offset in float32 values from the start of weights.bin. */
  offset: count,
});

const weightsFileSchema = z.object({ bytes: count, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex') });

const needsSchema = z.object({ groups: z.boolean().optional(), clusters: z.boolean().optional(), labelsAtPredict: z.boolean().optional() });

const encoderSchema = z.object({
  numeric: z.array(z.object({ name: z.string(), mean: z.number(), std: z.number().positive() })),
  categorical: z.array(z.object({ name: z.string(), categories: z.array(z.string()) })),
});

const problemSpecSchema = z.object({
  target: z.string(),
  positive: z.string(),
  sensitive: z.array(z.string()).min(1),
  privileged: z.record(z.string(), z.string()).optional(),
  features: z.array(z.string()).optional(),
  sensitiveAsFeature: z.boolean().optional(),
  cluster: z.string().optional(),
  task: z.enum(['classification', 'regression']).optional(),
});

/** Regression: the model predicts standardised targets; a prediction is output · std + mean. */
const targetScaleSchema = z.object({ mean: z.number(), std: z.number().positive() });

const groupsSchema = z
  .object({
    /** The sensitive columns, in key order. */
    attributes: z.array(z.string()).min(1),
    /** Group keys (values joined by '|'), in id order: a row's group id is its key's index. */
    keys: z.array(z.string()).min(1),
    /** The privileged group's key, when the spec names one and it occurs. */
    privileged: z.string().optional(),
    /** Cut points of each binned sensitive column, as used in training. */
    cuts: z.record(z.string(), z.array(z.number())).optional(),
  })
  .superRefine((groups, context) => {
    if (groups.privileged !== undefined && !groups.keys.includes(groups.privileged)) context.addIssue({ code: 'custom', path: ['privileged'], message: `"${groups.privileged}" is not among the keys` });
    for (const column of Object.keys(groups.cuts ?? {})) {
      if (!groups.attributes.includes(column)) context.addIssue({ code: 'custom', path: ['cuts', column], message: `"${column}" is not a sensitive attribute` });
    }
  });

const clustersSchema = z.object({ column: z.string(), keys: z.array(z.string()) });

const provenanceSchema = z.object({
  dataset: z.string().optional(),
  spec: problemSpecSchema.optional(),
  positive: z.string().optional(),
  /** Train/validation/test fractions and the seed of the split. */
  split: z.object({ fractions: z.array(z.number().min(0).max(1)).length(3), seed: z.number().int() }).optional(),
  /** Seed of the initial weights, batches and dropout. */
  trainingSeed: z.number().int().optional(),
  /** Seed of the built-in synthetic data the model was trained on (`--data-seed`), when it was. */
  dataSeed: z.number().int().optional(),
  fairkitVersion: z.string().optional(),
  /** TensorFlow.js backend the model was trained on (results are bit-identical only on the same one). */
  backend: z.string().optional(),
  /** ISO 8601 time of the save. */
  created: z.string().optional(),
  /** Id of the run that wrote the folder; metrics.json and contribution.json of the same run carry the same id. */
  runId: z.string().optional(),
});

export const modelFolderSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  /** The model's config: its kind and everything that kind needs to rebuild it (src/nn/model-kinds.ts). */
  model: modelConfigSchema,
  weights: z.object({ file: z.literal(WEIGHTS_FILE), ...weightsFileSchema.shape, manifest: z.array(manifestEntrySchema) }),
  method: z.object({ name: z.string(), params: z.record(z.string(), z.unknown()), needs: needsSchema }),
  encoder: encoderSchema,
  groups: groupsSchema.optional(),
  /** Cluster values in id order, when the data had a cluster column; an unseen cluster gets id -1. */
  clusters: clustersSchema.optional(),
  /** Present for a regression model (absent: a classifier whose score is a probability). */
  targetScale: targetScaleSchema.optional(),
  provenance: provenanceSchema,
  /** A post-processor's fitted state (JSON); post-processors fill it, null until then. */
  postprocessor: z.json().nullable(),
});

export type ModelFolder = z.infer<typeof modelFolderSchema>;
export type SavedGroups = z.infer<typeof groupsSchema>;
export type SavedClusters = z.infer<typeof clustersSchema>;
export type Provenance = z.infer<typeof provenanceSchema>;
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

/** fairkit 0.1's model.json; `extra` was written by `fairkit train --out` / `fairkit debias --out` only. */
export const modelFolderV1Schema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(1),
  architecture: modelConfigSchema,
  weights: z.array(manifestEntrySchema),
  weightsFile: weightsFileSchema,
  method: z.string(),
  params: z.record(z.string(), z.unknown()),
  encoder: encoderSchema,
  extra: z.unknown().optional(),
});

/** What version 1's `extra` held, when it held it (each part read on its own: a partial record keeps its good parts). */
const v1ExtraSchema = z.object({
  dataset: z.string().optional(),
  spec: problemSpecSchema.loose().optional().catch(undefined),
  positive: z.string().optional().catch(undefined),
  groups: z
    .object({
      attributes: z.array(z.string()).min(1),
      keys: z.array(z.string()).min(1),
      binning: z.array(z.object({ column: z.string(), cuts: z.array(z.number()).optional() }).loose()).optional(),
    })
    .optional()
    .catch(undefined),
});

/** A version 1 model.json in the version 2 shape. */
export function fromVersion1(v1: z.infer<typeof modelFolderV1Schema>): ModelFolder {
  const extra = v1ExtraSchema.safeParse(v1.extra ?? {});
  const { dataset, spec, positive, groups } = extra.success ? extra.data : {};
  // Version 1 could record binning without cut points (quantiles resolved at training time); such groups cannot be
  // recomputed on new rows, so they are not carried over.
  const binning = groups?.binning ?? [];
  const cuts = Object.fromEntries(binning.flatMap(({ column, cuts }) => (cuts ? [[column, cuts]] : [])));
  const usableGroups = groups && binning.every((entry) => entry.cuts !== undefined);
  return {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    model: v1.architecture,
    weights: { file: WEIGHTS_FILE, ...v1.weightsFile, manifest: v1.weights },
    // Version 1 did not record needs; only GroupMixNorm MLPs (the one savable kind that used group ids) needed groups.
    method: { name: v1.method, params: v1.params, needs: v1.architecture.kind === 'groupmixnorm-mlp' ? { groups: true } : {} },
    encoder: v1.encoder,
    ...(usableGroups ? { groups: { attributes: groups.attributes, keys: groups.keys, ...(binning.length > 0 ? { cuts } : {}) } } : {}),
    provenance: {
      ...(dataset !== undefined ? { dataset } : {}),
      ...(spec !== undefined ? { spec } : {}),
      ...(positive !== undefined ? { positive } : {}),
    },
    postprocessor: null,
  };
}

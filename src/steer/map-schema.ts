import { z } from 'zod';
import { FairkitError } from '../errors.js';

/** Version 2 added the optional group classifier; version 1 maps (without one) are still read. */
export const STEERING_MAP_VERSION = 2;
const READ_VERSIONS = [1, 2] as const;

const finite = z.number().finite();
const entry = z.object({
  /** 'group-class': rows of this group and label; 'group': rows of this group (the test-time map); 'all': every row. */
  scope: z.enum(['all', 'group', 'group-class']),
  group: z.string().optional(),
  label: z.string().optional(),
  /** d×d, row-major: x ↦ targetMean + matrix·(x − sourceMean). */
  matrix: z.array(finite),
  sourceMean: z.array(finite),
  targetMean: z.array(finite),
});

/** The group classifier for rows whose group is unknown (group-classifier.ts). */
const groupClassifier = z.object({
  groups: z.array(z.string()).min(2),
  featureMean: z.array(finite),
  featureScale: z.array(finite.positive()),
  weights: z.array(finite),
  intercepts: z.array(finite),
  c: finite.positive(),
  trainingAccuracy: z.number().min(0).max(1),
});

/** A steering map as written by `fairkit steer fit` (version 2; version 1 is the same without a group classifier). */
export const steeringMapSchema = z.object({
  format: z.literal('fairkit-steering-map'),
  version: z.union(READ_VERSIONS.map((v) => z.literal(v))),
  method: z.enum(['ideal', 'ot', 'mean', 'leace']),
  features: z.array(z.string()).min(1),
  sensitive: z.string(),
  label: z.string(),
  groups: z.array(z.string()).min(2),
  labels: z.array(z.string()),
  reference: z.string(),
  shrinkage: z.number().nonnegative(),
  rows: z.number().int().positive(),
  maps: z.array(entry),
  // γ is det(M)^{1/d} for the moments solver (M = γI for the scalar one); maps written before it have no solver field.
  diagnostics: z.array(z.object({ group: z.string(), gamma: finite, shift: z.array(finite), kl: finite, direction: z.enum(['forward', 'reverse']), solver: z.enum(['moments', 'scalar']).optional() })),
  groupClassifier: groupClassifier.optional(),
});

export type SteeringMap = z.infer<typeof steeringMapSchema>;
export type SteeringMapEntry = z.infer<typeof entry>;

/** Parses and checks a steering map (shapes included); errors name the source and the field. */
export function parseSteeringMap(json: unknown, source: string): SteeringMap {
  const parsed = steeringMapSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const version = (json as { version?: unknown } | null)?.version;
    if (issue.path[0] === 'version') throw new FairkitError(`steering map version ${String(version)} is not supported (this fairkit reads versions ${READ_VERSIONS.join(' and ')})`, { where: source });
    throw new FairkitError(`not a fairkit steering map: ${issue.path.join('.') || 'the file'}: ${issue.message}`, { where: source });
  }
  const map = parsed.data;
  const d = map.features.length;
  map.maps.forEach((m, i) => {
    if (m.matrix.length !== d * d || m.sourceMean.length !== d || m.targetMean.length !== d) throw new FairkitError(`maps[${i}] does not fit ${d} features (matrix ${m.matrix.length}, means ${m.sourceMean.length} and ${m.targetMean.length} values)`, { where: source });
    if (m.scope !== 'all' && !map.groups.includes(m.group ?? '')) throw new FairkitError(`maps[${i}] names the unknown group "${m.group}"`, { where: source });
    if (m.scope === 'group-class' && !map.labels.includes(m.label ?? '')) throw new FairkitError(`maps[${i}] names the unknown label "${m.label}"`, { where: source });
  });
  const classifier = map.groupClassifier;
  if (classifier) {
    if (map.version === 1) throw new FairkitError('a version 1 map has no groupClassifier (it came with version 2)', { where: source });
    const logits = map.groups.length === 2 ? 1 : map.groups.length;
    if (classifier.groups.join('\u0000') !== map.groups.join('\u0000')) throw new FairkitError('groupClassifier.groups differ from the map\'s groups', { where: source });
    if (classifier.featureMean.length !== d || classifier.featureScale.length !== d || classifier.weights.length !== logits * d || classifier.intercepts.length !== logits) throw new FairkitError(`groupClassifier does not fit ${d} features and ${map.groups.length} groups`, { where: source });
  }
  return map;
}

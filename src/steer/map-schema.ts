import { z } from 'zod';
import { FairkitError } from '../errors.js';

export const STEERING_MAP_VERSION = 1;

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

/** Version 1 of a steering map as written by `fairkit steer fit`. */
export const steeringMapSchema = z.object({
  format: z.literal('fairkit-steering-map'),
  version: z.literal(STEERING_MAP_VERSION),
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
  diagnostics: z.array(z.object({ group: z.string(), gamma: finite, shift: z.array(finite), kl: finite, direction: z.enum(['forward', 'reverse']) })),
});

export type SteeringMap = z.infer<typeof steeringMapSchema>;
export type SteeringMapEntry = z.infer<typeof entry>;

/** Parses and checks a steering map (shapes included); errors name the source and the field. */
export function parseSteeringMap(json: unknown, source: string): SteeringMap {
  const parsed = steeringMapSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const version = (json as { version?: unknown } | null)?.version;
    if (issue.path[0] === 'version') throw new FairkitError(`steering map version ${String(version)} is not supported (this fairkit reads version ${STEERING_MAP_VERSION})`, { where: source });
    throw new FairkitError(`not a fairkit steering map: ${issue.path.join('.') || 'the file'}: ${issue.message}`, { where: source });
  }
  const map = parsed.data;
  const d = map.features.length;
  map.maps.forEach((m, i) => {
    if (m.matrix.length !== d * d || m.sourceMean.length !== d || m.targetMean.length !== d) throw new FairkitError(`maps[${i}] does not fit ${d} features (matrix ${m.matrix.length}, means ${m.sourceMean.length} and ${m.targetMean.length} values)`, { where: source });
    if (m.scope !== 'all' && !map.groups.includes(m.group ?? '')) throw new FairkitError(`maps[${i}] names the unknown group "${m.group}"`, { where: source });
    if (m.scope === 'group-class' && !map.labels.includes(m.label ?? '')) throw new FairkitError(`maps[${i}] names the unknown label "${m.label}"`, { where: source });
  });
  return map;
}

import { FairkitError } from '../errors.js';
import { applyAffine, type AffineMap } from './affine.js';
import { predictGroup } from './group-classifier.js';
import type { SteeringMap } from './map-schema.js';

export interface ApplyCounts {
  /** Rows moved by a class-conditional map (their label was known). */
  classConditional: number;
  /** Rows moved by their group's test-time map, or by the one map of LEACE. */
  perGroup: number;
  /** Rows left as they were (the reference group). */
  unchanged: number;
  /** Rows without a group whose group the map's classifier predicted (from their features before steering). */
  predictedGroup: number;
}

/**
 * Steers rows (n·d, row-major) in place with a fitted map. `groups[i]` is the row's group name; `labels[i]` its label
 * name or null when unknown (then the map's group classifier predicts it, when the map has one). A row with a known label uses its (group, label) map when there is one (method ideal),
 * unless `testTime` forces the per-group map; otherwise its group's map, or the map for all rows.
 */
export function applySteering(map: SteeringMap, rows: Float64Array, groups: (string | null)[], labels: (string | null)[] | null, options: { testTime?: boolean; where?: string } = {}): ApplyCounts {
  const d = map.features.length;
  const decode = (m: SteeringMap['maps'][number]): AffineMap => ({ matrix: Float64Array.from(m.matrix), sourceMean: Float64Array.from(m.sourceMean), targetMean: Float64Array.from(m.targetMean) });
  const all = map.maps.find((m) => m.scope === 'all');
  const byGroup = new Map(map.maps.filter((m) => m.scope === 'group').map((m) => [m.group!, decode(m)]));
  const byCell = new Map(map.maps.filter((m) => m.scope === 'group-class').map((m) => [`${m.group}\u0000${m.label}`, decode(m)]));
  const allMap = all ? decode(all) : undefined;
  const counts: ApplyCounts = { classConditional: 0, perGroup: 0, unchanged: 0, predictedGroup: 0 };
  const n = rows.length / d;
  for (let i = 0; i < n; i++) {
    let group = groups[i];
    if (group === null && map.groupClassifier) {
      group = predictGroup(map.groupClassifier, rows.subarray(i * d, (i + 1) * d));
      counts.predictedGroup++;
    }
    if (group === null || !map.groups.includes(group)) {
      throw new FairkitError(`row ${i + 1}: the group ${group === null ? 'is missing' : `"${group}" was not seen when the map was fitted`}`, { where: options.where, fix: group === null ? 'Give every row its group, or fit the map with --group-classifier to predict missing ones' : `Groups in the map: ${map.groups.join(', ')}` });
    }
    const label = options.testTime ? null : labels?.[i] ?? null;
    if (label !== null && !map.labels.includes(label)) {
      throw new FairkitError(`row ${i + 1}: the label "${label}" was not seen when the map was fitted`, { where: options.where, fix: `Labels in the map: ${map.labels.join(', ')}; or give --test-time to steer by group only` });
    }
    const cell = label !== null ? byCell.get(`${group}\u0000${label}`) : undefined;
    const chosen = cell ?? byGroup.get(group) ?? allMap;
    if (!chosen) {
      counts.unchanged++;
      continue;
    }
    if (cell) counts.classConditional++;
    else counts.perGroup++;
    rows.set(applyAffine(chosen, rows.subarray(i * d, (i + 1) * d)), i * d);
  }
  return counts;
}

import { FairkitError } from '../errors.js';
import { GroupLabelMoments } from '../metrics/moments.js';
import { fitLeace, gaussianOtMap, meanMatchingMap, type AffineMap } from './affine.js';
import type { Gaussian, GroupGaussians } from './gaussian.js';
import { fitGroupClassifier, type GroupClassifierOptions } from './group-classifier.js';
import { affirmativeAction, type KlDirection } from './ideal.js';
import { idealMoments } from './ideal-moments.js';
import { addScaledIdentity, trace } from './linalg.js';
import { STEERING_MAP_VERSION, type SteeringMap, type SteeringMapEntry } from './map-schema.js';

export type SteerMethod = 'ideal' | 'ot' | 'mean' | 'leace';
export const STEER_METHODS: readonly SteerMethod[] = ['ideal', 'ot', 'mean', 'leace'];
/**
 * How `ideal` finds its target: `moments` solves the program over target moments (idealMoments), `scalar` only
 * searches the target family N(γ·μ_i,ref + c, γ²Σ_i,ref) (affirmativeAction), whose KL is an upper bound on it.
 */
export type IdealSolver = 'moments' | 'scalar';
export const IDEAL_SOLVERS: readonly IdealSolver[] = ['moments', 'scalar'];

export interface SteerData {
  /** n·dim features, row-major. */
  rows: Float64Array;
  dim: number;
  /** Group id per row, 0 … groupNames.length − 1. */
  groups: ArrayLike<number>;
  /** Class id per row, 0 … labelNames.length − 1. */
  labels: ArrayLike<number>;
  features: string[];
  groupNames: string[];
  labelNames: string[];
  /** Column names, recorded in the map so that `apply` finds them. */
  sensitive: string;
  label: string;
}

export interface SteerOptions {
  method: SteerMethod;
  /** The group the others are steered toward (default: the group with the most rows). */
  reference?: string;
  /** Σ + s·(tr Σ/d)·I for every fitted covariance (default 1e-3), so an ill-conditioned cell still has a map. */
  shrinkage?: number;
  /** Fewest rows a (class, group) cell, or a group, needs to be estimated (default dim + 1, at least 2). */
  minRows?: number;
  /** KL direction of the ideal target (default forward). */
  direction?: KlDirection;
  /** Solver of the ideal target (default moments). */
  idealSolver?: IdealSolver;
  /**
   * Also fit a classifier of the group from the features on these rows (group-classifier.ts, with this C), stored in
   * the map: `apply` uses it for rows whose group is unknown.
   */
  groupClassifier?: GroupClassifierOptions;
}

/**
 * Fits a steering map on labelled data. Every non-reference group is moved:
 * - ideal: each (class, group) Gaussian to the KL-nearest ideal target of the affirmative-action intervention
 *   (idealMoments, or the scalar family of affirmativeAction with idealSolver 'scalar'), by the Gaussian OT map — class-conditional maps for rows whose label is known; for test rows
 *   without a label, one map per group from the group's Gaussian to the moments the class-conditional maps give it
 *   (same class mix, targets' means and covariances), methods.md §4 (a) reading (i). Rows keep their labels: the class
 *   priors are not steered (no reweighting).
 * - ot: the group's Gaussian to the reference group's (MiMiC); mean: the group's mean to the reference's;
 * - leace: one map for all rows erasing the group linearly (the reference group plays no part).
 */
export function fitSteering(data: SteerData, options: SteerOptions): SteeringMap {
  const { dim, groupNames, labelNames } = data;
  const n = data.rows.length / dim;
  const shrinkage = options.shrinkage ?? 1e-3;
  if (!(shrinkage >= 0)) throw new FairkitError(`shrinkage must be a number ≥ 0, got ${shrinkage}`, { where: '--shrinkage' });
  const minRows = options.minRows ?? Math.max(2, dim + 1);
  const moments = new GroupLabelMoments({ nGroups: groupNames.length, nLabels: labelNames.length, dim });
  moments.add(data.rows, dim, data.groups, data.labels);
  const groupRows = groupNames.map((_, g) => labelNames.reduce((s, __, y) => s + moments.rowCount(g, y), 0));
  const reference = referenceIndex(options.reference, groupNames, groupRows);
  const entries: SteeringMapEntry[] = [];
  const diagnostics: SteeringMap['diagnostics'] = [];
  const shrink = (cov: Float64Array) => addScaledIdentity(cov, dim, (shrinkage * trace(cov, dim)) / dim);
  const cellGaussian = (g: number, y: number): Gaussian => {
    const rows = moments.rowCount(g, y);
    if (rows < minRows) throw new FairkitError(`the cell ${data.sensitive}=${groupNames[g]}, ${data.label}=${labelNames[y]} has ${rows} row${rows === 1 ? '' : 's'}, fewer than the ${minRows} needed to estimate its mean and covariance`, { where: 'steer fit', fix: 'Merge rare classes or groups, or lower --min-rows (with shrinkage)' });
    return { mean: moments.mean(g, y)!, cov: shrink(moments.covariance(g, y)!) };
  };
  const groupGaussians = (g: number): GroupGaussians => ({ priors: labelNames.map((_, y) => moments.rowCount(g, y) / groupRows[g]), classes: labelNames.map((_, y) => cellGaussian(g, y)) });
  const pooled = (g: number): Gaussian => {
    if (groupRows[g] < minRows) throw new FairkitError(`the group ${data.sensitive}=${groupNames[g]} has ${groupRows[g]} rows, fewer than the ${minRows} needed`, { where: 'steer fit' });
    return mixtureMoments(labelNames.map((_, y) => moments.rowCount(g, y) / groupRows[g]), labelNames.map((_, y) => ({ mean: moments.mean(g, y) ?? new Float64Array(dim), cov: moments.covariance(g, y) ?? new Float64Array(dim * dim) })), shrink);
  };

  if (options.method === 'leace') {
    const k = groupNames.length === 2 ? 1 : groupNames.length;
    const concept = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      if (k === 1) concept[i] = data.groups[i];
      else concept[i * k + data.groups[i]] = 1;
    }
    entries.push({ scope: 'all', ...encode(fitLeace(data.rows, dim, concept, k, { shrinkage: shrinkage > 0 })) });
  } else {
    const target = options.method === 'ideal' ? groupGaussians(reference) : pooled(reference);
    groupNames.forEach((name, g) => {
      if (g === reference) return;
      if (options.method === 'mean') entries.push({ scope: 'group', group: name, ...encode(meanMatchingMap(pooled(g).mean, (target as Gaussian).mean)) });
      else if (options.method === 'ot') entries.push({ scope: 'group', group: name, ...encode(gaussianOtMap(pooled(g), target as Gaussian)) });
      else {
        const own = groupGaussians(g);
        const direction = options.direction ?? 'forward';
        const solver = options.idealSolver ?? 'moments';
        const ideal = solver === 'moments'
          ? idealMoments(own, target as GroupGaussians, direction, { where: `steer fit, ideal target of ${data.sensitive}=${name}` })
          : affirmativeAction(own, target as GroupGaussians, direction);
        labelNames.forEach((labelName, y) => entries.push({ scope: 'group-class', group: name, label: labelName, ...encode(gaussianOtMap(own.classes[y], ideal.target.classes[y], 0)) }));
        // Test-time map: to the moments the class-conditional maps give the group (its own class mix).
        entries.push({ scope: 'group', group: name, ...encode(gaussianOtMap(mixtureMoments(own.priors, own.classes), mixtureMoments(own.priors, ideal.target.classes), 0)) });
        diagnostics.push({ group: name, gamma: ideal.gamma, shift: Array.from(ideal.shift), kl: ideal.kl, direction: ideal.direction, solver });
      }
    });
  }
  return {
    format: 'fairkit-steering-map',
    version: STEERING_MAP_VERSION,
    method: options.method,
    features: [...data.features],
    sensitive: data.sensitive,
    label: data.label,
    groups: [...groupNames],
    labels: [...labelNames],
    reference: groupNames[reference],
    shrinkage,
    rows: n,
    maps: entries,
    diagnostics,
    ...(options.groupClassifier ? { groupClassifier: fitGroupClassifier(data.rows, dim, data.groups, groupNames, options.groupClassifier) } : {}),
  };
}

function referenceIndex(reference: string | undefined, groupNames: string[], groupRows: number[]): number {
  if (groupNames.length < 2) throw new FairkitError(`steering needs at least two groups, found ${groupNames.length}`, { where: 'steer fit' });
  if (reference === undefined) return groupRows.indexOf(Math.max(...groupRows));
  const index = groupNames.indexOf(reference);
  if (index < 0) throw new FairkitError(`no group "${reference}"`, { where: '--reference', fix: `Groups: ${groupNames.join(', ')}` });
  return index;
}

/** Mean and covariance of a Gaussian mixture: Σ q_i μ_i and Σ q_i (Σ_i + (μ_i − μ)(μ_i − μ)ᵀ). */
export function mixtureMoments(priors: number[], parts: Gaussian[], finish: (cov: Float64Array) => Float64Array = (c) => c): Gaussian {
  const d = parts[0].mean.length;
  const mean = new Float64Array(d);
  priors.forEach((q, i) => parts[i].mean.forEach((m, j) => (mean[j] += q * m)));
  const cov = new Float64Array(d * d);
  priors.forEach((q, i) => {
    const diff = parts[i].mean.map((m, j) => m - mean[j]);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b] += q * (parts[i].cov[a * d + b] + diff[a] * diff[b]);
  });
  return { mean, cov: finish(cov) };
}

function encode(map: AffineMap) {
  return { matrix: Array.from(map.matrix), sourceMean: Array.from(map.sourceMean), targetMean: Array.from(map.targetMean) };
}

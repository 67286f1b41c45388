/**
 * The F-Layer's EER projection for one attribute (methods.md §3 (a), "EER"): given the targets t of a batch, project
 * the outputs r onto { y : |mean_g(y − t)| ≤ ε for every group g present }.
 *
 * The groups are disjoint and each constraint sees only its group's mean, so the problem splits by group and each
 * group is shifted uniformly (the cheapest way to move a mean): with the mean residual ρ_g = mean_g(r − t),
 *   y_i = r_i + clip(ρ_g, −ε, ε) − ρ_g   for i in g,
 * exact, no iteration. On a group whose constraint is active (|ρ_g| > ε) this is y = r − mean_g(r) + mean_g(t) ± ε,
 * so the Jacobian is I − 11ᵀ/n_g on that group's block (the group's mean is pinned; only deviations from it pass) and
 * the identity elsewhere. The tensor version writes that active-set form with matMul, mul, add and sub only (no clip),
 * so autodiff gives this Jacobian exactly, as ecp.ts does for ECP. Rows with a negative group id are never moved.
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { groupCounts } from './ecp-host.js';

/** Per group: the mean residual, and the shift that clips it to [−ε, ε] (0 for an inactive or absent group). */
export interface EerSolution {
  counts: Float64Array;
  residuals: Float64Array;
  shifts: Float64Array;
  /** Groups whose constraint is active: +1 (residual clipped down to ε), −1 (clipped up to −ε), 0 free or absent. */
  sides: Int8Array;
}

function checkTargets(n: number, targets: ArrayLike<number>): void {
  if (targets.length !== n) throw new FairkitError(`the F-Layer EER projection got ${targets.length} targets for ${n} outputs`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(targets[i])) throw new FairkitError(`the F-Layer EER projection got a non-finite target (${targets[i]}) at row ${i}`);
  }
}

/** The group residual means and the shifts that clip them (float64). */
export function solveEer(outputs: ArrayLike<number>, targets: ArrayLike<number>, groups: Int32Array, nGroups: number, epsilon: number): EerSolution {
  const n = outputs.length;
  const counts = groupCounts(groups, nGroups, n, epsilon);
  checkTargets(n, targets);
  const residuals = new Float64Array(nGroups);
  for (let i = 0; i < n; i++) if (groups[i] >= 0) residuals[groups[i]] += outputs[i] - targets[i];
  const shifts = new Float64Array(nGroups);
  const sides = new Int8Array(nGroups);
  for (let g = 0; g < nGroups; g++) {
    if (counts[g] === 0) continue;
    residuals[g] /= counts[g];
    if (residuals[g] > epsilon) sides[g] = 1;
    else if (residuals[g] < -epsilon) sides[g] = -1;
    shifts[g] = sides[g] * epsilon - (sides[g] === 0 ? 0 : residuals[g]);
  }
  return { counts, residuals, shifts, sides };
}

/** The EER projection of float64 outputs (closed form). */
export function projectEerHost(outputs: Float64Array, targets: ArrayLike<number>, groups: Int32Array, nGroups: number, epsilon: number): { y: Float64Array<ArrayBuffer>; solution: EerSolution } {
  const solution = solveEer(outputs, targets, groups, nGroups, epsilon);
  const y = Float64Array.from(outputs);
  for (let i = 0; i < y.length; i++) if (groups[i] >= 0) y[i] += solution.shifts[groups[i]];
  return { y, solution };
}

/**
 * The EER projection of outputs ([n] or [n, 1]) as tensor ops, differentiable in the outputs (the targets are
 * constants). The caller owns the result (same shape).
 */
export function projectEer(outputs: tf.Tensor, targets: ArrayLike<number>, groups: Int32Array, nGroups: number, epsilon: number): tf.Tensor {
  if (outputs.rank > 2 || (outputs.rank === 2 && outputs.shape[1] !== 1)) {
    throw new Error(`projectEer takes outputs of shape [n] or [n, 1], got [${outputs.shape.join(', ')}]`);
  }
  const n = outputs.size;
  const solution = solveEer(outputs.dataSync(), targets, groups, nGroups, epsilon);
  if (solution.sides.every((s) => s === 0)) return tf.clone(outputs);
  return tf.tidy(() => {
    // On an active group g: y_i = r_i − mean_g(r) + (mean_g(t) + side·ε). meanWeights [K, n] averages the active
    // groups (built on the host, not transposed: transposed matMuls are slow on wasm); targetMeans are constants.
    const meanWeights = new Float32Array(nGroups * n);
    const membership = new Float32Array(n * nGroups);
    const targetShift = new Float32Array(nGroups);
    for (let i = 0; i < n; i++) {
      const g = groups[i];
      if (g < 0 || solution.sides[g] === 0) continue;
      meanWeights[g * n + i] = 1 / solution.counts[g];
      membership[i * nGroups + g] = 1;
      targetShift[g] += targets[i] / solution.counts[g];
    }
    for (let g = 0; g < nGroups; g++) if (solution.sides[g] !== 0) targetShift[g] += solution.sides[g] * epsilon;
    const column = outputs.reshape([n, 1]);
    const means = tf.matMul(tf.tensor2d(meanWeights, [nGroups, n]), column);
    const shift = tf.sub(tf.tensor2d(targetShift, [nGroups, 1]), means);
    return tf.add(column, tf.matMul(tf.tensor2d(membership, [n, nGroups]), shift)).reshape(outputs.shape);
  });
}

/**
 * The F-Layer projection onto several sets (marginal ECP of several attributes, EER, a box) as TensorFlow.js ops.
 *
 * The host solver (solver-host.ts) finds the projection and its active set in float64 from the output values; the
 * tensor result is then the active set's exact affine form
 *   y = F∘r + (1 − F)∘v − Q(Ã r − b̃),   Q = Ãᵀ(ÃÃᵀ)⁻¹,
 * so its value is the projection and autodiff gives the implicit-function Jacobian diag(F) − QÃ: the gradient is
 * projected onto the tangent space of the active face (coordinates at a box bound get none). At kinks (a
 * constraint exactly at its bound with a zero multiplier) this is one of the one-sided Jacobians. Only matMul, mul,
 * add and sub, with constants built on the host (no transposed matMuls, no clip/min/max).
 */
import * as tf from '@tensorflow/tfjs';
import type { FairSetSpec } from './constraints.js';
import { projectHost, type MultiSolution, type SolverOptions } from './solver-host.js';

/** Projects outputs ([n] or [n, 1]) onto the set of spec; the caller owns the result (same shape). */
export function projectFair(outputs: tf.Tensor, spec: FairSetSpec, options: SolverOptions = {}): tf.Tensor {
  return projectFairWithSolution(outputs, spec, options).y;
}

/** projectFair plus the host solution (active set, multipliers, cycles) that fixed the tensor form. */
export function projectFairWithSolution(outputs: tf.Tensor, spec: FairSetSpec, options: SolverOptions = {}): { y: tf.Tensor; solution: MultiSolution } {
  if (outputs.rank > 2 || (outputs.rank === 2 && outputs.shape[1] !== 1)) {
    throw new Error(`projectFair takes outputs of shape [n] or [n, 1], got [${outputs.shape.join(', ')}]`);
  }
  const n = outputs.size;
  const solution = projectHost(Float64Array.from(outputs.dataSync()), spec, options);
  const { free, fixed, rows, rhs, q } = solution.form;
  const m = rows.length;
  const y = tf.tidy(() => {
    const column = outputs.reshape([n, 1]);
    let result = tf.add(tf.mul(tf.tensor2d(Float32Array.from(free), [n, 1]), column), tf.tensor2d(Float32Array.from(fixed), [n, 1]));
    if (m > 0) {
      const reduced = new Float32Array(m * n);
      rows.forEach((a, j) => reduced.set(Float32Array.from(a), j * n));
      const excess = tf.sub(tf.matMul(tf.tensor2d(reduced, [m, n]), column), tf.tensor2d(Float32Array.from(rhs), [m, 1]));
      result = tf.sub(result, tf.matMul(tf.tensor2d(Float32Array.from(q), [n, m]), excess));
    }
    return result.reshape(outputs.shape);
  });
  return { y, solution };
}

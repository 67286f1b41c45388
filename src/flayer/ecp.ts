/**
 * The F-Layer's ECP projection of a batch's outputs as TensorFlow.js ops (methods.md §3 (a)).
 *
 * The active set (which groups sit at the band's ends) is chosen on the host from the group sums; given it, the
 * projection is linear in r and is written with matMul, mul, add and sub only, so autodiff gives the exact Jacobian
 * of the projection for that active set. No clip, min, max or output-reusing ops are used: the layer sits under the
 * loss, and double-backprop methods may differentiate through it twice.
 *
 * With the active sets Low and High and W = Σ_{Low ∪ High} n_g:
 *   L = [Σ_Low n_g m_g + Σ_High n_g (m_g − ε)] / W,   shift_g = L − m_g (Low), L + ε − m_g (High), 0 (free),
 *   y_i = r_i + shift_{g(i)}.
 * For two groups this is the binary formula of §3 (a), with Jacobian I − a aᵀ/(aᵀa) when active.
 */
import * as tf from '@tensorflow/tfjs';
import { groupCounts, solveEcpMeans, type EcpSolution } from './ecp-host.js';

/**
 * Projects outputs (shape [n] or [n, 1]) so that every pairwise gap of group means is at most ε. Groups absent from
 * the batch get no constraint; fewer than two present (or no active constraint) returns the outputs unchanged (a
 * new tensor, same shape). Rows with a negative group id are never moved. The caller owns the result.
 */
export function projectEcp(outputs: tf.Tensor, groups: Int32Array, nGroups: number, epsilon: number): tf.Tensor {
  return projectEcpWithSolution(outputs, groups, nGroups, epsilon).y;
}

/** projectEcp plus the host solution that fixed the active set (for logging and tests). */
export function projectEcpWithSolution(outputs: tf.Tensor, groups: Int32Array, nGroups: number, epsilon: number): { y: tf.Tensor; solution: EcpSolution } {
  const n = outputs.size;
  if (outputs.rank > 2 || (outputs.rank === 2 && outputs.shape[1] !== 1)) {
    throw new Error(`projectEcp takes outputs of shape [n] or [n, 1], got [${outputs.shape.join(', ')}]`);
  }
  const counts = groupCounts(groups, nGroups, n, epsilon);
  // The host pass reads the values only to choose the active set; the tensor pass below recomputes every
  // quantity from `outputs` so that the gradient flows.
  const values = outputs.dataSync();
  const sums = new Float64Array(nGroups);
  for (let i = 0; i < n; i++) if (groups[i] >= 0) sums[groups[i]] += values[i];
  const solution = solveEcpMeans(sums, counts, epsilon);
  if (solution.lower === null) return { y: tf.clone(outputs), solution };

  const y = tf.tidy(() => {
    // meanWeights [K, n]: row g averages group g (built transposed on the host: transposed matMuls are slow on wasm).
    const meanWeights = new Float32Array(nGroups * n);
    const membership = new Float32Array(n * nGroups);
    for (let i = 0; i < n; i++) {
      const g = groups[i];
      if (g < 0) continue;
      meanWeights[g * n + i] = 1 / counts[g];
      membership[i * nGroups + g] = 1;
    }
    const low = new Float32Array(nGroups);
    const high = new Float32Array(nGroups);
    let activeCount = 0;
    let highCount = 0;
    for (let g = 0; g < nGroups; g++) {
      if (solution.sides[g] === 'low') low[g] = 1;
      if (solution.sides[g] === 'high') high[g] = 1;
      if (solution.sides[g] !== 'free') activeCount += counts[g];
      if (solution.sides[g] === 'high') highCount += counts[g];
    }
    // L = Σ_active (n_g / W) m_g − ε Σ_High n_g / W: the weights are constants, the means carry the gradient.
    const activeWeights = new Float32Array(nGroups);
    for (let g = 0; g < nGroups; g++) activeWeights[g] = ((low[g] + high[g]) * counts[g]) / activeCount;
    const column = outputs.reshape([n, 1]);
    const means = tf.matMul(tf.tensor2d(meanWeights, [nGroups, n]), column).reshape([nGroups]);
    const lowT = tf.tensor1d(low);
    const highT = tf.tensor1d(high);
    const lower = tf.sub(tf.sum(tf.mul(tf.tensor1d(activeWeights), means)), (epsilon * highCount) / activeCount);
    const target = tf.add(tf.mul(lowT, lower), tf.mul(highT, tf.add(lower, epsilon)));
    const shift = tf.mul(tf.add(lowT, highT), tf.sub(target, means));
    const rowShift = tf.matMul(tf.tensor2d(membership, [n, nGroups]), shift.reshape([nGroups, 1]));
    return tf.add(column, rowShift).reshape(outputs.shape);
  });
  return { y, solution };
}

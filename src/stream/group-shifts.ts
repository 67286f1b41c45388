/**
 * Exact solvers of the penalised projection that F-Layer's online primal–dual inference runs on every batch
 * (methods spec §3 (a) step 1), without a box:
 *
 *   ŷ = argmin_y ‖y − r‖² + μ · Σ_{a<b} |mean_a(y) − mean_b(y)|,   μ = λ·n.
 *
 * The optimum shifts every group uniformly (any within-group change of y costs ‖·‖² without touching a mean), so
 * with t_g = m_g + s_g the target mean of group g it is the K-variable convex problem
 *
 *   minimise  Σ_g n_g (t_g − m_g)² + μ · Σ_{a<b} |t_a − t_b|.
 *
 * Everything here is plain arithmetic on Float64Array: no TensorFlow.js, no Node.js built-ins (browser-safe).
 */

/** The binary closed form (spec §3 (a) step 1): the new gap d′ = sign(d)·max(|d| − μ·k/2, 0), k = 1/n0 + 1/n1. */
export function binaryTargets(m0: number, m1: number, n0: number, n1: number, mu: number): [number, number] {
  const d = m0 - m1;
  const k = 1 / n0 + 1 / n1;
  const dNew = Math.sign(d) * Math.max(Math.abs(d) - (mu * k) / 2, 0);
  // For a fixed new gap d′ the cheapest shifts split (d − d′) in proportion to the other group's size.
  const moved = d - dNew;
  return [m0 - (moved * n1) / (n0 + n1), m1 + (moved * n0) / (n0 + n1)];
}

/** The objective Σ n_g (t_g − m_g)² + μ Σ_{a<b} |t_a − t_b| (for tests and diagnostics). */
export function groupShiftObjective(targets: ArrayLike<number>, means: ArrayLike<number>, counts: ArrayLike<number>, mu: number): number {
  let value = 0;
  for (let g = 0; g < means.length; g++) value += counts[g] * (targets[g] - means[g]) ** 2;
  for (let a = 0; a < means.length; a++) for (let b = a + 1; b < means.length; b++) value += mu * Math.abs(targets[a] - targets[b]);
  return value;
}

const MAX_ORDER_CHANGES = 10_000;

/**
 * The K-group solver, exact. Keeping the order of the means is NOT enough with unequal group sizes (a small group
 * pulled up by many groups above can overtake a large one just above it; see the test "a small group overtakes"),
 * so the solver searches over orders:
 *
 * 1. Fix an order π of the groups. On the cone {t_π(1) ≤ … ≤ t_π(K)} the penalty is linear, Σ_i (2i − K − 1)·t_π(i),
 *    so the problem there is a weighted isotonic regression of m_g − μ(2i − K − 1)/(2 n_g) with weights n_g, solved
 *    exactly by pool-adjacent-violators (blocks of tied groups).
 * 2. Check the global optimality conditions: inside a tied block B at value v, with `below`/`above` the groups
 *    strictly below/above it, each member needs a pairwise subgradient sum r_g = −2n_g(v − m_g)/μ − (below − above)
 *    from antisymmetric entries in [−1, 1]; such entries exist iff Σ r = 0 and every top-k of r sums to at most
 *    k(|B| − k) (a fractional Landau condition, by max-flow).
 * 3. If a block fails, the top-k members want to move up: reorder the block by r (ascending) and repeat. The
 *    current point lies in the new cone and is not optimal there, so the objective strictly decreases and no order
 *    repeats: the search ends, at the global optimum (the problem is strictly convex, so it is unique).
 *
 * Exact up to floating point: step 2 allows a rounding slack scaled to the size of the numbers involved.
 */
export function groupTargets(means: ArrayLike<number>, counts: ArrayLike<number>, mu: number): Float64Array {
  const K = means.length;
  const targets = Float64Array.from(means);
  if (mu === 0 || K < 2) return targets;
  const order = Array.from({ length: K }, (_, g) => g).sort((a, b) => means[a] - means[b] || a - b);
  for (let round = 0; round < MAX_ORDER_CHANGES; round++) {
    const blocks = isotonicBlocks(order, means, counts, mu);
    for (const block of blocks) for (let i = block.start; i < block.end; i++) targets[order[i]] = block.value;
    let changed = false;
    for (const block of blocks) if (block.end - block.start > 1 && reorderIfNotOptimal(order, block, means, counts, mu)) changed = true;
    if (!changed) return targets;
  }
  throw new Error(`groupTargets: no optimum after ${MAX_ORDER_CHANGES} order changes (K = ${K}, μ = ${mu})`);
}

interface Block {
  start: number; // positions in `order`, end exclusive
  end: number;
  weight: number;
  weightedSum: number;
  value: number;
}

/** Pool-adjacent-violators on the cone of `order`; equal neighbours are pooled too, so block values strictly increase. */
function isotonicBlocks(order: number[], means: ArrayLike<number>, counts: ArrayLike<number>, mu: number): Block[] {
  const K = order.length;
  const stack: Block[] = [];
  for (let i = 0; i < K; i++) {
    const g = order[i];
    const coefficient = 2 * (i + 1) - K - 1;
    const weightedSum = counts[g] * means[g] - (mu * coefficient) / 2;
    let block: Block = { start: i, end: i + 1, weight: counts[g], weightedSum, value: weightedSum / counts[g] };
    while (stack.length > 0 && stack[stack.length - 1].value >= block.value) {
      const previous = stack.pop()!;
      const weight = previous.weight + block.weight;
      const sum = previous.weightedSum + block.weightedSum;
      block = { start: previous.start, end: block.end, weight, weightedSum: sum, value: sum / weight };
    }
    stack.push(block);
  }
  return stack;
}

/** Step 2 and 3 of groupTargets for one tied block; true when the block was reordered. */
function reorderIfNotOptimal(order: number[], block: Block, means: ArrayLike<number>, counts: ArrayLike<number>, mu: number): boolean {
  const size = block.end - block.start;
  const outside = block.start - (order.length - block.end); // below − above
  const members = order.slice(block.start, block.end);
  const need = new Map<number, number>();
  let slack = 0;
  for (const g of members) {
    need.set(g, (-2 * counts[g] * (block.value - means[g])) / mu - outside);
    // Rounding in v − m_g is amplified by 2n_g/μ; allow a few hundred ulps of it, plus a floor for the sums.
    slack = Math.max(slack, (512 * Number.EPSILON * 2 * counts[g] * (Math.abs(block.value) + Math.abs(means[g]))) / mu);
  }
  slack = slack * size + 1e-12 * size * size;
  const byNeed = [...members].sort((a, b) => need.get(b)! - need.get(a)! || a - b);
  let top = 0;
  let violated = false;
  for (let k = 1; k < size; k++) {
    top += need.get(byNeed[k - 1])!;
    if (top > k * (size - k) + slack) violated = true;
  }
  if (!violated) return false;
  byNeed.reverse().forEach((g, i) => (order[block.start + i] = g));
  return true;
}

/**
 * The single-group extension (fairkit's, stream.json version 4; derivation in docs/methods/flayer.md): a batch of n
 * rows, all of group g, whose running state is C_g rows with raw mean R_g and adjusted mean P_g, in a stream whose
 * adjusted rows so far have the pooled mean T. Every row of the batch gets the same shift
 *
 *   δ = a + clamp(w, −λ/2, λ/2),   a = T − R_g,   w = (C_g/n)·sign(T − P_g)·max(0, |T − P_g| − ε/2).
 *
 * a (the anchor) is the offset under which a typical batch of g (raw mean R_g) lands at the pooled mean; it is the
 * same for every row, so the order inside the group is kept. w is the extra shift of the batch mean that would
 * bring g's running mean back to the band T ± ε/2 (every pairwise gap ≤ ε when all groups are in it) in one batch;
 * the penalised step λ·n·|mean(y) − (mean(r) + a + w)| (the paper's soft threshold) allows at most λ/2 of it.
 * Inside the band w = 0: no row is pulled toward a point, so nothing is tied.
 */
export function anchoredShift(state: { pooledMean: number; rawMean: number; adjustedMean: number; count: number }, rows: number, epsilon: number): { anchor: number; correction: number } {
  const { pooledMean, rawMean, adjustedMean, count } = state;
  const deviation = pooledMean - adjustedMean;
  const outside = Math.max(0, Math.abs(deviation) - epsilon / 2);
  return { anchor: pooledMean - rawMean, correction: outside === 0 ? 0 : (count / rows) * Math.sign(deviation) * outside };
}

/** The soft threshold of the penalised step: min over e of e² + λ·|e − w| is at e = clamp(w, −λ/2, λ/2). */
export function penalisedStep(correction: number, lambda: number): number {
  return Math.max(-lambda / 2, Math.min(lambda / 2, correction));
}

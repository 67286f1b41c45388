/**
 * The GroupMixNorm transform on [N, C] features (rows × positions, channels last) with the learnable scale γ and
 * shift β folded in, and its gradient written out by hand.
 *
 * Forward, per channel, with the host tables of group-mix-norm-plan.ts (S slot one-hot, D means, E spread, W mix):
 *   μ = D·(Sᵀx)                      [K+1, C] means: eligible groups, then the whole batch (row K)
 *   c = x − S·μ                      each position centred with its own slot's mean
 *   v = D·(Sᵀc²) + E·(μ − μ_K)²      variances (the batch's by the law of total variance), σ = √(v + eps)
 *   r = W·σ, m = W·μ                 the mixed standard deviation and mean
 *   y = c ⊙ S·(γ r/σ) + (γ m + β)    = ((x − μ_s)/σ_s · r + m) · γ + β
 * Backward (G = Sᵀg and H = Sᵀ(g ⊙ c) with g = ∂L/∂y, times r per position for one mix per row):
 *   ∂β = Σ g;  ∂γ = Σ_slots (ρ ⊙ H + μ ⊙ Wᵀ·g)         with ρ = r/σ (1/σ per position mix)
 *   ∂μ = γ (Wᵀ·g − ρ ⊙ G);  ∂σ = γ (Wᵀ·(g ⊙ c/σ_s) − ρ ⊙ H/σ)
 *   ∂x = g ⊙ S·(γ r/σ) + S·c₁ + c ⊙ S·c₂,  c₂ = Dᵀ·(∂σ/σ),  c₁ = Dᵀ·∂μ + (μ − μ_K) ⊙ c₂[K]
 * (c₂ spreads ∂v = ∂σ/(2σ) as 2(x − μ)/n over each slot's positions; x − μ_K = c + (μ_s − μ_K) gives c₁'s last term).
 * The products with S (four Sᵀ· sums, four S· spreads per step) are group-mix-norm-slots.ts's slotSums and spreadSlots,
 * and ∂x one slotGradient: segment kernels in wasm where they give the matMuls' bits, else the matMuls.
 *
 * Compared with autodiff of the same forward pass this needs 17 kernels on [N, C] per step with the matMuls (fewer
 * with the segment kernels, which fuse several of them) instead of about 50, and copies no tensor for the backward pass (customGrad's `save` copies each tensor; saveShared below shares them).
 * The hand-written gradient is first order only: when gradients of gradients could be taken (a gradient tape inside
 * another), the same forward pass runs as plain differentiable ops instead (group-mix-norm-fused.test.ts checks both
 * against the earlier formulation).
 */
import * as tf from '@tensorflow/tfjs';
import type { GroupMixTables } from './group-mix-norm-plan.js';
import { centerRows, scaledRows, slotGradient, slotSums, spreadSlots, squareSums } from './group-mix-norm-slots.js';
import { outsideTape } from './outside-tape.js';

/**
 * The statistics groupMixNormalize reports: [K+1, C] tables (groups, then the batch), and the mixes per row. They
 * are bookkeeping (running statistics, inference): gradients reach x, γ and β through the output only.
 */
export interface GroupMixStatistics {
  meanTable: tf.Tensor;
  varTable: tf.Tensor;
  mixMean: tf.Tensor;
  mixStd: tf.Tensor;
}

interface Forward {
  y: tf.Tensor;
  centered: tf.Tensor;
  /** γ r/σ per position, or (scaleBySlot) per slot, [K+1, C]. */
  scale: tf.Tensor;
  scaleBySlot: boolean;
  meanTable: tf.Tensor;
  batchMean: tf.Tensor;
  stdTable: tf.Tensor;
  /** r per mix: [1, C] or [N, C]. */
  mixStd: tf.Tensor;
  /** 1/σ per position (one mix per row only, else null). */
  inverseStd: tf.Tensor | null;
  statistics: GroupMixStatistics;
}

/**
 * y (shape of x) and the statistics. `gamma` and `beta` are [C] (pass ones and zeros for no affine step);
 * `detach` stops gradients through the statistics.
 */
export function fusedGroupMix(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, tables: GroupMixTables, eps: number, detach: boolean): { output: tf.Tensor; statistics: GroupMixStatistics } {
  const engine = tf.engine();
  // Inside a nested tape the gradient itself may be differentiated: only plain ops can be (see the file comment).
  if (!engine.isTapeOn() || engine.state.gradientDepth > 1) {
    const f = forward(flat(x), gamma, beta, tables, eps, detach, false);
    return { output: tf.reshape(f.y, x.shape), statistics: f.statistics };
  }
  let kept: GroupMixStatistics | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, gammaIn, betaIn] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const f = forward(flat(xIn), gammaIn, betaIn, tables, eps, false, true);
    kept = f.statistics;
    for (const t of Object.values(kept)) tf.keep(t);
    saveShared(save, [f.centered, f.scale, f.meanTable, f.batchMean, f.stdTable, f.mixStd, f.inverseStd ?? f.mixStd, gammaIn, tables.slotIndex, tables.means, tables.mix]);
    return {
      value: tf.reshape(f.y, xIn.shape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [centered, scale, meanTable, batchMean, stdTable, mixStd, inverseStd, gammaSaved, slotIndex, means, mix] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor2D, tf.Tensor2D];
        const pieces = { centered, scale, scaleBySlot: f.scaleBySlot, meanTable, batchMean, stdTable, mixStd, inverseStd: mix.shape[0] === 1 ? null : inverseStd };
        const { dx, dGamma, dBeta } = backward(flat(dy), pieces, gammaSaved, { slotIndex, means, mix }, detach);
        return [tf.reshape(dx, xIn.shape), dGamma, dBeta];
      },
    };
  });
  const output = op(x, gamma, beta);
  // The statistics were made inside the op's own scope: copies of them belong to the caller's.
  const statistics = outsideTape(() => Object.fromEntries(Object.entries(kept!).map(([name, t]) => [name, sharedCopy(t)]))) as unknown as GroupMixStatistics;
  tf.dispose(Object.values(kept!));
  return { output, statistics };
}

interface EngineInternals {
  clone: (tensor: tf.Tensor) => tf.Tensor;
  makeTensorFromTensorInfo: (info: { dataId: object; shape: number[]; dtype: tf.DataType }) => tf.Tensor;
  backend: { incRef?: (dataId: object) => void };
}

/**
 * A new tensor, in the current scope, on the same buffer as `tensor` (the backend's reference count raised, as
 * wasm's Reshape does) instead of a copy (`tf.clone`: an Identity kernel, a whole-buffer copy on wasm). TensorFlow.js
 * tensors are immutable, so both hold the same values for good. Backends without `incRef` copy.
 */
function sharedCopy(tensor: tf.Tensor): tf.Tensor {
  const engine = tf.engine() as unknown as EngineInternals;
  if (typeof engine.backend.incRef !== 'function') return tf.clone(tensor);
  engine.backend.incRef(tensor.dataId);
  return engine.makeTensorFromTensorInfo({ dataId: tensor.dataId, shape: tensor.shape, dtype: tensor.dtype });
}

/**
 * customGrad's `save` keeps `engine.clone`s of the tensors (two [N, C] and nine small copies per call here); while it
 * saves, `clone` is sharedCopy instead. shared-saves.ts does the same for the saves of ordinary kernels, which
 * customGrad does not go through.
 */
function saveShared(save: tf.GradSaveFunc, tensors: tf.Tensor[]): void {
  const engine = tf.engine() as unknown as EngineInternals;
  if (Object.prototype.hasOwnProperty.call(engine, 'clone') || typeof engine.clone !== 'function') {
    save(tensors);
    return;
  }
  engine.clone = sharedCopy;
  try {
    save(tensors);
  } finally {
    delete (engine as Partial<EngineInternals>).clone;
  }
}

function flat(t: tf.Tensor): tf.Tensor {
  return tf.reshape(t, [-1, t.shape[t.rank - 1]]);
}

/** `fused`: for the hand-written gradient (not differentiated), elementwise steps may be fused with the spreads. */
function forward(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, tables: GroupMixTables, eps: number, detach: boolean, fused: boolean): Forward {
  const { slotIndex: s, means: d, spread, mix, mixPerRow } = tables;
  const slots = d.shape[0];
  const k = slots - 1;
  const meanTable = maybeDetach(tf.matMul(d, slotSums(s, x, slots)), detach);
  const batchMean = tf.slice(meanTable, [k, 0], [1, -1]);
  const centered = fused ? centerRows(s, x, meanTable) : tf.sub(x, spreadSlots(s, meanTable));
  const squares = fused ? squareSums(s, centered, slots) : slotSums(s, tf.square(centered), slots);
  const varTable = tf.add(tf.matMul(d, squares), tf.matMul(spread, tf.square(tf.sub(meanTable, batchMean))));
  const stdTable = maybeDetach(tf.sqrt(tf.add(varTable, eps)), detach);
  const mixMean = tf.matMul(mix, meanTable);
  const mixStd = tf.matMul(mix, stdTable);
  const gammaRow = tf.reshape(gamma, [1, -1]);
  const shift = tf.add(tf.mul(mixMean, gammaRow), beta);
  let scale: tf.Tensor;
  let inverseStd: tf.Tensor | null = null;
  // One mix per batch: with `fused`, the output spreads the [K+1, C] table itself and the gradient does the same.
  const scaleBySlot = fused && mix.shape[0] === 1;
  if (mix.shape[0] === 1) {
    const scaleTable = tf.div(tf.mul(mixStd, gammaRow), stdTable);
    scale = scaleBySlot ? scaleTable : spreadSlots(s, scaleTable);
  } else {
    inverseStd = spreadSlots(s, tf.reciprocal(stdTable));
    scale = tf.mul(tf.mul(inverseStd, mixStd), gammaRow);
  }
  const y = scaleBySlot ? scaledRows(s, centered, scale, shift) : tf.add(tf.mul(centered, scale), shift);
  // One mix per row of a [B, …, C] input: the per-row mixes (mix holds them per position).
  const perRow = mixPerRow.shape[0] === mix.shape[0];
  const statistics = {
    meanTable,
    varTable,
    mixMean: perRow ? mixMean : tf.matMul(mixPerRow, meanTable),
    mixStd: perRow ? mixStd : tf.matMul(mixPerRow, stdTable),
  };
  return { y, centered, scale, scaleBySlot, meanTable, batchMean, stdTable, mixStd, inverseStd, statistics };
}

type Saved = Pick<Forward, 'centered' | 'scale' | 'scaleBySlot' | 'meanTable' | 'batchMean' | 'stdTable' | 'mixStd' | 'inverseStd'>;

function backward(dy: tf.Tensor, f: Saved, gamma: tf.Tensor, tables: Pick<GroupMixTables, 'slotIndex' | 'means' | 'mix'>, detach: boolean): { dx: tf.Tensor; dGamma: tf.Tensor; dBeta: tf.Tensor } {
  const { slotIndex: s, means: d, mix } = tables;
  const { centered, scale, scaleBySlot, meanTable, batchMean, stdTable, mixStd, inverseStd } = f;
  const slots = d.shape[0];
  const k = slots - 1;
  const perBatch = inverseStd === null;
  // With one mix per row, r varies by position: it joins g before the sums over slots.
  const gr = perBatch ? dy : tf.mul(dy, mixStd);
  const sums = slotSums(s, gr, slots);
  const crossSums = slotSums(s, tf.mul(gr, centered), slots);
  const dBeta = perBatch ? tf.sum(sums, 0) : tf.sum(dy, 0);
  const rho = perBatch ? tf.div(mixStd, stdTable) : tf.reciprocal(stdTable);
  const mixedSums = perBatch ? tf.matMul(mix, tf.reshape(dBeta, [1, -1]), true, false) : tf.matMul(mix, dy, true, false);
  const dGamma = tf.sum(tf.add(tf.mul(rho, crossSums), tf.mul(meanTable, mixedSums)), 0);
  if (detach) return { dx: tf.mul(dy, scaleBySlot ? spreadSlots(s, scale) : scale), dGamma, dBeta };

  const gammaRow = tf.reshape(gamma, [1, -1]);
  const normalisedSums = tf.div(crossSums, stdTable);
  const mixedNormalised = perBatch
    ? tf.matMul(mix, tf.sum(normalisedSums, 0, true), true, false)
    : tf.matMul(mix, tf.mul(dy, tf.mul(centered, inverseStd!)), true, false);
  const dMean = tf.mul(gammaRow, tf.sub(mixedSums, tf.mul(rho, sums)));
  const dStd = tf.mul(gammaRow, tf.sub(mixedNormalised, tf.mul(rho, normalisedSums)));
  const c2 = tf.matMul(d, tf.div(dStd, stdTable), true, false);
  const c1 = tf.add(tf.matMul(d, dMean, true, false), tf.mul(tf.sub(meanTable, batchMean), tf.slice(c2, [k, 0], [1, -1])));
  const dx = slotGradient(s, dy, scale, centered, c1, c2, scaleBySlot);
  return { dx, dGamma, dBeta };
}

function maybeDetach<T extends tf.Tensor>(t: T, detach: boolean): T {
  return detach ? (stopGradient(t) as T) : t;
}

/** The identity with a zero gradient (TensorFlow.js has no tf.stopGradient). */
const stopGradient = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/**
 * GroupMixNorm's per-slot sums Sᵀ·x and spreads S·T (S the [N, K+1] one-hot of each position's slot, group-mix-norm-
 * plan.ts): eight such products per layer and training step. While the fast kernels are on (fastKernelExports) they
 * run as wasm/gemm/segment.ts's segmentSums (one pass over x, adding each row to its slot's sums) and gatherRows (each
 * row copied from its slot's), on int32 slot ids instead of the one-hot; else, and where the GEMM would sum in another
 * order (see segmentKernelsFit), as matMuls with the one-hot. Both give the same bits: segment.ts's header says why,
 * group-mix-norm-slots.test.ts checks it against the GEMM in both SIMD builds.
 *
 * The two kernels are registered with TensorFlow.js (wasm backend) with gradients, each the other's transpose (the
 * gradient of a segment sum is a gather of dy's rows, and back), so they can be differentiated to any order like the
 * matMuls they replace — bit for bit the matMuls' gradients too, which are the same two products.
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { fastKernelExports, memoryOffset, type WasmBackendInternals } from './fast-matmul.js';

/** wasm/gemm/segment.ts's exports (part of the gemm module that fastKernelExports returns). */
interface SegmentKernels {
  segmentSums(x: number, slots: number, out: number, rows: number, cols: number, segments: number): void;
  gatherRows(table: number, slots: number, out: number, rows: number, cols: number): void;
  slotGradient(dy: number, scale: number, centered: number, c1: number, c2: number, slots: number, out: number, rows: number, cols: number, scaleBySlot: boolean): void;
  centerRows(x: number, table: number, slots: number, out: number, rows: number, cols: number): void;
  squareSums(c: number, slots: number, out: number, rows: number, cols: number, segments: number): void;
  scaledRows(c: number, table: number, shift: number, slots: number, out: number, rows: number, cols: number): void;
}

const SEGMENT_SUMS = 'FairkitSegmentSums';
const GATHER_ROWS = 'FairkitGatherRows';
const SLOT_GRADIENT = 'FairkitSlotGradient';
const CENTER_ROWS = 'FairkitCenterRows';
const SQUARE_SUMS = 'FairkitSquareSums';
const SCALED_ROWS = 'FairkitScaledRows';

const segmentKernels = () => fastKernelExports() as unknown as SegmentKernels | null;

/**
 * Whether the segment kernels give the GEMM's bits for `slots` slots and `channels` columns: the GEMM sums Sᵀ·x in one
 * accumulator over the rows in order, except in its scalar columns with A transposed (16 or more slots, a column
 * count not a multiple of 4), where it adds partial sums of 256 rows.
 */
export function segmentKernelsFit(slots: number, channels: number): boolean {
  return segmentKernels() !== null && (slots < 16 || channels % 4 === 0);
}

/**
 * The slot index of N positions as a tensor: int32 ids [N] when the segment kernels fit, else the float32 one-hot
 * [N, slots]. slotSums and spreadSlots take either.
 */
export function slotIndex(slotOf: Int32Array, slots: number, channels: number): tf.Tensor {
  for (const slot of slotOf) {
    if (!(slot >= 0 && slot < slots)) throw new FairkitError(`slot ${slot} outside [0, ${slots})`, { where: 'GroupMixNorm slotIndex' });
  }
  if (segmentKernelsFit(slots, channels)) return tf.tensor1d(slotOf, 'int32');
  const oneHot = new Float32Array(slotOf.length * slots);
  slotOf.forEach((slot, i) => (oneHot[i * slots + slot] = 1));
  return tf.tensor2d(oneHot, [slotOf.length, slots]);
}

/** Sᵀ·x: [slots, C] sums of the rows of x ([N, C]) per slot. */
export function slotSums(index: tf.Tensor, x: tf.Tensor, slots: number): tf.Tensor {
  if (index.dtype !== 'int32') return tf.matMul(index as tf.Tensor2D, x as tf.Tensor2D, true, false);
  if (segmentKernels() === null) return tf.matMul(oneHotOf(index, slots), x as tf.Tensor2D, true, false);
  return tf.engine().runKernel(SEGMENT_SUMS, { x, slots: index }, { segments: slots }) as tf.Tensor;
}

/** S·T: [N, C], row i the row of `table` ([slots, C]) of position i's slot. */
export function spreadSlots(index: tf.Tensor, table: tf.Tensor): tf.Tensor {
  if (index.dtype !== 'int32') return tf.matMul(index as tf.Tensor2D, table as tf.Tensor2D);
  if (segmentKernels() === null) return tf.matMul(oneHotOf(index, table.shape[0]), table as tf.Tensor2D);
  return tf.engine().runKernel(GATHER_ROWS, { table, slots: index }, { segments: table.shape[0] }) as tf.Tensor;
}

/**
 * (dy ⊙ scale + S·c1) + centered ⊙ S·c2 ([N, C]; c1, c2 [slots, C]; scale [N, C], or with `scaleBySlot` a [slots, C]
 * table to spread): GroupMixNorm's input gradient, in one pass of segment.ts's slotGradient with slot ids (the same
 * bits as the kernels it replaces), else with those kernels. The fused ops below (centerRows, squareSums,
 * scaledRows) likewise: steps of GroupMixNorm's hand-written gradient and its forward pass, with no gradient of their own.
 */
export function slotGradient(index: tf.Tensor, dy: tf.Tensor, scale: tf.Tensor, centered: tf.Tensor, c1: tf.Tensor, c2: tf.Tensor, scaleBySlot: boolean): tf.Tensor {
  if (!fusedRows(index)) {
    const spreadScale = scaleBySlot ? spreadSlots(index, scale) : scale;
    return tf.add(tf.add(tf.mul(dy, spreadScale), spreadSlots(index, c1)), tf.mul(centered, spreadSlots(index, c2)));
  }
  return tf.engine().runKernel(SLOT_GRADIENT, { dy, scale, centered, c1, c2, slots: index }, { scaleBySlot }) as tf.Tensor;
}

/** x − S·table, as tf.sub(x, spreadSlots(index, table)). */
export function centerRows(index: tf.Tensor, x: tf.Tensor, table: tf.Tensor): tf.Tensor {
  if (!fusedRows(index)) return tf.sub(x, spreadSlots(index, table));
  return tf.engine().runKernel(CENTER_ROWS, { x, table, slots: index }, {}) as tf.Tensor;
}

/** Sᵀ·(c ⊙ c), as slotSums(index, tf.square(c), slots). */
export function squareSums(index: tf.Tensor, c: tf.Tensor, slots: number): tf.Tensor {
  if (!fusedRows(index)) return slotSums(index, tf.square(c), slots);
  return tf.engine().runKernel(SQUARE_SUMS, { x: c, slots: index }, { segments: slots }) as tf.Tensor;
}

/** c ⊙ S·table + shift (shift [1, C]), as tf.add(tf.mul(c, spreadSlots(index, table)), shift). */
export function scaledRows(index: tf.Tensor, c: tf.Tensor, table: tf.Tensor, shift: tf.Tensor): tf.Tensor {
  if (!fusedRows(index)) return tf.add(tf.mul(c, spreadSlots(index, table)), shift);
  return tf.engine().runKernel(SCALED_ROWS, { x: c, table, shift, slots: index }, {}) as tf.Tensor;
}

const fusedRows = (index: tf.Tensor) => index.dtype === 'int32' && segmentKernels() !== null;

/** The one-hot of int32 ids, for the fast kernels switched off between a forward pass and its gradient. */
function oneHotOf(index: tf.Tensor, slots: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(index as tf.Tensor1D, slots), 'float32') as tf.Tensor2D);
}

interface SegmentArgs {
  inputs: { x?: tf.TensorInfo; table?: tf.TensorInfo; slots: tf.TensorInfo };
  backend: WasmBackendInternals;
  attrs: { segments: number };
}

function kernelsOrThrow(name: string): SegmentKernels {
  const kernels = segmentKernels();
  if (kernels === null) throw new Error(`${name}: the fast kernels are off (installFastMatMul)`);
  return kernels;
}

function segmentSumsKernel({ inputs: { x, slots }, backend, attrs: { segments } }: SegmentArgs): tf.TensorInfo {
  const [rows, cols] = (x as tf.TensorInfo).shape;
  const out = backend.makeOutput([segments, cols], 'float32');
  const at = (t: tf.TensorInfo) => memoryOffset(backend, t);
  kernelsOrThrow(SEGMENT_SUMS).segmentSums(at(x!), at(slots), at(out), rows, cols, segments);
  return out;
}

function gatherRowsKernel({ inputs: { table, slots }, backend }: SegmentArgs): tf.TensorInfo {
  const rows = slots.shape[0];
  const cols = (table as tf.TensorInfo).shape[1];
  const out = backend.makeOutput([rows, cols], 'float32');
  const at = (t: tf.TensorInfo) => memoryOffset(backend, t);
  kernelsOrThrow(GATHER_ROWS).gatherRows(at(table!), at(slots), at(out), rows, cols);
  return out;
}

interface RowArgs {
  inputs: Record<'x' | 'table' | 'shift' | 'dy' | 'scale' | 'centered' | 'c1' | 'c2' | 'slots', tf.TensorInfo>;
  backend: WasmBackendInternals;
  attrs: { scaleBySlot: boolean; segments: number };
}

/** A kernel whose output has the shape of `like`'s [rows, cols] (`shape` overrides), filled by `run`. */
function rowKernel(name: string, like: (inputs: RowArgs['inputs']) => tf.TensorInfo, run: (k: SegmentKernels, at: (t: tf.TensorInfo) => number, out: number, rows: number, cols: number, args: RowArgs) => void, shape?: (args: RowArgs, cols: number) => number[]): void {
  const kernelFunc = (args: RowArgs) => {
    const [rows, cols] = like(args.inputs).shape;
    const out = args.backend.makeOutput(shape ? shape(args, cols) : [rows, cols], 'float32');
    const at = (t: tf.TensorInfo) => memoryOffset(args.backend, t);
    run(kernelsOrThrow(name), at, at(out), rows, cols, args);
    return out;
  };
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

function registerFusedKernels(): void {
  rowKernel(SLOT_GRADIENT, (i) => i.dy, (k, at, out, rows, cols, { inputs: i, attrs }) => k.slotGradient(at(i.dy), at(i.scale), at(i.centered), at(i.c1), at(i.c2), at(i.slots), out, rows, cols, attrs.scaleBySlot));
  rowKernel(CENTER_ROWS, (i) => i.x, (k, at, out, rows, cols, { inputs: i }) => k.centerRows(at(i.x), at(i.table), at(i.slots), out, rows, cols));
  rowKernel(SQUARE_SUMS, (i) => i.x, (k, at, out, rows, cols, { inputs: i, attrs }) => k.squareSums(at(i.x), at(i.slots), out, rows, cols, attrs.segments), ({ attrs }, cols) => [attrs.segments, cols]);
  rowKernel(SCALED_ROWS, (i) => i.x, (k, at, out, rows, cols, { inputs: i }) => k.scaledRows(at(i.x), at(i.table), at(i.shift), at(i.slots), out, rows, cols));
}

if (tf.getKernel(SEGMENT_SUMS, 'wasm') === undefined) {
  registerFusedKernels();
  tf.registerKernel({ kernelName: SEGMENT_SUMS, backendName: 'wasm', kernelFunc: segmentSumsKernel as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: GATHER_ROWS, backendName: 'wasm', kernelFunc: gatherRowsKernel as unknown as tf.KernelFunc });
  // The slot ids carry no gradient (as tf.gather's indices).
  tf.registerGradient({
    kernelName: SEGMENT_SUMS,
    inputsToSave: ['slots'],
    gradFunc: (dy, [slots]) => ({ x: () => spreadSlots(slots, dy as tf.Tensor), slots: () => slots }),
  });
  tf.registerGradient({
    kernelName: GATHER_ROWS,
    inputsToSave: ['slots'],
    gradFunc: (dy, [slots], attrs) => ({ table: () => slotSums(slots, dy as tf.Tensor, (attrs as unknown as { segments: number }).segments), slots: () => slots }),
  });
}

/**
 * GroupMixNorm's segment kernels (wasm/gemm/segment.ts via group-mix-norm-slots.ts): bit for bit against the GEMM's
 * products with the one-hot slot matrix in both SIMD builds (loaded directly), edge cases, the TensorFlow.js ops and
 * their gradients against the matMuls', and a GroupMixNorm step running them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { installFastMatMul, setFastMatMulEnabled, type GemmExports } from './fast-matmul.js';
import { groupMixNormalize } from './group-mix-norm.js';
import { referenceGroupMixNormalize } from './group-mix-norm-reference.test-helper.js';
import { centerRows, scaledRows, segmentKernelsFit, slotGradient, slotIndex, slotSums, spreadSlots, squareSums } from './group-mix-norm-slots.js';
import { relativeError } from './relative-error.test-helper.js';
import { WebAssemblyGlobal } from './webassembly.js';

interface Kernels extends GemmExports {
  segmentSums(x: number, slots: number, out: number, rows: number, cols: number, segments: number): void;
  gatherRows(table: number, slots: number, out: number, rows: number, cols: number): void;
}

const bits = (values: Float32Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));

/** Slot of each row: slot 1 left empty when there are 3 or more slots, so an empty segment is always covered. */
function slotsOf(rng: Rng, rows: number, slots: number): Int32Array {
  return Int32Array.from({ length: rows }, () => {
    const s = rng.int(slots);
    return slots >= 3 && s === 1 ? 0 : s;
  });
}

/** Values of mixed sign and size, with some −0 and +0 (the GEMM's zero terms and sums from +0 must be matched). */
function values(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => {
    const u = rng.uniform();
    return u < 0.05 ? -0 : u < 0.1 ? 0 : rng.normal() * 10 ** rng.int(4);
  });
}

/** One build of the gemm module on a memory of its own, with arrays placed one after another. */
function loadBuild(file: string): { kernel: Kernels; put: (a: Float32Array | Int32Array) => number; read: (at: number, n: number) => Float32Array; reset: () => void } | null {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  const bytes = readFileSync(new URL(`../../wasm/build/${file}`, import.meta.url));
  if (!WebAssemblyGlobal.validate(bytes)) return null;
  const memory = new WebAssemblyGlobal.Memory({ initial: 256 });
  const kernel = new WebAssemblyGlobal.Instance(new WebAssemblyGlobal.Module(bytes), { env: { memory } }).exports as unknown as Kernels;
  let next = 1024;
  return {
    kernel,
    put: (a) => {
      const at = next;
      new Uint8Array(memory.buffer, at, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      next += (a.byteLength + 63) & ~63;
      return at;
    },
    read: (at, n) => new Float32Array(memory.buffer, at, n).slice(),
    reset: () => (next = 1024),
  };
}

function oneHot(slotOf: Int32Array, slots: number): Float32Array {
  const s = new Float32Array(slotOf.length * slots);
  slotOf.forEach((slot, i) => (s[i * slots + slot] = 1));
  return s;
}

describe('segment kernels (wasm/gemm/segment.ts) against the GEMM', () => {
  // [rows, slots, cols]: Adult's shape; past the GEMM's 256-row depth slices with leftover vector and scalar columns;
  // one column (the GEMM's matrix-vector path for S·T); 17 slots with a multiple of 4 columns; one row; two slots.
  const SHAPES = [[2000, 3, 200], [300, 3, 13], [257, 5, 1], [600, 17, 8], [1, 3, 7], [40, 2, 6]] as const;

  for (const file of ['gemm-simd.wasm', 'gemm-relaxed-simd.wasm']) {
    const build = loadBuild(file);
    test(`${file}: Sᵀ·x and S·T bit for bit, empty slots and one row included`, { skip: build === null && 'V8 rejects relaxed SIMD' }, () => {
      const { kernel, put, read, reset } = build!;
      const rng = new Rng(11);
      for (const [rows, slots, cols] of SHAPES) {
        reset();
        const slotOf = slotsOf(rng, rows, slots);
        const x = values(rng, rows * cols);
        const table = values(rng, slots * cols);
        const [sAt, idsAt, xAt, tableAt] = [put(oneHot(slotOf, slots)), put(slotOf), put(x), put(table)];
        const [gemmSums, sums, gemmSpread, spread] = [put(new Float32Array(slots * cols)), put(new Float32Array(slots * cols)), put(new Float32Array(rows * cols)), put(new Float32Array(rows * cols))];
        // Sᵀ·x as the fast matMul calls the GEMM for transposeA (rowStep 1, colStep m), S·T with S's rows contiguous.
        kernel.gemm(sAt, 1, slots, xAt, gemmSums, slots, rows, cols);
        kernel.segmentSums(xAt, idsAt, sums, rows, cols, slots);
        kernel.gemm(sAt, slots, 1, tableAt, gemmSpread, rows, slots, cols);
        kernel.gatherRows(tableAt, idsAt, spread, rows, cols);
        const shape = `${rows}×${slots}×${cols}`;
        assert.deepEqual(bits(read(sums, slots * cols)), bits(read(gemmSums, slots * cols)), `Sᵀ·x ${shape}`);
        assert.deepEqual(bits(read(spread, rows * cols)), bits(read(gemmSpread, rows * cols)), `S·T ${shape}`);
        if (slots >= 3) assert.ok(read(sums, slots * cols).subarray(cols, 2 * cols).every((v) => Object.is(v, 0)), `empty slot sums to +0 (${shape})`);
      }
    });

    test(`${file}: where segmentKernelsFit says no (16+ slots, columns not a multiple of 4) the GEMM sums in another order`, { skip: build === null && 'V8 rejects relaxed SIMD' }, () => {
      const { kernel, put, read, reset } = build!;
      reset();
      const rng = new Rng(12);
      const [rows, slots, cols] = [2000, 16, 6];
      const slotOf = Int32Array.from({ length: rows }, (_, i) => i % slots);
      const x = values(rng, rows * cols);
      const [sAt, idsAt, xAt, gemmSums, sums] = [put(oneHot(slotOf, slots)), put(slotOf), put(x), put(new Float32Array(slots * cols)), put(new Float32Array(slots * cols))];
      kernel.gemm(sAt, 1, slots, xAt, gemmSums, slots, rows, cols);
      kernel.segmentSums(xAt, idsAt, sums, rows, cols, slots);
      assert.notDeepEqual(bits(read(sums, slots * cols)), bits(read(gemmSums, slots * cols)));
    });
  }
});

describe('slotSums and spreadSlots (TensorFlow.js ops on the wasm backend)', () => {
  before(async () => {
    await initBackend('wasm');
    installFastMatMul();
  });
  after(() => setFastMatMulEnabled(true));

  test('slot ids while the fast kernels are on and fit, the one-hot otherwise; ids outside the slots are refused', () => {
    const ids = Int32Array.from([0, 2, 2, 1]);
    tf.tidy(() => {
      assert.equal(slotIndex(ids, 3, 5).dtype, 'int32');
      assert.equal(segmentKernelsFit(16, 6), false);
      assert.deepEqual(slotIndex(ids, 16, 6).shape, [4, 16]);
      setFastMatMulEnabled(false);
      assert.deepEqual(slotIndex(ids, 3, 5).shape, [4, 3]);
      setFastMatMulEnabled(true);
      assert.throws(() => slotIndex(Int32Array.from([0, 3]), 3, 5), /slot 3 outside \[0, 3\)/);
    });
  });

  for (const [rows, slots, cols] of [[500, 3, 12], [1, 3, 4], [300, 4, 7]]) {
    test(`values and gradients (first and second order) equal the one-hot matMuls' bit for bit (${rows}×${slots}×${cols})`, () => {
      const rng = new Rng(13 + rows);
      const slotOf = slotsOf(rng, rows, slots);
      const [x, table, r, r2] = [values(rng, rows * cols), values(rng, slots * cols), values(rng, slots * cols), values(rng, rows * cols)];
      const run = (index: tf.Tensor) => tf.tidy(() => {
        const [xs, ts, rs, r2s] = [tf.tensor2d(x, [rows, cols]), tf.tensor2d(table, [slots, cols]), tf.tensor2d(r, [slots, cols]), tf.tensor2d(r2, [rows, cols])];
        // f(x, T) = Σ r ⊙ Sᵀ·(x ⊙ S·T): both ops, their gradients in x and T, and a gradient of a gradient.
        const f = (xi: tf.Tensor, ti: tf.Tensor) => tf.sum(tf.mul(rs, slotSums(index, tf.mul(xi, spreadSlots(index, ti)), slots)));
        const [dx, dt] = tf.grads(f)([xs, ts]);
        const second = tf.grad((ti: tf.Tensor) => tf.sum(tf.mul(r2s, tf.grad((xi: tf.Tensor) => f(xi, ti))(xs))))(ts);
        // GroupMixNorm's fused steps against the kernels they replace (with −0 and +0 among the values).
        const [c1, c2] = [tf.neg(rs), tf.mul(rs, ts)];
        const fused = [
          slotGradient(index, r2s, xs, tf.sub(xs, r2s), c1, c2, false),
          slotGradient(index, r2s, c2, tf.sub(xs, r2s), c1, ts, true),
          centerRows(index, xs, ts),
          squareSums(index, tf.sub(xs, r2s), slots),
          scaledRows(index, xs, ts, tf.slice(c1, [0, 0], [1, -1])),
        ];
        return [slotSums(index, xs, slots), spreadSlots(index, ts), dx, dt, second, ...fused].map((t) => bits(t.dataSync() as Float32Array));
      });
      const segment = tf.tidy(() => run(tf.tensor1d(slotOf, 'int32')));
      const matMul = tf.tidy(() => run(tf.tensor2d(oneHot(slotOf, slots), [rows, slots])));
      ['Sᵀ·x', 'S·T', '∂x', '∂T', 'second order', 'slotGradient', 'slotGradient by slot', 'centerRows', 'squareSums', 'scaledRows'].forEach((what, i) => assert.deepEqual(segment[i], matMul[i], what));
    });
  }

  test('a GroupMixNorm step runs the eight products as segment kernels (fused with the elementwise steps around them); gradients agree with autodiff of the earlier formulation to 1e-6', async () => {
    const rng = new Rng(14);
    const [rows, cols] = [400, 8];
    const ids = Int32Array.from({ length: rows }, () => (rng.uniform() < 0.3 ? 1 : 0));
    const x = Float32Array.from({ length: rows * cols }, (_, k) => rng.normal() * (1 + ids[Math.floor(k / cols)]) + ids[Math.floor(k / cols)]);
    const r = Float32Array.from(x, () => rng.normal());
    const [gamma, beta] = [Float32Array.from({ length: cols }, () => 1 + 0.3 * rng.normal()), Float32Array.from({ length: cols }, () => rng.normal())];
    const weights = [0.3, 0.7];
    const options = { nGroups: 2 };
    const [xs, g, b, rs] = [tf.tensor2d(x, [rows, cols]), tf.tensor1d(gamma), tf.tensor1d(beta), tf.tensor2d(r, [rows, cols])];
    const gradients = (f: (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.Tensor) => tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(f(xi, gi, bi), rs)))([xs, g, b]);
    let fresh: Float32Array[] = [];
    const profile = await tf.profile(() => {
      fresh = tf.tidy(() => gradients((xi, gi, bi) => groupMixNormalize(xi, ids, weights, options, { gamma: gi, beta: bi }).output).map((d) => d.dataSync() as Float32Array));
    });
    const count = (name: string) => profile.kernels.filter((k) => k.name === name).length;
    const names = ['FairkitSegmentSums', 'FairkitSquareSums', 'FairkitGatherRows', 'FairkitCenterRows', 'FairkitScaledRows', 'FairkitSlotGradient'];
    assert.deepEqual(names.map(count), [3, 1, 0, 1, 1, 1]);
    assert.equal(profile.kernels.filter((k) => k.name === 'BatchMatMul' && k.inputShapes.some((s) => s?.[0] === rows && s?.[1] === 3)).length, 0, 'no product with the one-hot');
    const old = tf.tidy(() => gradients((xi, gi, bi) => tf.add(tf.mul(referenceGroupMixNormalize(xi, ids, weights, options).output, gi), bi)).map((d) => d.dataSync() as Float32Array));
    ['∂x', '∂γ', '∂β'].forEach((what, i) => assert.ok(relativeError(fresh[i], old[i]) < 1e-6, `${what}: ${relativeError(fresh[i], old[i])}`));
    tf.dispose([xs, g, b, rs]);
  });
});

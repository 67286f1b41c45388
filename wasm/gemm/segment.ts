// Per-slot sums and row gathers for GroupMixNorm's statistics (src/nn/group-mix-norm-slots.ts), in place of its
// products with a one-hot slot matrix S: Sᵀ·x (segmentSums) and S·T (gatherRows). Part of the gemm module, which
// imports the TensorFlow.js wasm backend's memory: every pointer is a byte offset into it. Nothing here may add a data
// segment (it would overwrite what the backend keeps at those addresses).
//
// Bit-identical to the GEMM's products with S (gemm.ts), in both builds: every term S·v there is 1·v (exact) or 0·v
// (an exact ±0, with or without fused multiply-add), summed from +0 in index order, the depth slices of KC rows
// continuing one accumulator. So each element of Sᵀ·x is +0 + the slot's rows in row order (zeros added in between
// change nothing: the sum from +0 is never −0), and S·T's row i is +0 + T[slot i] (−0 becomes +0). Not so where the
// GEMM sums slices apart (scalarColumnsTransposedA: 16 or more slots with the column count not a multiple of 4; the
// caller keeps the GEMM there), nor for non-finite values (the GEMM's 0·∞ is NaN).

/**
 * out (segments × cols) = per segment, the sum of the rows of x (rows × cols) whose slot (i32 per row) it is; with
 * `squared` (a constant at each call, so each export compiles its own loop) of each entry's square v·v, rounded as
 * TF.js's Square kernel rounds it, without storing the squares.
 */
@inline function sumsBySlot(x: usize, slots: usize, out: usize, rows: i32, cols: i32, segments: i32, squared: bool): void {
  memory.fill(out, 0, (<usize>segments * cols) << 2);
  const rowBytes = <usize>cols << 2;
  const c4 = cols & ~3;
  for (let i = 0; i < rows; i++) {
    const src = x + <usize>i * rowBytes;
    const dst = out + <usize>load<i32>(slots + (<usize>i << 2)) * rowBytes;
    let j = 0;
    for (; j < c4; j += 4) {
      const at = <usize>j << 2;
      const v = v128.load(src + at);
      v128.store(dst + at, f32x4.add(v128.load(dst + at), squared ? f32x4.mul(v, v) : v));
    }
    for (; j < cols; j++) {
      const at = <usize>j << 2;
      const v = load<f32>(src + at);
      store<f32>(dst + at, load<f32>(dst + at) + (squared ? v * v : v));
    }
  }
}

/** Sᵀ·x: out (segments × cols), per segment the sum of the rows of x (rows × cols) whose slot (i32 per row) it is. */
export function segmentSums(x: usize, slots: usize, out: usize, rows: i32, cols: i32, segments: i32): void {
  sumsBySlot(x, slots, out, rows, cols, segments, false);
}

/** out (rows × cols): row i = +0 + row slot[i] of table (… × cols), so a −0 comes out +0 as from the GEMM. */
export function gatherRows(table: usize, slots: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  const c4 = cols & ~3;
  const zero = f32x4.splat(0);
  for (let i = 0; i < rows; i++) {
    const src = table + <usize>load<i32>(slots + (<usize>i << 2)) * rowBytes;
    const dst = out + <usize>i * rowBytes;
    let j = 0;
    for (; j < c4; j += 4) {
      const at = <usize>j << 2;
      v128.store(dst + at, f32x4.add(zero, v128.load(src + at)));
    }
    for (; j < cols; j++) {
      const at = <usize>j << 2;
      store<f32>(dst + at, <f32>0 + load<f32>(src + at));
    }
  }
}

/**
 * GroupMixNorm's input gradient in one pass (src/nn/group-mix-norm-fused.ts): out = (dy·scale + S·c1) + centered·S·c2
 * for [rows, cols] dy and centered, [slots, cols] c1, c2, and scale [rows, cols] or (scaleBySlot) S·scale of a
 * [slots, cols] table; each operation rounded as TensorFlow.js's separate Mul and Add kernels round it (no fused
 * multiply-add, the gathers' +0 included; −0 + v is v for every v), so the bits are theirs.
 */
export function slotGradient(dy: usize, scale: usize, centered: usize, c1: usize, c2: usize, slots: usize, out: usize, rows: i32, cols: i32, scaleBySlot: bool): void {
  const rowBytes = <usize>cols << 2;
  const c4 = cols & ~3;
  const zero = f32x4.splat(0);
  for (let i = 0; i < rows; i++) {
    const row = <usize>i * rowBytes;
    const slot = <usize>load<i32>(slots + (<usize>i << 2)) * rowBytes;
    // scale per row ([rows, cols]), or its slot's row of a [slots, cols] table gathered (+0 as gatherRows adds).
    const scaleRow = scaleBySlot ? scale + slot : scale + row;
    const lift = scaleBySlot ? zero : f32x4.splat(-0.0);
    let j = 0;
    for (; j < c4; j += 4) {
      const at = <usize>j << 2;
      const first = f32x4.add(f32x4.mul(v128.load(dy + row + at), f32x4.add(lift, v128.load(scaleRow + at))), f32x4.add(zero, v128.load(c1 + slot + at)));
      const second = f32x4.mul(v128.load(centered + row + at), f32x4.add(zero, v128.load(c2 + slot + at)));
      v128.store(out + row + at, f32x4.add(first, second));
    }
    for (; j < cols; j++) {
      const at = <usize>j << 2;
      const first = load<f32>(dy + row + at) * ((scaleBySlot ? <f32>0 : <f32>-0.0) + load<f32>(scaleRow + at)) + (<f32>0 + load<f32>(c1 + slot + at));
      store<f32>(out + row + at, first + load<f32>(centered + row + at) * (<f32>0 + load<f32>(c2 + slot + at)));
    }
  }
}

/** out (rows × cols) = x − S·table: each row minus its slot's row (+0 added first, as gatherRows), as TF.js's Sub. */
export function centerRows(x: usize, table: usize, slots: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  const c4 = cols & ~3;
  const zero = f32x4.splat(0);
  for (let i = 0; i < rows; i++) {
    const row = <usize>i * rowBytes;
    const src = table + <usize>load<i32>(slots + (<usize>i << 2)) * rowBytes;
    let j = 0;
    for (; j < c4; j += 4) {
      const at = <usize>j << 2;
      v128.store(out + row + at, f32x4.sub(v128.load(x + row + at), f32x4.add(zero, v128.load(src + at))));
    }
    for (; j < cols; j++) {
      const at = <usize>j << 2;
      store<f32>(out + row + at, load<f32>(x + row + at) - (<f32>0 + load<f32>(src + at)));
    }
  }
}

/** segmentSums of the squares c·c (each rounded, as TF.js's Square kernel rounds it) without storing them. */
export function squareSums(c: usize, slots: usize, out: usize, rows: i32, cols: i32, segments: i32): void {
  sumsBySlot(c, slots, out, rows, cols, segments, true);
}

/** out = c ⊙ S·table + shift (shift one [cols] row): GroupMixNorm's output, rounded as TF.js's Mul then Add. */
export function scaledRows(c: usize, table: usize, shift: usize, slots: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  const c4 = cols & ~3;
  const zero = f32x4.splat(0);
  for (let i = 0; i < rows; i++) {
    const row = <usize>i * rowBytes;
    const src = table + <usize>load<i32>(slots + (<usize>i << 2)) * rowBytes;
    let j = 0;
    for (; j < c4; j += 4) {
      const at = <usize>j << 2;
      const scaled = f32x4.mul(v128.load(c + row + at), f32x4.add(zero, v128.load(src + at)));
      v128.store(out + row + at, f32x4.add(scaled, v128.load(shift + at)));
    }
    for (; j < cols; j++) {
      const at = <usize>j << 2;
      store<f32>(out + row + at, load<f32>(c + row + at) * (<f32>0 + load<f32>(src + at)) + load<f32>(shift + at));
    }
  }
}

// Products with a mostly-zero left operand (one-hot encoded tables such as Adult), skipping its zeros; the fast matMul
// kernel (src/nn/fast-matmul.ts) sends such products here, bit-identical to the GEMM where its sparseFits holds
// (same order of the depth sum, same multiply-add per column; the zeros the GEMM adds are exact). Part of the
// gemm module (which imports the TensorFlow.js wasm backend's memory: every pointer is a byte offset into it) and of
// dense-step (its own memory). The fast matMul kernel's x·W uses the listed form at the end of this file (16 output
// columns in registers); the fused step (dense-step, and its helper threads) uses the per-nonzero forms. Nothing here
// may add a data segment: on the backend's memory it would overwrite whatever the backend keeps at those addresses.

@inline function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(f32x4.mul(a, b), acc);
}

/** dst[0..n) += value · src[0..n) (f32), four lanes at a time. */
@inline function addScaled(dst: usize, src: usize, value: f32, n: i32): void {
  const n4 = n & ~3;
  const splat = f32x4.splat(value);
  let j = 0;
  for (; j < n4; j += 4) {
    const at = <usize>j << 2;
    v128.store(dst + at, madd(splat, v128.load(src + at), v128.load(dst + at)));
  }
  for (; j < n; j++) store<f32>(dst + (<usize>j << 2), load<f32>(dst + (<usize>j << 2)) + value * load<f32>(src + (<usize>j << 2)));
}

/**
 * out (rows × n) = x (rows × d) · w (d × n), skipping the zeros of x: for each row, out[i, :] = Σ_p x[i, p] · w[p, :]
 * over its nonzero p. Faster than the tiled GEMM when x is mostly zeros (one-hot encoded tables).
 */
export function sparseRowsTimes(x: usize, w: usize, out: usize, rows: i32, d: i32, n: i32): void {
  for (let i = 0; i < rows; i++) {
    const row = out + ((<usize>i * n) << 2);
    memory.fill(row, 0, <usize>n << 2);
    const xi = x + ((<usize>i * d) << 2);
    for (let p = 0; p < d; p++) {
      const value = load<f32>(xi + (<usize>p << 2));
      if (value == 0) continue;
      addScaled(row, w + ((<usize>p * n) << 2), value, n);
    }
  }
}

/** out (d × n) = xᵀ · g for x rows × d and g rows × n, skipping the zeros of x (see sparseRowsTimes). */
export function sparseTransposeTimes(x: usize, g: usize, out: usize, rows: i32, d: i32, n: i32): void {
  sparseTransposeTimesRows(x, g, out, rows, d, n, 0, d);
}

/**
 * Rows [p0, p1) of out = xᵀ · g (see sparseTransposeTimes). Each output element is summed over the batch rows in the
 * same order whatever the range, so threads that split the output rows between them give bit-identical results.
 */
export function sparseTransposeTimesRows(x: usize, g: usize, out: usize, rows: i32, d: i32, n: i32, p0: i32, p1: i32): void {
  memory.fill(out + ((<usize>p0 * n) << 2), 0, (<usize>(p1 - p0) * n) << 2);
  for (let i = 0; i < rows; i++) {
    const xi = x + ((<usize>i * d) << 2);
    const gi = g + ((<usize>i * n) << 2);
    for (let p = p0; p < p1; p++) {
      const value = load<f32>(xi + (<usize>p << 2));
      if (value == 0) continue;
      addScaled(out + ((<usize>p * n) << 2), gi, value, n);
    }
  }
}

/**
 * How many of the n floats at x are not zero (NaN counts, −0 does not). Four lanes at a time without branches: the
 * fast matMul kernel asks this of every large left operand, and a branch per entry mispredicted on dense values.
 */
export function countNonzero(x: usize, n: i32): i32 {
  const n4 = n & ~3;
  const zero = f32x4.splat(0);
  let lanes = i32x4.splat(0);
  let k = 0;
  // f32x4.ne gives −1 in each lane that is not zero.
  for (; k < n4; k += 4) lanes = i32x4.sub(lanes, f32x4.ne(v128.load(x + (<usize>k << 2)), zero));
  let count = i32x4.extract_lane(lanes, 0) + i32x4.extract_lane(lanes, 1) + i32x4.extract_lane(lanes, 2) + i32x4.extract_lane(lanes, 3);
  for (; k < n; k++) if (load<f32>(x + (<usize>k << 2)) != 0) count++;
  return count;
}

// Listed variants: each output row's nonzero terms are first written to a list in a scratch area the caller
// allocates (the gemm module owns no memory), then combined with 16 output columns kept in registers, so the output
// is stored once per row instead of once per nonzero. Each output element still sums its terms in index order from
// +0 with the GEMM's multiply-add (vector columns) or multiply then add (the n mod 4 scalar columns): bit-identical to
// the functions above and to the GEMM where sparseFits holds. A list entry is 8 bytes: the byte offset of the right
// operand's row (u32) and the left operand's value (f32).

/** Writes row xi's nonzero entries (d of them at most) to list without branches; returns how many. */
@inline function gatherRow(xi: usize, d: i32, rowBytes: u32, list: usize): i32 {
  let count = 0;
  for (let p = 0; p < d; p++) {
    const value = load<f32>(xi + (<usize>p << 2));
    const at = list + (<usize>count << 3);
    store<u32>(at, <u32>p * rowBytes);
    store<f32>(at, value, 4);
    count += i32(value != 0);
  }
  return count;
}

/** out[j..j+16) = Σ value · right[row, j..j+16) over the list entries [list, end), in list order (column = right + 4j). */
@inline function combine16(list: usize, end: usize, column: usize, pc: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  for (let at = list; at < end; at += 8) {
    const row = column + <usize>load<u32>(at);
    const x = v128.load32_splat(at + 4);
    c0 = madd(x, v128.load(row), c0);
    c1 = madd(x, v128.load(row, 16), c1);
    c2 = madd(x, v128.load(row, 32), c2);
    c3 = madd(x, v128.load(row, 48), c3);
  }
  v128.store(pc, c0); v128.store(pc, c1, 16); v128.store(pc, c2, 32); v128.store(pc, c3, 48);
}

/** Columns [j0, n) of combineListed: four at a time, then the n mod 4 with scalar multiply then add. */
@inline function combineTail(list: usize, end: usize, right: usize, out: usize, j0: i32, n: i32): void {
  const n4 = n & ~3;
  let j = j0;
  for (; j < n4; j += 4) {
    const column = right + (<usize>j << 2);
    let c0 = f32x4.splat(0);
    for (let at = list; at < end; at += 8) c0 = madd(v128.load32_splat(at + 4), v128.load(column + <usize>load<u32>(at)), c0);
    v128.store(out + (<usize>j << 2), c0);
  }
  for (; j < n; j++) {
    const column = right + (<usize>j << 2);
    let sum: f32 = 0;
    for (let at = list; at < end; at += 8) sum += load<f32>(at + 4) * load<f32>(column + <usize>load<u32>(at));
    store<f32>(out + (<usize>j << 2), sum);
  }
}

/** out[0..n) = Σ_t value_t · right[row_t, 0..n) over the count list entries, in list order. */
function combineListed(list: usize, count: i32, right: usize, out: usize, n: i32): void {
  const n16 = n & ~15;
  const end = list + (<usize>count << 3);
  for (let j = 0; j < n16; j += 16) combine16(list, end, right + (<usize>j << 2), out + (<usize>j << 2));
  combineTail(list, end, right, out, n16, n);
}

/** out = x · w as sparseRowsTimes, with a scratch area of 8·d bytes (one row's list). */
export function sparseRowsTimesListed(x: usize, w: usize, out: usize, rows: i32, d: i32, n: i32, scratch: usize): void {
  const rowBytes = <u32>n << 2;
  for (let i = 0; i < rows; i++) {
    const count = gatherRow(x + ((<usize>i * d) << 2), d, rowBytes, scratch);
    combineListed(scratch, count, w, out + ((<usize>i * n) << 2), n);
  }
}

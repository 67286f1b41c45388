// Register-tiled single-precision GEMM for fairkit's wasm backend (AssemblyScript, compiled by `npm run build:wasm`).
// The module imports the TensorFlow.js wasm backend's own memory, so operands are read and results written in place:
// every pointer below is a byte offset into that memory. Compiled twice: with relaxed SIMD (fused multiply-add where
// the CPU has it) and with plain SIMD (multiply then add); ASC_FEATURE_RELAXED_SIMD picks the variant at compile time.

@inline function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(f32x4.mul(a, b), acc);
}

/** Writes the transpose of the rows × cols row-major matrix at `src` to `dst` (cols × rows). */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  const block = 32;
  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = min(r0 + block, rows);
    for (let c0 = 0; c0 < cols; c0 += block) {
      const c1 = min(c0 + block, cols);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) {
          store<f32>(dst + ((<usize>c * rows + r) << 2), load<f32>(src + ((<usize>r * cols + c) << 2)));
        }
      }
    }
  }
}

// Depth of one pass over B: a KC × n slice of B (200 KB for n = 200) stays in L2 while every row tile of A uses it.
const KC = 256;

/**
 * C (m × n, row-major) = A · B with B row-major k × n. Element (i, p) of A is read at a + 4·(i·rowStep + p·colStep),
 * so a transposed A costs nothing (rowStep 1, colStep m). The depth is cut into slices of KC; within a slice, columns
 * are done 8 at a time for 4 rows at a time (eight vector accumulators), leftover rows one at a time, leftover columns
 * (n mod 8) four at a time, then with scalar code. The first slice writes C, later ones add to it.
 */
export function gemm(a: usize, rowStep: i32, colStep: i32, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  for (let p0 = 0; p0 < k; p0 += KC) {
    const depth = min(KC, k - p0);
    const aSlice = a + ((<usize>p0 * colStep) << 2);
    const bSlice = b + ((<usize>p0 * n) << 2);
    tiles(aSlice, rowStep, colStep, bSlice, c, m, depth, n, p0 == 0);
    leftoverColumns(aSlice, rowStep, colStep, bSlice, c, m, depth, n, p0 == 0);
  }
}

@inline function start(pc: usize, first: bool): v128 {
  return first ? f32x4.splat(0) : v128.load(pc);
}

function tiles(a: usize, rowStep: i32, colStep: i32, b: usize, c: usize, m: i32, k: i32, n: i32, first: bool): void {
  const n8 = n & ~7;
  const aCol = <usize>colStep << 2;
  const bRow = <usize>n << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = a + ((<usize>i * rowStep) << 2);
    const a1 = a0 + (<usize>rowStep << 2);
    const a2 = a1 + (<usize>rowStep << 2);
    const a3 = a2 + (<usize>rowStep << 2);
    for (let j = 0; j < n8; j += 8) {
      const pc = c + ((<usize>i * n + j) << 2);
      let c00 = start(pc, first), c01 = start(pc + 16, first);
      let c10 = start(pc + bRow, first), c11 = start(pc + bRow + 16, first);
      let c20 = start(pc + 2 * bRow, first), c21 = start(pc + 2 * bRow + 16, first);
      let c30 = start(pc + 3 * bRow, first), c31 = start(pc + 3 * bRow + 16, first);
      let pb = b + (<usize>j << 2);
      let off: usize = 0;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let x = v128.load32_splat(a0 + off);
        c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
        x = v128.load32_splat(a1 + off);
        c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
        x = v128.load32_splat(a2 + off);
        c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
        x = v128.load32_splat(a3 + off);
        c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
        pb += bRow;
        off += aCol;
      }
      v128.store(pc, c00); v128.store(pc, c01, 16);
      v128.store(pc + bRow, c10); v128.store(pc + bRow, c11, 16);
      v128.store(pc + 2 * bRow, c20); v128.store(pc + 2 * bRow, c21, 16);
      v128.store(pc + 3 * bRow, c30); v128.store(pc + 3 * bRow, c31, 16);
    }
  }
  for (; i < m; i++) {
    const ai = a + ((<usize>i * rowStep) << 2);
    for (let j = 0; j < n8; j += 8) {
      const pc = c + ((<usize>i * n + j) << 2);
      let c0 = start(pc, first), c1 = start(pc + 16, first);
      let pb = b + (<usize>j << 2);
      let off: usize = 0;
      for (let p = 0; p < k; p++) {
        const x = v128.load32_splat(ai + off);
        c0 = madd(x, v128.load(pb), c0);
        c1 = madd(x, v128.load(pb, 16), c1);
        pb += bRow;
        off += aCol;
      }
      v128.store(pc, c0); v128.store(pc, c1, 16);
    }
  }
}

function leftoverColumns(a: usize, rowStep: i32, colStep: i32, b: usize, c: usize, m: i32, k: i32, n: i32, first: bool): void {
  const aCol = <usize>colStep << 2;
  const bRow = <usize>n << 2;
  const n8 = n & ~7;
  const n4 = n & ~3;
  // A stored transposed (rowStep 1) holds 16 consecutive rows in one cache line: the scalar columns go 16 rows at a
  // time with vector loads of A, instead of one row at a time down a column of A (a gradient's Hᵀ·dy, n = 1).
  const rowsByVector = rowStep == 1 && n4 < n ? m & ~15 : 0;
  if (rowsByVector > 0) scalarColumnsTransposedA(a, colStep, b, c, rowsByVector, k, n, n4, first);
  // A matrix-vector product (n = 1) with A's rows contiguous: vector dot products along the depth.
  if (n == 1 && colStep == 1 && rowsByVector == 0) {
    matrixVector(a, rowStep, b, c, m, k, first);
    return;
  }
  for (let i = 0; i < m; i++) {
    const ai = a + ((<usize>i * rowStep) << 2);
    if (n4 > n8) {
      const pc = c + ((<usize>i * n + n8) << 2);
      let acc = start(pc, first);
      let pb = b + (<usize>n8 << 2);
      let off: usize = 0;
      for (let p = 0; p < k; p++) {
        acc = madd(v128.load32_splat(ai + off), v128.load(pb), acc);
        pb += bRow;
        off += aCol;
      }
      v128.store(pc, acc);
    }
    for (let j = i < rowsByVector ? n : n4; j < n; j++) {
      const pc = c + ((<usize>i * n + j) << 2);
      let sum: f32 = first ? 0 : load<f32>(pc);
      let pb = b + (<usize>j << 2);
      let off: usize = 0;
      for (let p = 0; p < k; p++) {
        sum += load<f32>(ai + off) * load<f32>(pb);
        pb += bRow;
        off += aCol;
      }
      store<f32>(pc, sum);
    }
  }
}

/** Columns j0 … n − 1 of C for rows 0 … m − 1 (m a multiple of 16) when A is stored transposed (element (i, p) at i + p·colStep). */
function scalarColumnsTransposedA(a: usize, colStep: i32, b: usize, c: usize, m: i32, k: i32, n: i32, j0: i32, first: bool): void {
  const aCol = <usize>colStep << 2;
  const bRow = <usize>n << 2;
  for (let j = j0; j < n; j++) {
    for (let i = 0; i < m; i += 16) {
      let acc0 = f32x4.splat(0), acc1 = f32x4.splat(0), acc2 = f32x4.splat(0), acc3 = f32x4.splat(0);
      let pa = a + (<usize>i << 2);
      let pb = b + (<usize>j << 2);
      for (let p = 0; p < k; p++) {
        const x = v128.load32_splat(pb);
        acc0 = madd(v128.load(pa), x, acc0);
        acc1 = madd(v128.load(pa, 16), x, acc1);
        acc2 = madd(v128.load(pa, 32), x, acc2);
        acc3 = madd(v128.load(pa, 48), x, acc3);
        pa += aCol;
        pb += bRow;
      }
      const pc = c + ((<usize>i * n + j) << 2);
      storeColumn(pc, bRow, acc0, first);
      storeColumn(pc + 4 * bRow, bRow, acc1, first);
      storeColumn(pc + 8 * bRow, bRow, acc2, first);
      storeColumn(pc + 12 * bRow, bRow, acc3, first);
    }
  }
}

/** Writes (or adds, after the first depth slice) four lanes down a column of C, `stride` bytes apart. */
@inline function storeColumn(pc: usize, stride: usize, lanes: v128, first: bool): void {
  store<f32>(pc, (first ? 0 : load<f32>(pc)) + f32x4.extract_lane(lanes, 0));
  store<f32>(pc + stride, (first ? 0 : load<f32>(pc + stride)) + f32x4.extract_lane(lanes, 1));
  store<f32>(pc + 2 * stride, (first ? 0 : load<f32>(pc + 2 * stride)) + f32x4.extract_lane(lanes, 2));
  store<f32>(pc + 3 * stride, (first ? 0 : load<f32>(pc + 3 * stride)) + f32x4.extract_lane(lanes, 3));
}

/** C (m × 1) = A · b for A with contiguous rows (element (i, p) at i·rowStep + p) and b a contiguous vector. */
function matrixVector(a: usize, rowStep: i32, b: usize, c: usize, m: i32, k: i32, first: bool): void {
  const k8 = k & ~7;
  for (let i = 0; i < m; i++) {
    const ai = a + ((<usize>i * rowStep) << 2);
    let acc0 = f32x4.splat(0), acc1 = f32x4.splat(0);
    for (let p = 0; p < k8; p += 8) {
      const off = <usize>p << 2;
      acc0 = madd(v128.load(ai + off), v128.load(b + off), acc0);
      acc1 = madd(v128.load(ai + off, 16), v128.load(b + off, 16), acc1);
    }
    const acc = f32x4.add(acc0, acc1);
    let sum: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (let p = k8; p < k; p++) sum += load<f32>(ai + (<usize>p << 2)) * load<f32>(b + (<usize>p << 2));
    const pc = c + (<usize>i << 2);
    store<f32>(pc, first ? sum : load<f32>(pc) + sum);
  }
}

export { countNonzero, sparseRowsTimes, sparseRowsTimesListed, sparseTransposeTimes, sparseTransposeTimesRows } from './sparse';
export { columnSums } from './reduce';
export { centerRows, gatherRows, scaledRows, segmentSums, slotGradient, squareSums } from './segment';

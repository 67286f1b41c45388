// Products with a mostly-zero left operand (one-hot encoded rows), for Fair Mixup's first layer
// (src/methods/mixup-sparse-products.ts). x·W: each output block of 16 columns is summed in four SIMD registers over
// the row's nonzeros and stored once, instead of reading and writing the output row back per nonzero (as
// wasm/dense-step's sparseRowsTimes does). Pointers are byte offsets into the imported memory; matrices are
// row-major float32; each output element is summed in a fixed order (ascending nonzero position, then row).

@inline function times(a: v128, b: v128, acc: v128): v128 {
  return f32x4.add(f32x4.mul(a, b), acc);
}

/**
 * out[i, j0..j1) = Σ_q val[q] · m[at[q], j0..j1) over the q < count listed nonzeros, for the rows of out and m
 * `n` floats long; j0..j1 covers all n columns, 16, then 4, then 1 at a time.
 */
@inline function combineRows(m: usize, n: i32, at: usize, val: usize, count: i32, out: usize): void {
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    const column = <usize>j << 2;
    for (let q = 0; q < count; q++) {
      const s = v128.load32_splat(val + (<usize>q << 2));
      const row = m + ((<usize>load<i32>(at + (<usize>q << 2)) * n) << 2) + column;
      a0 = times(s, v128.load(row), a0);
      a1 = times(s, v128.load(row, 16), a1);
      a2 = times(s, v128.load(row, 32), a2);
      a3 = times(s, v128.load(row, 48), a3);
    }
    v128.store(out + column, a0);
    v128.store(out + column, a1, 16);
    v128.store(out + column, a2, 32);
    v128.store(out + column, a3, 48);
  }
  for (; j + 4 <= n; j += 4) {
    let a0 = f32x4.splat(0);
    const column = <usize>j << 2;
    for (let q = 0; q < count; q++) {
      a0 = times(v128.load32_splat(val + (<usize>q << 2)), v128.load(m + ((<usize>load<i32>(at + (<usize>q << 2)) * n) << 2) + column), a0);
    }
    v128.store(out + column, a0);
  }
  for (; j < n; j++) {
    let sum: f32 = 0;
    for (let q = 0; q < count; q++) sum += load<f32>(val + (<usize>q << 2)) * load<f32>(m + ((<usize>load<i32>(at + (<usize>q << 2)) * n + j) << 2));
    store<f32>(out + (<usize>j << 2), sum);
  }
}

/**
 * out (rows × n) = x (rows × d) · w (d × n), over the nonzeros of each row of x. Scratch: `at` (d i32) and `val`
 * (d f32) hold one row's nonzero positions and values.
 */
export function rowsTimes(x: usize, w: usize, out: usize, rows: i32, d: i32, n: i32, at: usize, val: usize): void {
  for (let i = 0; i < rows; i++) {
    const xi = x + ((<usize>i * d) << 2);
    let count = 0;
    for (let p = 0; p < d; p++) {
      const value = load<f32>(xi + (<usize>p << 2));
      if (value == 0) continue;
      store<i32>(at + (<usize>count << 2), p);
      store<f32>(val + (<usize>count << 2), value);
      count++;
    }
    combineRows(w, n, at, val, count, out + ((<usize>i * n) << 2));
  }
}

/**
 * out (d × n) = xᵀ · g for x (rows × d) and g (rows × n): for each row and each of its nonzeros p,
 * out[p, :] += x[i, p] · g[i, :] (out, d × n, stays in cache; building column lists first was slower).
 */
export function transposeTimes(x: usize, g: usize, out: usize, rows: i32, d: i32, n: i32): void {
  const n4 = n & ~3;
  memory.fill(out, 0, (<usize>d * n) << 2);
  for (let i = 0; i < rows; i++) {
    const xi = x + ((<usize>i * d) << 2);
    const gi = g + ((<usize>i * n) << 2);
    for (let p = 0; p < d; p++) {
      const value = load<f32>(xi + (<usize>p << 2));
      if (value == 0) continue;
      const op = out + ((<usize>p * n) << 2);
      const s = f32x4.splat(value);
      let j = 0;
      for (; j < n4; j += 4) {
        const at = <usize>j << 2;
        v128.store(op + at, times(s, v128.load(gi + at), v128.load(op + at)));
      }
      for (; j < n; j++) store<f32>(op + (<usize>j << 2), load<f32>(op + (<usize>j << 2)) + value * load<f32>(gi + (<usize>j << 2)));
    }
  }
}

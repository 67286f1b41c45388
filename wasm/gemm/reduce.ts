// Column sums for fairkit's Sum kernel (src/nn/fast-sum.ts): a rows × cols row-major float32 matrix summed over its
// rows, as TensorFlow.js's wasm Sum does for a reduction over the leading axes — but without its transpose first.
// Bit-identical to that kernel, which sums each output element sequentially in float32 from +0 in row order: here each
// f32x4 lane is one column, accumulated over rows 0..rows−1 in order from +0 (SIMD adds are plain IEEE adds per lane).

/**
 * out[j] = Σ_i x[i·cols + j] (byte offsets into the backend's memory). Columns are done 32 at a time (eight vector
 * accumulators, two cache lines of each row), then 4 at a time, then one at a time.
 */
export function columnSums(x: usize, out: usize, rows: i32, cols: i32): void {
  const row = <usize>cols << 2;
  const c32 = cols & ~31;
  const c4 = cols & ~3;
  let j = 0;
  for (; j < c32; j += 32) {
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let s4 = f32x4.splat(0), s5 = f32x4.splat(0), s6 = f32x4.splat(0), s7 = f32x4.splat(0);
    let p = x + (<usize>j << 2);
    for (let i = 0; i < rows; i++, p += row) {
      s0 = f32x4.add(s0, v128.load(p, 0));
      s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32));
      s3 = f32x4.add(s3, v128.load(p, 48));
      s4 = f32x4.add(s4, v128.load(p, 64));
      s5 = f32x4.add(s5, v128.load(p, 80));
      s6 = f32x4.add(s6, v128.load(p, 96));
      s7 = f32x4.add(s7, v128.load(p, 112));
    }
    const o = out + (<usize>j << 2);
    v128.store(o, s0, 0);
    v128.store(o, s1, 16);
    v128.store(o, s2, 32);
    v128.store(o, s3, 48);
    v128.store(o, s4, 64);
    v128.store(o, s5, 80);
    v128.store(o, s6, 96);
    v128.store(o, s7, 112);
  }
  for (; j < c4; j += 4) {
    let s = f32x4.splat(0);
    let p = x + (<usize>j << 2);
    for (let i = 0; i < rows; i++, p += row) s = f32x4.add(s, v128.load(p));
    v128.store(out + (<usize>j << 2), s);
  }
  for (; j < cols; j++) {
    let s: f32 = 0;
    let p = x + (<usize>j << 2);
    for (let i = 0; i < rows; i++, p += row) s += load<f32>(p);
    store<f32>(out + (<usize>j << 2), s);
  }
}

// The element-wise and reduction pieces of one fused MLP training step (AssemblyScript, SIMD), built together with
// the GEMM of wasm/gemm into one module by `npm run build:wasm`. Every pointer is a byte offset into the module's
// imported memory, laid out by src/nn/fused-step.ts; matrices are row-major float32. Row counts are any size; column
// counts of hidden layers are any size (leftover columns run scalar).
export { gemm, transpose } from '../gemm/gemm';
export { countNonzero, sparseRowsTimes, sparseTransposeTimes, sparseTransposeTimesRows } from '../gemm/sparse';

@inline function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(f32x4.mul(a, b), acc);
}

/** z[i, j] = max(z[i, j] + bias[j], 0) for a rows × cols matrix, in place. */
export function biasRelu(z: usize, bias: usize, rows: i32, cols: i32): void {
  const cols4 = cols & ~3;
  const zero = f32x4.splat(0);
  for (let i = 0; i < rows; i++) {
    const row = z + ((<usize>i * cols) << 2);
    let j = 0;
    for (; j < cols4; j += 4) {
      const at = row + (<usize>j << 2);
      v128.store(at, f32x4.max(f32x4.add(v128.load(at), v128.load(bias + (<usize>j << 2))), zero));
    }
    for (; j < cols; j++) {
      const at = row + (<usize>j << 2);
      store<f32>(at, max(load<f32>(at) + load<f32>(bias + (<usize>j << 2)), 0));
    }
  }
}

/** out[i] = h[i, :] · w + bias (one float at `bias`): the single-logit output layer. */
export function outputLayer(h: usize, w: usize, bias: usize, out: usize, rows: i32, cols: i32): void {
  const cols4 = cols & ~3;
  const b = load<f32>(bias);
  for (let i = 0; i < rows; i++) {
    const row = h + ((<usize>i * cols) << 2);
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j < cols4; j += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(row + (<usize>j << 2)), v128.load(w + (<usize>j << 2))));
    let sum: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; j < cols; j++) sum += load<f32>(row + (<usize>j << 2)) * load<f32>(w + (<usize>j << 2));
    store<f32>(out + (<usize>i << 2), sum + b);
  }
}

@inline function weightAt(weights: usize, i: i32): f32 {
  return weights == 0 ? 1 : load<f32>(weights + (<usize>i << 2));
}

/**
 * Binary cross-entropy on logits (softplus(z) − y·z, weighted by `weights` unless it is 0): writes the gradient of
 * the batch mean with respect to each logit into dz and returns the batch mean of the loss.
 */
export function bceWithLogits(logits: usize, labels: usize, weights: usize, dz: usize, rows: i32): f64 {
  let total: f64 = 0;
  const scale: f32 = 1 / <f32>rows;
  for (let i = 0; i < rows; i++) {
    const z = load<f32>(logits + (<usize>i << 2));
    const y = load<f32>(labels + (<usize>i << 2));
    const w = weightAt(weights, i);
    const softplus: f64 = max(<f64>z, 0) + Math.log1p(Math.exp(-Math.abs(<f64>z)));
    total += <f64>w * (softplus - <f64>y * <f64>z);
    const sigmoid: f32 = 1 / (1 + Mathf.exp(-z));
    store<f32>(dz + (<usize>i << 2), (w * (sigmoid - y)) * scale);
  }
  return total / <f64>rows;
}

/** Squared error (weighted as bceWithLogits): the gradient into dz, the batch mean returned. */
export function squaredError(outputs: usize, targets: usize, weights: usize, dz: usize, rows: i32): f64 {
  let total: f64 = 0;
  const scale: f32 = 2 / <f32>rows;
  for (let i = 0; i < rows; i++) {
    const error = load<f32>(outputs + (<usize>i << 2)) - load<f32>(targets + (<usize>i << 2));
    const w = weightAt(weights, i);
    total += <f64>w * <f64>error * <f64>error;
    store<f32>(dz + (<usize>i << 2), (w * error) * scale);
  }
  return total / <f64>rows;
}

/** dh[i, j] = dz[i] · w[j] where h[i, j] > 0, else 0: the gradient through the output layer and the last ReLU. */
export function outputBackward(dz: usize, w: usize, h: usize, dh: usize, rows: i32, cols: i32): void {
  const cols4 = cols & ~3;
  const zero = f32x4.splat(0);
  for (let i = 0; i < rows; i++) {
    const offset = (<usize>i * cols) << 2;
    const g = load<f32>(dz + (<usize>i << 2));
    const gv = f32x4.splat(g);
    let j = 0;
    for (; j < cols4; j += 4) {
      const at = offset + (<usize>j << 2);
      const active = f32x4.gt(v128.load(h + at), zero);
      v128.store(dh + at, v128.and(f32x4.mul(gv, v128.load(w + (<usize>j << 2))), active));
    }
    for (; j < cols; j++) {
      const at = offset + (<usize>j << 2);
      store<f32>(dh + at, load<f32>(h + at) > 0 ? g * load<f32>(w + (<usize>j << 2)) : 0);
    }
  }
}

/** d[k] = 0 where h[k] ≤ 0, for n values: the gradient through a ReLU given its output. */
export function reluBackward(d: usize, h: usize, n: i32): void {
  const n4 = n & ~3;
  const zero = f32x4.splat(0);
  let k = 0;
  for (; k < n4; k += 4) {
    const at = <usize>k << 2;
    v128.store(d + at, v128.and(v128.load(d + at), f32x4.gt(v128.load(h + at), zero)));
  }
  for (; k < n; k++) {
    const at = <usize>k << 2;
    if (!(load<f32>(h + at) > 0)) store<f32>(d + at, 0);
  }
}

/** sums[j] = Σ_i d[i, j] (a bias gradient). */
export function columnSums(d: usize, sums: usize, rows: i32, cols: i32): void {
  const cols4 = cols & ~3;
  memory.fill(sums, 0, <usize>cols << 2);
  for (let i = 0; i < rows; i++) {
    const row = d + ((<usize>i * cols) << 2);
    let j = 0;
    for (; j < cols4; j += 4) {
      const at = sums + (<usize>j << 2);
      v128.store(at, f32x4.add(v128.load(at), v128.load(row + (<usize>j << 2))));
    }
    for (; j < cols; j++) {
      const at = sums + (<usize>j << 2);
      store<f32>(at, load<f32>(at) + load<f32>(row + (<usize>j << 2)));
    }
  }
}

/** out[j] = Σ_i h[i, j] · dz[i]: the output layer's kernel gradient hᵀ·dz. */
export function weightedColumnSums(h: usize, dz: usize, out: usize, rows: i32, cols: i32): void {
  const cols4 = cols & ~3;
  memory.fill(out, 0, <usize>cols << 2);
  for (let i = 0; i < rows; i++) {
    const row = h + ((<usize>i * cols) << 2);
    const g = load<f32>(dz + (<usize>i << 2));
    const gv = f32x4.splat(g);
    let j = 0;
    for (; j < cols4; j += 4) {
      const at = out + (<usize>j << 2);
      v128.store(at, f32x4.add(v128.load(at), f32x4.mul(v128.load(row + (<usize>j << 2)), gv)));
    }
    for (; j < cols; j++) {
      const at = out + (<usize>j << 2);
      store<f32>(at, load<f32>(at) + load<f32>(row + (<usize>j << 2)) * g);
    }
  }
}

/**
 * One Adam update of n weights from their gradient, in TensorFlow.js's order of float32 operations:
 * m ← m·β1 + g·(1−β1), v ← v·β2 + g²·(1−β2), w ← (m/c1) / (√(v/c2) + ε) · (−lr) + w, with c1 = 1 − β1ᵗ, c2 = 1 − β2ᵗ.
 */
export function adam(w: usize, g: usize, m: usize, v: usize, n: i32, beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, c1: f32, c2: f32, epsilon: f32, negativeRate: f32): void {
  const n4 = n & ~3;
  const b1 = f32x4.splat(beta1), ob1 = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2), ob2 = f32x4.splat(oneMinusBeta2);
  const vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2), eps = f32x4.splat(epsilon), rate = f32x4.splat(negativeRate);
  let k = 0;
  for (; k < n4; k += 4) {
    const at = <usize>k << 2;
    const gk = v128.load(g + at);
    const mk = f32x4.add(f32x4.mul(v128.load(m + at), b1), f32x4.mul(gk, ob1));
    const vk = f32x4.add(f32x4.mul(v128.load(v + at), b2), f32x4.mul(f32x4.mul(gk, gk), ob2));
    v128.store(m + at, mk);
    v128.store(v + at, vk);
    const step = f32x4.div(f32x4.div(mk, vc1), f32x4.add(f32x4.sqrt(f32x4.div(vk, vc2)), eps));
    v128.store(w + at, f32x4.add(f32x4.mul(step, rate), v128.load(w + at)));
  }
  for (; k < n; k++) {
    const at = <usize>k << 2;
    const gk = load<f32>(g + at);
    const mk = load<f32>(m + at) * beta1 + gk * oneMinusBeta1;
    const vk = load<f32>(v + at) * beta2 + gk * gk * oneMinusBeta2;
    store<f32>(m + at, mk);
    store<f32>(v + at, vk);
    store<f32>(w + at, ((mk / c1) / (Mathf.sqrt(vk / c2) + epsilon)) * negativeRate + load<f32>(w + at));
  }
}

/**
 * The cluster adversary's layers after its first product (src/medl/host-cluster.ts), in float64 over the rows of a
 * batch: bias and ReLU of the first layer, the further ReLU layers, softmax cross-entropy against each row's cluster and
 * the backward pass down to δ₁, the gradient at the first layer's pre-activations. Layer by layer over all rows (flat
 * [rows × units] buffers), not row by row: the layers are 4–14 units wide, and loops that short cost more in loop
 * overhead than in arithmetic when restarted per row and layer.
 *
 * Pointers are byte offsets into the imported memory; the per-layer arguments are arrays of i32 pointers (one per
 * layer), laid out by the caller. The first layer's W (the [hidden × u₁] product's weight) is not read here.
 */
@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function ptr(p: usize, i: i32): usize { return <usize>load<i32>(p + (<usize>i << 2)); }
@inline function int(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }

/**
 * Returns the mean cross-entropy; leaves δ₁ [rows × units[0]] at delta[0]. With `withGradients` ≠ 0 the weight
 * gradients of layers 1… (W at gw[l], b at gb[l], zeroed by the caller) and of the first bias (gb[0]) are accumulated.
 * ReLU's gradient is TensorFlow.js's: 1 above 0, else 0.
 */
export function clusterTail(rows: i32, layers: i32, units: usize, w: usize, b: usize, gw: usize, gb: usize, pre: usize, act: usize, delta: usize, firstProducts: usize, clusters: usize, withGradients: i32): f64 {
  const first = int(units, 0);
  {
    const bias = ptr(b, 0), p = ptr(pre, 0), a = ptr(act, 0);
    for (let i = 0; i < rows; i++) for (let j = 0; j < first; j++) {
      const v = <f64>load<f32>(firstProducts + (<usize>(i * first + j) << 2)) + ld(bias, j);
      st(p, i * first + j, v);
      st(a, i * first + j, v > 0 ? v : 0);
    }
  }
  for (let l = 1; l < layers; l++) {
    const u = int(units, l), inUnits = int(units, l - 1), W = ptr(w, l), B = ptr(b, l), below = ptr(act, l - 1), p = ptr(pre, l), a = ptr(act, l);
    for (let i = 0; i < rows; i++) {
      const o = i * u, bo = i * inUnits;
      for (let c = 0; c < u; c++) st(p, o + c, ld(B, c));
      for (let j = 0; j < inUnits; j++) {
        const x = ld(below, bo + j);
        if (x == 0) continue; // an inactive ReLU unit (about half of them)
        const wo = j * u;
        for (let c = 0; c < u; c++) st(p, o + c, ld(p, o + c) + x * ld(W, wo + c));
      }
      if (l < layers - 1) for (let c = 0; c < u; c++) { const v = ld(p, o + c); st(a, o + c, v > 0 ? v : 0); }
    }
  }
  const k = int(units, layers - 1), logits = ptr(pre, layers - 1), top = ptr(delta, layers - 1);
  let loss: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const o = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) { const v = ld(logits, o + c); if (v > max) max = v; }
    let sum: f64 = 0;
    for (let c = 0; c < k; c++) { const e = Math.exp(ld(logits, o + c) - max); st(top, o + c, e); sum += e; }
    const target = load<i32>(clusters + (<usize>i << 2));
    loss += max + Math.log(sum) - ld(logits, o + target);
    for (let c = 0; c < k; c++) st(top, o + c, (ld(top, o + c) / sum - (c == target ? 1.0 : 0.0)) / <f64>rows);
  }
  for (let l = layers - 1; l > 0; l--) {
    const u = int(units, l), inUnits = int(units, l - 1), W = ptr(w, l), d = ptr(delta, l), below = ptr(act, l - 1), belowPre = ptr(pre, l - 1), belowDelta = ptr(delta, l - 1);
    if (withGradients) {
      const GW = ptr(gw, l), GB = ptr(gb, l);
      for (let i = 0; i < rows; i++) {
        const o = i * u, bo = i * inUnits;
        for (let c = 0; c < u; c++) st(GB, c, ld(GB, c) + ld(d, o + c));
        for (let j = 0; j < inUnits; j++) {
          const x = ld(below, bo + j);
          if (x == 0) continue;
          const wo = j * u;
          for (let c = 0; c < u; c++) st(GW, wo + c, ld(GW, wo + c) + x * ld(d, o + c));
        }
      }
    }
    for (let i = 0; i < rows; i++) {
      const o = i * u, bo = i * inUnits;
      for (let j = 0; j < inUnits; j++) {
        if (!(ld(belowPre, bo + j) > 0)) { st(belowDelta, bo + j, 0); continue; }
        let s: f64 = 0;
        const wo = j * u;
        for (let c = 0; c < u; c++) s += ld(d, o + c) * ld(W, wo + c);
        st(belowDelta, bo + j, s);
      }
    }
  }
  if (withGradients) {
    const GB = ptr(gb, 0), d0 = ptr(delta, 0);
    for (let i = 0; i < rows; i++) for (let j = 0; j < first; j++) st(GB, j, ld(GB, j) + ld(d0, i * first + j));
  }
  return loss / <f64>rows;
}

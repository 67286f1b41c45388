/**
 * The cluster adversary (hidden activations H → ReLU layers → one logit per cluster, softmax cross-entropy) with its
 * small layers in WebAssembly: on TensorFlow.js it ran twice per batch (its own Adam step, then frozen in L_main), each
 * time its forward pass, logSumExp and their gradients — about 120 kernels per batch, each with the engine's fixed
 * cost, for a few hundred thousand multiply-adds.
 *
 * Only the first layer's products involve the [rows, hidden] activations H, and those stay TensorFlow.js matMuls (the
 * fast kernel): H·W₁, its weight gradient Hᵀ·δ₁ and, in L_main, the gradient δ₁·W₁ᵀ that reaches H. Everything after
 * H·W₁ is wasm/cluster-tail (float64); Adam is tf.train.adam's float32 arithmetic (nn/float32-adam.ts). A JavaScript
 * version of that tail cost twice the wasm one and made the change break-even (docs/speed.md). Equal to TensorFlow.js's
 * autodiff to round-off, not bit for bit: host-cluster.test.ts. Any layer sizes (`clusterAdversaryHidden`, [] too):
 * the adversary is always a ReLU MLP without dropout (buildClusterAdversary).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { Float32Adam } from '../nn/float32-adam.js';
import type { Mlp } from '../nn/mlp.js';
import { WASM_PAGE, WebAssemblyGlobal, type WasmMemory } from '../nn/webassembly.js';

interface ClusterTailExports {
  clusterTail(rows: number, layers: number, units: number, w: number, b: number, gw: number, gb: number, pre: number, act: number, delta: number, firstProducts: number, clusters: number, withGradients: number): number;
}

const WASM_FILE = new URL('../../wasm/build/cluster-tail.wasm', import.meta.url);
let compiled: object | null = null;

/** Byte offsets of the tail's buffers in the module's memory, for batches of up to `rows` rows. */
interface Layout {
  rows: number;
  units: number;
  /** Arrays of one i32 pointer per layer. */
  w: number; b: number; gw: number; gb: number; pre: number; act: number; delta: number;
  /** Per layer: W, b, gW, gb (f64) and pre, act, delta (f64, rows × units). */
  layers: { w: number; b: number; gw: number; gb: number; pre: number; act: number; delta: number }[];
  firstProducts: number;
  clusters: number;
  bytes: number;
}

function layout(units: number[], inputDim: number, rows: number): Layout {
  // The module's static data (Math.exp's tables) stays in the first page.
  let top = WASM_PAGE;
  const take = (bytes: number) => { const at = top; top += (bytes + 15) & ~15; return at; };
  const unitsAt = take(4 * units.length);
  const pointerArrays = Array.from({ length: 7 }, () => take(4 * units.length));
  const layers = units.map((u, l) => {
    const fanIn = l === 0 ? inputDim : units[l - 1];
    // W₁ is not read by the tail (its product is TensorFlow.js's), so no room for it.
    const weightCount = l === 0 ? 0 : fanIn * u;
    return { w: take(8 * weightCount), b: take(8 * u), gw: take(8 * weightCount), gb: take(8 * u), pre: take(8 * rows * u), act: take(8 * rows * u), delta: take(8 * rows * u) };
  });
  const firstProducts = take(4 * rows * units[0]);
  const clusters = take(4 * rows);
  const [w, b, gw, gb, pre, act, delta] = pointerArrays;
  return { rows, units: unitsAt, w, b, gw, gb, pre, act, delta, layers, firstProducts, clusters, bytes: top };
}

export class HostClusterAdversary {
  /** W₁ [in × u₁], b₁, W₂ [u₁ × u₂], b₂, …, row-major as the adversary's variables. */
  private readonly values: Float32Array[];
  private readonly gradients: Float64Array[];
  private readonly adam: Float32Adam;
  /** Units per layer after the input: the hidden layers, then the clusters. */
  private readonly units: number[];
  /** W₁ as a tensor, for the products with H (replaced after every step). */
  private firstWeights: tf.Tensor2D;
  private readonly memory: WasmMemory;
  private readonly wasm: ClusterTailExports;
  private layout: Layout | null = null;

  constructor(
    private readonly net: Mlp,
    private readonly learningRate: number,
  ) {
    this.values = net.variables.map((v) => (v.dataSync() as Float32Array).slice());
    this.gradients = this.values.map((w) => new Float64Array(w.length));
    this.units = [...net.config.hidden, net.config.outputDim];
    // tf.train.adam(rate)'s defaults: β₁ 0.9, β₂ 0.999, ε the backend's.
    this.adam = new Float32Adam(this.values.map((w) => w.length), 0.9, 0.999, tf.backend().epsilon());
    this.firstWeights = tf.tensor2d(this.values[0], [net.config.inputDim, this.units[0]]);
    compiled ??= new WebAssemblyGlobal.Module(readFileSync(WASM_FILE));
    this.memory = new WebAssemblyGlobal.Memory({ initial: 2 });
    this.wasm = new WebAssemblyGlobal.Instance(compiled, { env: { memory: this.memory } }).exports as unknown as ClusterTailExports;
  }

  /**
   * `steps` Adam steps on the cross-entropy of the rows' clusters from H = `hidden` (held constant); returns each
   * step's loss before the step. The adversary's tf.Variables are written afterwards.
   */
  train(hidden: tf.Tensor2D, clusters: Int32Array, steps: number): number[] {
    const losses: number[] = [];
    for (let step = 0; step < steps; step++) {
      const { loss, firstDelta } = this.lossAndFirstDelta(hidden, clusters, true);
      const delta = tf.tensor2d(Float32Array.from(firstDelta), [clusters.length, this.units[0]]);
      const weightGradient = tf.matMul(hidden, delta, true, false);
      this.gradients[0].set(weightGradient.dataSync());
      tf.dispose([delta, weightGradient]);
      this.adam.step(this.values, this.gradients, this.learningRate);
      this.firstWeights.dispose();
      // Kept: a step runs inside the main step's tidy scopes, and W₁ must outlive them.
      this.firstWeights = tf.keep(tf.tensor2d(this.values[0], this.firstWeights.shape));
      losses.push(loss);
    }
    this.net.variables.forEach((variable, i) => {
      const updated = tf.tensor(this.values[i], variable.shape);
      variable.assign(updated);
      updated.dispose();
    });
    return losses;
  }

  /**
   * The mean cross-entropy at the current weights and δ₁ [rows × u₁] (a view of the module's memory, valid until the
   * next pass), its gradient with respect to the first layer's pre-activations; with `weightGradients` the gradients
   * of every weight but W₁ are left in `gradients` (W₁'s is Hᵀ·δ₁, for the caller).
   */
  lossAndFirstDelta(hidden: tf.Tensor2D, clusters: Int32Array, weightGradients: boolean): { loss: number; firstDelta: Float64Array } {
    const rows = clusters.length;
    const at = this.prepare(rows);
    const buffer = this.memory.buffer;
    const product = tf.matMul(hidden, this.firstWeights);
    new Float32Array(buffer, at.firstProducts, rows * this.units[0]).set(product.dataSync() as Float32Array);
    product.dispose();
    new Int32Array(buffer, at.clusters, rows).set(clusters);
    at.layers.forEach((layer, l) => {
      if (l > 0) new Float64Array(buffer, layer.w, this.values[2 * l].length).set(this.values[2 * l]);
      new Float64Array(buffer, layer.b, this.units[l]).set(this.values[2 * l + 1]);
      if (weightGradients) new Float64Array(buffer, layer.gw, l > 0 ? this.values[2 * l].length : 0).fill(0);
      if (weightGradients) new Float64Array(buffer, layer.gb, this.units[l]).fill(0);
    });
    const loss = this.wasm.clusterTail(rows, this.units.length, at.units, at.w, at.b, at.gw, at.gb, at.pre, at.act, at.delta, at.firstProducts, at.clusters, weightGradients ? 1 : 0);
    if (weightGradients) {
      at.layers.forEach((layer, l) => {
        if (l > 0) this.gradients[2 * l].set(new Float64Array(buffer, layer.gw, this.values[2 * l].length));
        this.gradients[2 * l + 1].set(new Float64Array(buffer, layer.gb, this.units[l]));
      });
    }
    return { loss, firstDelta: new Float64Array(buffer, at.layers[0].delta, rows * this.units[0]) };
  }

  /** The layout for `rows` rows, growing the memory (and laying out again) for a larger batch than before. */
  private prepare(rows: number): Layout {
    if (this.layout && this.layout.rows >= rows) return this.layout;
    const next = layout(this.units, this.net.config.inputDim, rows);
    const have = this.memory.buffer.byteLength;
    if (next.bytes > have) this.memory.grow(Math.ceil((next.bytes - have) / WASM_PAGE));
    const pointers = new Int32Array(this.memory.buffer);
    pointers.set(this.units, next.units >> 2);
    const fields = ['w', 'b', 'gw', 'gb', 'pre', 'act', 'delta'] as const;
    for (const field of fields) next.layers.forEach((layer, l) => (pointers[(next[field] >> 2) + l] = layer[field]));
    this.layout = next;
    return next;
  }

  /** The weight gradients of the last step `train` took, in the variables' order (for tests). */
  get lastGradients(): readonly Float64Array[] {
    return this.gradients;
  }

  /** W₁ as a tensor (owned by this object). */
  get firstLayerWeights(): tf.Tensor2D {
    return this.firstWeights;
  }

  dispose(): void {
    this.firstWeights.dispose();
  }
}

/**
 * The frozen cluster adversary's cross-entropy in L_main as one TensorFlow.js op on H: its value from the host pass,
 * its gradient with respect to H one product dy·δ₁·W₁ᵀ, instead of the adversary's forward and backward passes on
 * the main step's tape.
 */
export function frozenClusterLoss(host: HostClusterAdversary, clusters: Int32Array, hidden: tf.Tensor2D): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const h = args[0] as tf.Tensor2D;
    const { loss, firstDelta } = host.lossAndFirstDelta(h, clusters, false);
    // Copied now: the view is overwritten by the next pass.
    const delta = firstDelta.slice();
    return {
      value: tf.scalar(loss),
      gradFunc: (dy: tf.Tensor) => {
        // dy is L_main's weight of this term (−λ_g): folded into δ₁ on the host rather than a [rows, hidden] Multiply.
        const scale = dy.dataSync()[0];
        const scaledValues = new Float32Array(delta.length);
        for (let j = 0; j < delta.length; j++) scaledValues[j] = delta[j] * scale;
        const scaled = tf.tensor2d(scaledValues, [clusters.length, delta.length / clusters.length]);
        const gradient = tf.matMul(scaled, host.firstLayerWeights, false, true);
        scaled.dispose();
        return [gradient];
      },
    };
  });
  return op(hidden) as tf.Scalar;
}

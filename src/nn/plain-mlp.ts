/**
 * An MLP's forward pass in plain JavaScript (float64), from a copy of its weights taken once. For a few rows it is far
 * cheaper than TensorFlow.js, whose fixed cost per call (tensors made and freed, kernels dispatched) dominates at
 * batch size 1, as in `fairkit serve`. Only for weights that no longer change (a loaded model). Rows are independent
 * in an MLP, so the result does not depend on the batch size; it equals TensorFlow.js's float32 pass to ~1e-6.
 */
import type { MlpArchitecture } from './mlp.js';
import type { Model } from './model.js';

interface Layer {
  /** [in × out], row-major as TensorFlow.js keeps a kernel. */
  kernel: Float64Array;
  bias: Float64Array;
  inputs: number;
  outputs: number;
}

const ACTIVATE: Record<MlpArchitecture['activation'], (z: number) => number> = {
  relu: (z) => (z > 0 ? z : 0),
  leakyRelu: (z) => (z > 0 ? z : 0.01 * z),
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
};

export class PlainMlp {
  private constructor(
    private readonly layers: Layer[],
    private readonly activation: (z: number) => number,
  ) {}

  /**
   * The plain pass of a model's head when it is an MLP's logits: head `logits` of kind `mlp`, or head `raw` (the
   * logits before the projection) of a fairness projection over an MLP; undefined for anything else.
   */
  static of(model: Model, head: string): PlainMlp | undefined {
    const config = model.config as { kind: string; base?: { kind: string } };
    const mlp = config.kind === 'mlp' && head === 'logits' ? (config as unknown as MlpArchitecture) : config.kind === 'fair-projection' && head === 'raw' && config.base?.kind === 'mlp' ? (config.base as MlpArchitecture) : undefined;
    if (mlp === undefined) return undefined;
    const sizes = [mlp.inputDim, ...mlp.hidden, mlp.outputDim];
    const layers = sizes.slice(1).map((outputs, i): Layer => ({
      kernel: Float64Array.from(model.variables[2 * i].dataSync()),
      bias: Float64Array.from(model.variables[2 * i + 1].dataSync()),
      inputs: sizes[i],
      outputs,
    }));
    return new PlainMlp(layers, ACTIVATE[mlp.activation]);
  }

  get outputDim(): number {
    return this.layers[this.layers.length - 1].outputs;
  }

  /** The logits of `nRows` row-major rows, nRows × outputDim. */
  forward(X: Float32Array, nRows: number): Float64Array {
    const out = new Float64Array(nRows * this.outputDim);
    const last = this.layers.length - 1;
    for (let row = 0; row < nRows; row++) {
      let h: ArrayLike<number> = X.subarray(row * this.layers[0].inputs, (row + 1) * this.layers[0].inputs);
      this.layers.forEach(({ kernel, bias, inputs, outputs }, index) => {
        const z = index === last ? out.subarray(row * outputs, (row + 1) * outputs) : new Float64Array(outputs);
        z.set(bias);
        for (let i = 0; i < inputs; i++) {
          const x = h[i];
          if (x === 0) continue;
          const offset = i * outputs;
          for (let j = 0; j < outputs; j++) z[j] += x * kernel[offset + j];
        }
        if (index < last) for (let j = 0; j < outputs; j++) z[j] = this.activation(z[j]);
        h = z;
      });
    }
    return out;
  }
}

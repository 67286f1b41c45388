/**
 * Adam for the adversaries' small networks, computed on the host. `tf.train.adam` runs about 14 kernels per variable
 * per step (moments, bias corrections, square root, update), and the adversaries of fair-medl have 24 variables of a
 * few hundred values each: the engine's cost per kernel, not the arithmetic, made their updates slow.
 *
 * The arithmetic is TensorFlow.js's AdamOptimizer.applyGradients (tfjs-core 4.x) operation for operation, in the same
 * order, every intermediate rounded to float32 with Math.fround: a single +, −, ×, ÷ or √ of float32 values computed in
 * float64 and rounded once equals the float32 operation (float64 has more than 2·24 + 2 bits), so the updates are
 * bit-identical to tf.train.adam's on backends with IEEE float32 kernels (wasm, cpu). host-adam.test.ts checks this
 * against tf.train.adam.
 */
import * as tf from '@tensorflow/tfjs';

const f32 = Math.fround;

/**
 * The optimiser as a tf.train.adam, or null. Not `instanceof`: TensorFlow.js's optimisers answer it for any object with
 * minimize, computeGradients and applyGradients (Symbol.hasInstance), so an SGD optimiser is an "AdamOptimizer" to it.
 */
export function asTfAdam(optimizer: tf.Optimizer): tf.AdamOptimizer | null {
  return optimizer.getClassName() === 'Adam' ? (optimizer as tf.AdamOptimizer) : null;
}

export class HostAdam {
  private readonly firstMoments: Float32Array[];
  private readonly secondMoments: Float32Array[];
  // tf.train.adam keeps β^t as float32 scalar variables, updated by a float32 multiplication per step.
  private accBeta1: number;
  private accBeta2: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly oneMinusBeta1: number;
  private readonly oneMinusBeta2: number;
  private readonly epsilon: number;

  /**
   * `learningRate` may change between steps (a schedule); β₁, β₂ and ε are tf.train.adam's defaults unless given
   * (epsilon null: the backend's, as tf.train.adam).
   */
  constructor(
    private readonly variables: tf.Variable[],
    public learningRate: number,
    beta1 = 0.9,
    beta2 = 0.999,
    epsilon: number | null = null,
  ) {
    this.firstMoments = variables.map((v) => new Float32Array(v.size));
    this.secondMoments = variables.map((v) => new Float32Array(v.size));
    this.beta1 = f32(beta1);
    this.beta2 = f32(beta2);
    this.accBeta1 = this.beta1;
    this.accBeta2 = this.beta2;
    // As tf.train.adam: the JavaScript number 1 − β, then a float32 scalar.
    this.oneMinusBeta1 = f32(1 - beta1);
    this.oneMinusBeta2 = f32(1 - beta2);
    this.epsilon = f32(epsilon ?? tf.backend().epsilon());
  }

  /** As tf.train.adam: the same settings, so the same updates. */
  static like(optimizer: tf.AdamOptimizer, variables: tf.Variable[]): HostAdam {
    const settings = optimizer as unknown as { learningRate: number; beta1: number; beta2: number; epsilon: number };
    return new HostAdam(variables, settings.learningRate, settings.beta1, settings.beta2, settings.epsilon);
  }

  /**
   * One step on the gradients of f over the variables, as `optimizer.minimize(f, true, variables)`: returns the loss
   * (the caller disposes it).
   */
  minimize(f: () => tf.Scalar): tf.Scalar {
    const { value, grads } = tf.variableGrads(f, this.variables);
    try {
      this.applyGradients(this.variables.map((v) => grads[v.name] ?? null));
    } finally {
      tf.dispose(Object.values(grads));
    }
    return value;
  }

  /** One step with the given gradient of each variable (null: the variable stays, as in tf.train.adam). */
  applyGradients(gradients: (tf.Tensor | null)[]): void {
    const oneMinusAcc1 = f32(1 - this.accBeta1);
    const oneMinusAcc2 = f32(1 - this.accBeta2);
    const negativeRate = f32(-this.learningRate);
    this.variables.forEach((variable, i) => {
      const gradient = gradients[i];
      if (gradient === null) return;
      const g = gradient.dataSync() as Float32Array;
      const values = variable.dataSync() as Float32Array;
      const m = this.firstMoments[i];
      const v = this.secondMoments[i];
      const next = new Float32Array(values.length);
      for (let j = 0; j < values.length; j++) {
        const gj = g[j];
        m[j] = f32(f32(m[j] * this.beta1) + f32(gj * this.oneMinusBeta1));
        v[j] = f32(f32(v[j] * this.beta2) + f32(f32(gj * gj) * this.oneMinusBeta2));
        const corrected1 = f32(m[j] / oneMinusAcc1);
        const corrected2 = f32(v[j] / oneMinusAcc2);
        const step = f32(f32(corrected1 / f32(f32(Math.sqrt(corrected2)) + this.epsilon)) * negativeRate);
        next[j] = f32(step + values[j]);
      }
      const updated = tf.tensor(next, variable.shape);
      variable.assign(updated);
      updated.dispose();
    });
    this.accBeta1 = f32(this.accBeta1 * this.beta1);
    this.accBeta2 = f32(this.accBeta2 * this.beta2);
  }
}

/**
 * tf.train.adam's update computed on host arrays, for the small networks whose updates fairkit runs without
 * TensorFlow.js kernels (the adversarial method's adversary, the mixed-effects methods' adversaries and main network):
 * `tf.train.adam` runs about 14 kernels per variable per step, and for networks of a few hundred values the engine's
 * cost per kernel, not the arithmetic, is what takes the time.
 *
 * The arithmetic is TensorFlow.js's AdamOptimizer.applyGradients (tfjs-core 4.x) operation for operation, in the same
 * order, every intermediate rounded to float32 with Math.fround: a single +, −, ×, ÷ or √ of float32 values computed in
 * float64 and rounded once equals the float32 operation (float64 has more than 2·24 + 2 bits), so from the same
 * gradients the updates are bit-identical to tf.train.adam's on backends with IEEE float32 kernels (wasm, cpu).
 * src/medl/host-adam.test.ts checks this against tf.train.adam.
 */
const f32 = Math.fround;

export class Float32Adam {
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

  /** One moment pair per variable of the given sizes; `epsilon` is tf.train.adam's (the backend's by default). */
  constructor(sizes: number[], beta1: number, beta2: number, epsilon: number) {
    this.firstMoments = sizes.map((size) => new Float32Array(size));
    this.secondMoments = sizes.map((size) => new Float32Array(size));
    this.beta1 = f32(beta1);
    this.beta2 = f32(beta2);
    this.accBeta1 = this.beta1;
    this.accBeta2 = this.beta2;
    // As tf.train.adam: the JavaScript number 1 − β, then a float32 scalar.
    this.oneMinusBeta1 = f32(1 - beta1);
    this.oneMinusBeta2 = f32(1 - beta2);
    this.epsilon = f32(epsilon);
  }

  /**
   * One step at `learningRate`: updates `values[i]` in place from `gradients[i]` (rounded to float32 first; null: the
   * variable and its moments stay, as in tf.train.adam).
   */
  step(values: Float32Array[], gradients: (ArrayLike<number> | null)[], learningRate: number): void {
    const oneMinusAcc1 = f32(1 - this.accBeta1);
    const oneMinusAcc2 = f32(1 - this.accBeta2);
    const negativeRate = f32(-learningRate);
    values.forEach((w, i) => {
      const gradient = gradients[i];
      if (gradient === null) return;
      const m = this.firstMoments[i];
      const v = this.secondMoments[i];
      for (let j = 0; j < w.length; j++) {
        const g = f32(gradient[j]);
        m[j] = f32(f32(m[j] * this.beta1) + f32(g * this.oneMinusBeta1));
        v[j] = f32(f32(v[j] * this.beta2) + f32(f32(g * g) * this.oneMinusBeta2));
        const corrected1 = f32(m[j] / oneMinusAcc1);
        const corrected2 = f32(v[j] / oneMinusAcc2);
        const update = f32(f32(corrected1 / f32(f32(Math.sqrt(corrected2)) + this.epsilon)) * negativeRate);
        w[j] = f32(update + w[j]);
      }
    });
    this.accBeta1 = f32(this.accBeta1 * this.beta1);
    this.accBeta2 = f32(this.accBeta2 * this.beta2);
  }
}

/**
 * Adam for the adversaries' small networks and the medl main network, computed on the host (nn/float32-adam.ts,
 * bit-identical to tf.train.adam): `tf.train.adam` runs about 14 kernels per variable per step, and the adversaries
 * of fair-medl have 24 variables of a few hundred values each: the engine's cost per kernel, not the arithmetic, made
 * their updates slow. host-adam.test.ts checks it against tf.train.adam.
 */
import * as tf from '@tensorflow/tfjs';
import { Float32Adam } from './float32-adam.js';

/**
 * The optimiser as a tf.train.adam, or null. Not `instanceof`: TensorFlow.js's optimisers answer it for any object with
 * minimize, computeGradients and applyGradients (Symbol.hasInstance), so an SGD optimiser is an "AdamOptimizer" to it.
 */
export function asTfAdam(optimizer: tf.Optimizer): tf.AdamOptimizer | null {
  return optimizer.getClassName() === 'Adam' ? (optimizer as tf.AdamOptimizer) : null;
}

export class HostAdam {
  private readonly adam: Float32Adam;
  /** The loop's optimiser whose learning rate this follows (HostAdam.following), or null. */
  private rateSource: { learningRate: number } | null = null;

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
    this.adam = new Float32Adam(variables.map((v) => v.size), beta1, beta2, epsilon ?? tf.backend().epsilon());
  }

  /** As tf.train.adam: the same settings, so the same updates. */
  static like(optimizer: tf.AdamOptimizer, variables: tf.Variable[]): HostAdam {
    const settings = optimizer as unknown as { learningRate: number; beta1: number; beta2: number; epsilon: number };
    return new HostAdam(variables, settings.learningRate, settings.beta1, settings.beta2, settings.epsilon);
  }

  /**
   * For a step that takes over the training loop's update: when the loop's optimiser is tf.train.adam, the same Adam
   * on the host, reading before every step the learning rate the loop sets on that optimiser (its schedule); else
   * null, and the step keeps the loop's optimiser.
   */
  static following(loopOptimizer: tf.Optimizer, variables: tf.Variable[]): HostAdam | null {
    const adam = asTfAdam(loopOptimizer);
    if (adam === null) return null;
    const host = HostAdam.like(adam, variables);
    host.rateSource = adam as unknown as { learningRate: number };
    return host;
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
    if (this.rateSource !== null) this.learningRate = this.rateSource.learningRate;
    // Copies: the step updates them in place, and a backend may hand out its own buffer.
    const values = this.variables.map((variable) => (variable.dataSync() as Float32Array).slice());
    this.adam.step(values, gradients.map((g) => (g === null ? null : (g.dataSync() as Float32Array))), this.learningRate);
    this.variables.forEach((variable, i) => {
      if (gradients[i] === null) return;
      const updated = tf.tensor(values[i], variable.shape);
      variable.assign(updated);
      updated.dispose();
    });
  }
}

/**
 * The training loop's Adam as a tf.Optimizer whose update runs on the host (nn/host-adam.ts, bit-identical to
 * tf.train.adam): tf.train.adam runs about 14 kernels per variable per step, 56 of erm's ~120 kernels per batch.
 *
 * It is a tf.Optimizer so that everything handed the loop's optimiser keeps working unchanged: `minimize` (the
 * generic update), `applyGradients` (the players' combination, the adversarial step) and HostAdam.following (the
 * medl and cell-gradient steps, which read `learningRate`, β₁, β₂ and ε from it and keep their own moments). Its
 * class name is 'Adam' for that reason (asTfAdam). The schedule sets `learningRate` before every step, as on
 * tf.train.adam. Moments are kept per variable (tf.train.adam keeps them per position in the gradient map: the same
 * whenever every step has a gradient for every variable, as the loop's updates do).
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { HostAdam } from '../nn/host-adam.js';

export class HostAdamOptimizer extends tf.Optimizer {
  static readonly className = 'Adam';
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  readonly epsilon: number;
  private readonly host: HostAdam;

  constructor(
    private readonly variables: tf.Variable[],
    learningRate: number,
  ) {
    super();
    this.epsilon = tf.backend().epsilon();
    this.host = new HostAdam(variables, learningRate, this.beta1, this.beta2, this.epsilon);
  }

  get learningRate(): number {
    return this.host.learningRate;
  }

  set learningRate(rate: number) {
    this.host.learningRate = rate;
  }

  applyGradients(variableGradients: Parameters<tf.Optimizer['applyGradients']>[0]): void {
    const byName: Record<string, tf.Tensor | null> = Array.isArray(variableGradients) ? Object.fromEntries(variableGradients.map((g) => [g.name, g.tensor])) : variableGradients;
    const known = new Set(this.variables.map((v) => v.name));
    const unknown = Object.keys(byName).filter((name) => !known.has(name));
    if (unknown.length > 0) throw new FairkitError(`the loop's Adam optimiser trains the model's variables; it was given gradients of others: ${unknown.join(', ')}`);
    this.host.applyGradients(this.variables.map((v) => byName[v.name] ?? null));
    this.incrementIterations();
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/**
 * The loop's opt-in fused step (option `fusedStep`, or FAIRKIT_FUSED_STEP=1): for runs whose update is plain
 * first-order ERM on a plain MLP, forward, backward and Adam run in one pass over WebAssembly memory
 * (nn/fused-step.ts) instead of TensorFlow.js ops. Every other run keeps the TensorFlow.js update; `fusedStepRefusal`
 * says why. The model's variables receive the fused weights at the end of every epoch (before validation and the
 * epoch callbacks) and when training stops. On the threaded wasm backend (--threads N) the step's large products are
 * split between N threads (nn/fused-step.ts), with weights bit-identical to one thread.
 */
import * as tf from '@tensorflow/tfjs';
import type { EncodedDataset } from '../data/types.js';
import { FusedMlpStep } from '../nn/fused-step.js';
import type { MlpArchitecture } from '../nn/mlp.js';
import type { Model } from '../nn/model.js';
import { wasmThreads } from '../nn/wasm-threads.js';
import type { TrainingCallback } from './callbacks.js';
import type { LossRecord, Method } from './method.js';
import type { TrainingOptions } from './options.js';
import { learningRateAt } from './schedules.js';

/** TensorFlow.js's `tf.train.adam(rate)` defaults. */
const BETA1 = 0.9;
const BETA2 = 0.999;

export function fusedStepRequested(options: TrainingOptions): boolean {
  return options.fusedStep ?? process.env.FAIRKIT_FUSED_STEP === '1';
}

/** Why the run cannot use the fused step, or null when it can. */
export function fusedStepRefusal<P extends Record<string, unknown>>(method: Method<P>, model: Model, train: EncodedDataset, options: TrainingOptions, callbacks: TrainingCallback[]): string | null {
  if (method.penalty || method.players || method.step || method.model) return `method '${method.name}' changes the model or the update`;
  const config = model.config as Partial<MlpArchitecture>;
  if (config.kind !== 'mlp') return `model kind '${config.kind}' is not a plain MLP`;
  if (config.activation !== 'relu') return `activation '${config.activation}' is not relu`;
  if (config.dropout !== 0) return 'dropout is on';
  if (config.outputDim !== 1) return `${config.outputDim} outputs`;
  if (options.optimizer !== 'adam') return `optimizer '${options.optimizer}' is not adam`;
  if (train.targets && options.regressionLoss !== 'mse') return `regression loss '${options.regressionLoss}' is not mse`;
  if (callbacks.some((callback) => callback.onBatchBegin)) return 'a callback reads every batch';
  return null;
}

export class FusedUpdate {
  private readonly engine: FusedMlpStep;

  constructor(
    private readonly model: Model,
    private readonly train: EncodedDataset,
    private readonly options: TrainingOptions,
    private readonly rowWeights: Float32Array | undefined,
  ) {
    const config = model.config as MlpArchitecture;
    const weights = model.variables.map((v) => v.dataSync() as Float32Array);
    const threads = wasmThreads();
    this.engine = new FusedMlpStep({ inputDim: config.inputDim, hidden: config.hidden }, weights, train.targets ? 'mse' : 'bce', batchCapacity(train, options), {
      beta1: BETA1,
      beta2: BETA2,
      epsilon: tf.backend().epsilon(),
    }, undefined, { threads });
  }

  run(rows: Int32Array, step: number): LossRecord {
    this.engine.setBatch(this.train.X, rows, this.train.targets ?? this.train.y, this.rowWeights);
    const total = this.engine.forwardBackward();
    this.engine.adamStep(learningRateAt(this.options.learningRate, this.options.schedule, step));
    return { total };
  }

  /** Writes the fused weights into the model's variables. */
  syncModel(): void {
    const values = this.engine.weights();
    tf.tidy(() => this.model.variables.forEach((variable, i) => variable.assign(tf.tensor(values[i], variable.shape))));
  }

  /** Ends the step's helper threads (--threads N); the weights must have been synced before. */
  dispose(): void {
    this.engine.dispose();
  }
}

/** The largest batch a sampler draws: batchSize, or one row per (group, label) cell when there are more cells. */
function batchCapacity(train: EncodedDataset, options: TrainingOptions): number {
  return Math.max(options.batchSize, 2 * train.groups.keys.length);
}

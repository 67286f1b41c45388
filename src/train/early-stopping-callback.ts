import * as tf from '@tensorflow/tfjs';
import type { TrainingCallback, TrainingRun, EpochReport } from './callbacks.js';
import { EarlyStopping } from './early-stopping.js';

/**
 * Early stopping as a callback: remembers every weight of the best epoch (the model's, trainable or not, and every
 * player's), stops the run after `patience` epochs without improvement, and restores the best weights at the end.
 */
export class EarlyStoppingCallback implements TrainingCallback {
  private run: TrainingRun | undefined;
  private best: Float32Array[] | null = null;

  constructor(private readonly stopper: EarlyStopping) {}

  /** The epoch whose weights the model holds at the end, or undefined when no epoch had a defined value. */
  get bestEpoch(): number | undefined {
    return this.best ? this.stopper.bestEpochIndex : undefined;
  }

  onTrainBegin(run: TrainingRun): void {
    this.run = run;
  }

  onEpochEnd(report: EpochReport): void {
    if (this.stopper.observe(report.epoch, report.validation?.[this.stopper.metric])) this.best = this.variables().map((v) => v.dataSync().slice() as Float32Array);
    if (this.stopper.shouldStop) this.run!.stop();
  }

  onTrainEnd(_run: TrainingRun, outcome: 'completed' | 'failed'): void {
    if (!this.best || outcome === 'failed') return;
    const values = this.best;
    tf.tidy(() => this.variables().forEach((variable, i) => variable.assign(tf.tensor(values[i], variable.shape))));
  }

  private variables(): tf.Variable[] {
    return [...this.run!.model.weights.map((w) => w.variable), ...this.run!.playerVariables];
  }
}

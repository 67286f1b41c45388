/**
 * Callbacks observe (and may stop) a training run: progress, history, early stopping and the contribution tracker
 * are callbacks. Time spent in batch callbacks is not counted as training time.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Model } from '../nn/model.js';
import type { LossRecord, TrainBatch } from './method.js';

/** What the loop tells its observers after every epoch. */
export interface EpochReport {
  epoch: number;
  epochs: number;
  /** Mean over the epoch's steps of the minimised loss. */
  loss: number;
  /** Mean over the epoch's steps of each logged part (task, penalty, players' losses), when there is more than the total. */
  losses?: Record<string, number>;
  seconds: number;
  validation?: Record<string, number | null>;
}

/** The run as callbacks see it: the main model, every player's variables, and a way to end training after this epoch. */
export interface TrainingRun {
  readonly model: Model;
  /** Variables of the players (adversaries), which early stopping snapshots with the model. */
  readonly playerVariables: tf.Variable[];
  readonly epochs: number;
  stop(): void;
}

export interface TrainingCallback {
  onTrainBegin?(run: TrainingRun): void;
  onEpochBegin?(epoch: number): void;
  /** Before the step on `batch`; `step` counts optimiser steps from 0. */
  onBatchBegin?(batch: TrainBatch, model: Model, step: number, epoch: number): void;
  onBatchEnd?(losses: LossRecord, step: number, epoch: number): void;
  onEvaluationBegin?(epoch: number): void;
  onEvaluationEnd?(epoch: number, metrics: Record<string, number | null>): void;
  onEpochEnd?(report: EpochReport): void;
  /** After the last epoch, when training stops early, and when it fails (then the model is about to be disposed). */
  onTrainEnd?(run: TrainingRun, outcome: 'completed' | 'failed'): void;
}

/** Collects every epoch's report. */
export class History implements TrainingCallback {
  readonly epochs: EpochReport[] = [];

  onEpochEnd(report: EpochReport): void {
    this.epochs.push(report);
  }
}

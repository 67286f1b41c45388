import type { EncodedDataset } from '../data/types.js';
import type { FairnessMethod, TrainBatch } from '../methods/method.js';
import { type Mlp } from '../nn/mlp.js';
import { type TrainingOptions, type TrainingOptionsInput } from './options.js';
import { type EpochReport } from './progress.js';
export interface FitResult {
    model: Mlp;
    history: EpochReport[];
    trainSeconds: number;
    secondsPerEpoch: number;
    epochsRun: number;
    /** The epoch whose weights the model holds (the last one, or the best one under early stopping). */
    bestEpoch: number;
}
export interface FitInput<P extends Record<string, unknown>> {
    method: FairnessMethod<P>;
    /** Raw parameters; validated and completed with defaults by the method's schema. */
    params: Record<string, unknown>;
    train: EncodedDataset;
    validation?: EncodedDataset;
    options: TrainingOptionsInput;
    /** Called after every epoch, after validation. */
    onEpochEnd?: (report: EpochReport) => void;
    /** Called before every optimiser step with the batch and the current model (e.g. to record group contributions). */
    onBatchStart?: (batch: TrainBatch, model: Mlp, step: number, epoch: number) => void;
}
/** Validates method parameters with the method's schema, naming the method and the bad key. */
export declare function parseMethodParams<P extends Record<string, unknown>>(method: FairnessMethod<P>, raw: Record<string, unknown>): P;
export declare function parseTrainingOptions(raw: TrainingOptionsInput): TrainingOptions;
/** The one training loop every method uses. */
export declare function fit<P extends Record<string, unknown>>(input: FitInput<P>): FitResult;

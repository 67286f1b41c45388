import type { Activation, Mlp } from '../nn/mlp.js';
import type { Disparity } from './contribution.js';
import type { FairnessMethod, TrainBatch } from './method.js';
export interface PenaltyCase {
    name: string;
    activation: Activation;
    hidden: number[];
    nGroups: number;
    nRows: number;
    inputDim: number;
    method: 'gcm' | 'iga' | 'grad-align';
    params: Record<string, string | number>;
    lambda: number;
    weights: {
        shape: number[];
        values: number[];
    }[];
    x: number[];
    labels: number[];
    groups: number[];
    taskLoss: number;
    penalty: number;
    penaltyGrads: number[][];
    totalGrads: number[][];
    contribution?: Disparity[];
}
export declare const penaltyCases: PenaltyCase[];
export declare function modelFor(c: PenaltyCase): Mlp;
/** The fixture's batch; the caller disposes x and y. */
export declare function batchFor(c: PenaltyCase): TrainBatch;
/** Task loss, penalty and d penalty / d(every weight), computed by fairkit's functions on the fixture's case. */
export declare function penaltyAndGrads(c: PenaltyCase): {
    taskLoss: number;
    penalty: number;
    grads: Float32Array[];
};
/** One step of the method with SGD at learning rate 1 on the fixture's batch: returns old − new weights (= the gradient). */
export declare function stepUpdate(method: FairnessMethod<any>, c: PenaltyCase, extraParams?: Record<string, unknown>): {
    update: Float32Array[];
    loss: number;
};

import type { TrainFlags } from './train.js';
/** `fairkit train`: loaded on demand so that the light commands do not pay for TensorFlow.js start-up. */
export declare function runTrain(flags: TrainFlags): Promise<void>;

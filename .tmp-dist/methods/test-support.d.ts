import { type Activation, type Mlp } from '../nn/mlp.js';
/** ‖actual − expected‖ / ‖expected‖ over two equally long arrays. */
export declare function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number;
/** An MLP with given weights (fixture cases store them in `Mlp.weights` order). */
export declare function mlpWithWeights(inputDim: number, hidden: number[], activation: Activation, weights: {
    values: number[];
}[]): Mlp;

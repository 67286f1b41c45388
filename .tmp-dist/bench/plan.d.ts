import { type ProtocolName, type Trial } from './trial.js';
export interface BenchPlan {
    datasets: {
        name: string;
        sensitive: string[];
    }[];
    methods: string[];
    /** Strengths for every method with a `lambda` parameter; methods without one run once per seed or fold. */
    lambdas: number[];
    /** Either seeds 0..seeds−1 (each a new split) or k-fold cross-validation with seed 0. */
    repeats: {
        seeds: number;
    } | {
        folds: number;
    };
    protocol: ProtocolName;
    /** Overrides of the protocol's training options (e.g. { epochs: 2 }). */
    training?: Record<string, unknown>;
}
/** The method every trade-off is measured against (FFB normalises by it); always part of a plan. */
export declare const REFERENCE_METHOD = "erm";
/**
 * Every trial of a benchmark, in the order they should run: data set, then seed (or fold), then method and λ,
 * so that an interrupted run holds complete comparisons for its first seeds. Methods and parameters are checked
 * here, before anything runs.
 */
export declare function planTrials(plan: BenchPlan): Trial[];

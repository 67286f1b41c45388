import { type BenchFlags } from './bench.js';
/** `fairkit bench`: loaded on demand, like every command that needs TensorFlow.js. */
export declare function runBench(flags: BenchFlags): Promise<void>;

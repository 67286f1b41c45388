import { Command } from 'commander';
export interface BenchFlags {
    dataset: string[];
    dataDir?: string;
    sensitive?: string[];
    methods: string[];
    lambdas: number[];
    seeds?: number;
    folds?: number;
    protocol: 'ffb' | 'gcm';
    epochs?: number;
    workers: number;
    out: string;
    backend: 'auto' | 'wasm' | 'cpu';
    progress: 'auto' | 'bar' | 'lines' | 'silent';
}
export declare const DEFAULT_SEEDS = 3;
export declare function registerBench(program: Command): void;

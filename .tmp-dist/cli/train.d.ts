import { Command } from 'commander';
export interface TrainFlags {
    dataset: string;
    dataDir?: string;
    target?: string;
    positive?: string;
    sensitive?: string[];
    drop?: string[];
    method: string;
    param: Record<string, unknown>;
    epochs: number;
    batchSize: number;
    lr: number;
    hidden: number[];
    seed: number;
    split: number[];
    out?: string;
    format: 'table' | 'json';
    backend: 'auto' | 'wasm' | 'cpu';
}
export declare function registerTrain(program: Command): void;

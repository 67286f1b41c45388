import type { LoadedDataset } from '../data/types.js';
export declare function loadTabular(name: string): Promise<LoadedDataset>;
export declare function runTabular(argv: string[]): Promise<void>;

export declare function benchmarkGcmCost(argv: string[]): Promise<void>;

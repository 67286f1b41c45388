export declare function benchmarkBaselines(argv: string[]): Promise<void>;

export declare function benchmarkNn(): Promise<void>;

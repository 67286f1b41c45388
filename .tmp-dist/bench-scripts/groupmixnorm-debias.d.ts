export declare function runDebias(argv: string[]): Promise<void>;

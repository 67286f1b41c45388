export declare function gcmLossScale(argv: string[]): Promise<void>;

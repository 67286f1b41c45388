export declare function runUnseen(argv: string[]): Promise<void>;

export declare function summarise(paths: string[]): string;

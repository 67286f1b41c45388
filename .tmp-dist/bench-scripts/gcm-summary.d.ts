export declare function summarise(files: string[]): string;

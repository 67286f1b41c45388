/** Commander argument parsers that reject bad values with a message naming the option. */
export declare function numberOption(option: string, check?: {
    min?: number;
    max?: number;
    integer?: boolean;
}): (raw: string) => number;
export declare function listOption(option: string): (raw: string) => string[];
export declare function choiceOption<T extends string>(option: string, choices: readonly T[]): (raw: string) => T;
export declare function numberListOption(option: string, check?: {
    min?: number;
    max?: number;
    integer?: boolean;
}): (raw: string) => number[];

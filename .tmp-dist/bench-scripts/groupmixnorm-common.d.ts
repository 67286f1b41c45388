import type { EncodedDataset, GroupIndex, LoadedDataset } from '../data/types.js';
import type { FairnessMethod } from '../methods/method.js';
export declare const METHODS: Record<string, FairnessMethod<any>>;
export interface Run {
    label: string;
    method: string;
    params: Record<string, unknown>;
}
/** `method` or `method:key=value,key=value` (values read as JSON when they parse, e.g. numbers). */
export declare function parseRun(text: string): Run;
/** `--flag value` pairs and bare words (runs). */
export declare function parseArgs(argv: string[]): {
    flags: Map<string, string>;
    words: string[];
};
export declare const numberList: (text: string | undefined, fallback: number[]) => number[];
/** Append-only JSONL results; a run whose key is already in the file is skipped, so a killed script resumes. */
export declare class Journal {
    private readonly path;
    private readonly done;
    constructor(path: string);
    has(key: string): boolean;
    write(record: {
        key: string;
    } & Record<string, unknown>): void;
}
export interface Outcome {
    ap: number | null;
    accuracy: number | null;
    /** Hard predictions at 0.5: max − min over groups. */
    dp: number | null;
    eoSum: number | null;
    /** Soft versions on the probabilities (FairMixup-style): gap of mean score, and its sum over the two labels. */
    softDp: number;
    softEo: number;
    selectionRates: (number | null)[];
}
export declare function outcomeOf(scores: Float32Array, data: {
    y: Uint8Array;
    groups: GroupIndex;
}): Outcome;
/** The data set with only the rows whose `column` value is one of `values`. */
export declare function keepValues(dataset: LoadedDataset, column: string, values: string[]): LoadedDataset;
/** COMPAS as usually studied for race: African-American vs Caucasian only (5,278 of 6,172 rows). */
export declare function compasTwoRaces(dataset: LoadedDataset): LoadedDataset;
/** The rows of an encoded data set (features, labels, groups) at the given indices. */
export declare function rowsOf(data: EncodedDataset, rows: number[]): EncodedDataset;

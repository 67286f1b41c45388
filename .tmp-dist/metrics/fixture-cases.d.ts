import type { EvaluateInput } from './compute.js';
export interface FixtureCase {
    name: string;
    yTrue: number[];
    yPred?: number[];
    scores?: number[];
    weights?: number[];
    groupIds: number[];
    keys: string[];
    values: Record<string, string>[];
    privileged?: number;
    threshold?: number;
    expected: {
        overall: Record<string, number | null>;
        groups: Record<string, unknown>[];
        fairness: Record<string, number | null>;
    };
}
export declare function loadFixtureCases(): FixtureCase[];
export declare function inputOf(c: FixtureCase): EvaluateInput;
/** Same keys; numbers equal to 1e-9 absolute or relative; nulls and strings exactly. */
export declare function assertClose(actual: unknown, expected: unknown, path: string, tolerance?: number): void;

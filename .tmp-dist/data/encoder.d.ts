import type { Table } from './types.js';
export interface EncoderSpec {
    numeric: {
        name: string;
        mean: number;
        std: number;
    }[];
    categorical: {
        name: string;
        categories: string[];
    }[];
}
/** The category that stands for a missing value, kept only when missing values occur in training. */
export declare const MISSING_CATEGORY = "<missing>";
/**
 * Standardises numeric columns ((x − mean) / std, population std as in scikit-learn's StandardScaler,
 * std 0 → 1, missing → the training mean) and one-hot encodes categorical ones (categories sorted by code
 * unit, then `<missing>` if it occurred; unseen categories give an all-zero block). Features are laid out
 * numeric columns first, then the categorical blocks, each in the order of `featureColumns`.
 */
export declare class FeatureEncoder {
    private readonly spec;
    private constructor();
    static fit(table: Table, featureColumns: string[]): FeatureEncoder;
    static fromJSON(spec: EncoderSpec): FeatureEncoder;
    toJSON(): EncoderSpec;
    get featureNames(): string[];
    transform(table: Table): {
        X: Float32Array;
        nRows: number;
        nFeatures: number;
        featureNames: string[];
    };
}

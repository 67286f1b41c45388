/** The options behind examples/synthetic-loans.csv; change them and the file changes. */
export declare const EXAMPLE_OPTIONS: {
    readonly rows: 2000;
    readonly seed: 20240;
    readonly nFeatures: 4;
};
export declare const EXAMPLE_PATH: string;
/**
 * The synthetic generator dressed as loan applications: x1..x4 become income, debt_ratio,
 * credit_history_years and late_payments by monotone maps that keep the direction of each weight; proxy becomes
 * neighbourhood_index; the label is `approved`; `score` is syntheticScores (majority over-scored) and `decision`
 * is score >= 0.5. Numbers are rounded to keep the file small.
 */
export declare function syntheticLoansCsv(): string;
export declare function writeSyntheticLoansExample(path?: string): string;

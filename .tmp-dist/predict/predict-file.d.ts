export interface PredictOptions {
    modelDir: string;
    input: string;
    output: string;
    threshold: number;
    scoreColumn: string;
    predictionColumn: string;
}
/**
 * Scores the rows of a CSV file with a saved model and writes them back with a score and a prediction column
 * added. The input's own fields are copied as they were written (not re-formatted).
 */
export declare function predictFile(options: PredictOptions): Promise<{
    rows: number;
    method: string;
}>;

export interface MetricsBenchOptions {
    rows?: number;
    groups?: number;
    batchRows?: number;
    weighted?: boolean;
    seed?: number;
}
export interface MetricsBenchResult {
    rows: number;
    groups: number;
    /** Streaming updates, batch by batch. */
    updateSeconds: number;
    /** Every metric, including the exact AP and ROC-AUC (sorting all scores). */
    computeSeconds: number;
    seconds: number;
    rowsPerSecond: number;
}
/**
 * Times all metrics on synthetic predictions (labels, probabilities, groups; optionally weights): MetricState
 * updates in batches, then computeMetrics. Generating the data is not timed.
 */
export declare function benchmarkMetrics(options?: MetricsBenchOptions): MetricsBenchResult;

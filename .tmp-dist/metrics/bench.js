import { Rng } from '../rng.js';
import { computeMetrics } from './compute.js';
import { MetricState } from './state.js';
/**
 * Times all metrics on synthetic predictions (labels, probabilities, groups; optionally weights): MetricState
 * updates in batches, then computeMetrics. Generating the data is not timed.
 */
export function benchmarkMetrics(options = {}) {
    const rows = options.rows ?? 10_000_000;
    const nGroups = options.groups ?? 8;
    const batchRows = options.batchRows ?? 1_000_000;
    const rng = new Rng(options.seed ?? 1);
    const yTrue = new Uint8Array(rows);
    const scores = new Float64Array(rows);
    const groupIds = new Int32Array(rows);
    const weights = options.weighted ? new Float64Array(rows) : undefined;
    for (let i = 0; i < rows; i++) {
        const g = rng.int(nGroups);
        const y = rng.uniform() < 0.2 + (0.4 * g) / nGroups ? 1 : 0;
        const u = rng.uniform();
        groupIds[i] = g;
        yTrue[i] = y;
        scores[i] = y === 1 ? Math.sqrt(u) : u * u;
        if (weights)
            weights[i] = 0.5 + rng.uniform();
    }
    const labels = {
        keys: Array.from({ length: nGroups }, (_, g) => `g${g}`),
        values: Array.from({ length: nGroups }, (_, g) => ({ group: `g${g}` })),
    };
    const start = performance.now();
    const state = new MetricState(nGroups);
    for (let from = 0; from < rows; from += batchRows) {
        const to = Math.min(rows, from + batchRows);
        state.update({
            yTrue: yTrue.subarray(from, to),
            scores: scores.subarray(from, to),
            groups: groupIds.subarray(from, to),
            weights: weights?.subarray(from, to),
        });
    }
    const updated = performance.now();
    computeMetrics(state, labels);
    const end = performance.now();
    const seconds = (end - start) / 1000;
    return {
        rows,
        groups: nGroups,
        updateSeconds: (updated - start) / 1000,
        computeSeconds: (end - updated) / 1000,
        seconds,
        rowsPerSecond: rows / seconds,
    };
}
//# sourceMappingURL=bench.js.map
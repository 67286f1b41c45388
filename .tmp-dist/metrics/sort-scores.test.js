import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../rng.js';
import { sortByScoreDescending } from './sort-scores.js';
/** Sorts with row indices as codes, and checks the result against Array.prototype.sort. */
function assertSorted(scores) {
    const n = scores.length;
    const codes = Int32Array.from({ length: n }, (_, i) => i);
    const weights = Float64Array.from(scores, (s) => s * 3);
    const sorted = sortByScoreDescending(scores, codes, weights, true);
    const expected = [...codes].sort((a, b) => scores[b] - scores[a] || a - b);
    // Compare as numbers (x + 0), so -0 and 0 count as the tie they are.
    assert.deepEqual(Array.from(sorted.scores, (x) => x + 0), expected.map((i) => scores[i] + 0));
    for (let k = 0; k < n; k++) {
        if (scores[sorted.codes[k]] !== sorted.scores[k])
            assert.fail(`position ${k}: code does not travel with its score`);
    }
    assert.deepEqual(Array.from(sorted.rows), Array.from(sorted.codes));
    assert.deepEqual(Array.from(sorted.weights), Array.from(sorted.codes, (i) => weights[i]));
}
test('sorts mixed-sign doubles, ties, zeros of both signs and extremes, carrying codes, weights and rows', () => {
    const rng = new Rng(9);
    const special = [0, -0, 1, -1, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 0.5, 1e-300];
    assertSorted(Float64Array.from({ length: 5000 }, (_, i) => i < special.length
        ? special[i]
        : i % 3 === 0
            ? Math.round(rng.normal() * 10) / 10
            : rng.normal() * 10 ** rng.int(12)));
});
test('sorts float32-valued probabilities (skipped passes), ties in input order', () => {
    const rng = new Rng(4);
    const probabilities = new Float32Array(Array.from({ length: 3000 }, () => Math.round(rng.uniform() * 50) / 50));
    assertSorted(Float64Array.from(probabilities));
});
test('handles empty, single and constant input', () => {
    assertSorted(new Float64Array(0));
    assertSorted(Float64Array.of(0.3));
    assertSorted(Float64Array.of(0.3, 0.3, 0.3));
});
//# sourceMappingURL=sort-scores.test.js.map
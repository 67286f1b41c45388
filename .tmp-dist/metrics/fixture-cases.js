/** Test helpers: the scikit-learn/Fairlearn reference cases and a tolerant deep comparison. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// The JSON lives in src/ (it is not copied by tsc), two levels under the package root from src/ and dist/ alike.
const fixturePath = fileURLToPath(new URL('../../src/metrics/fixtures/metrics.json', import.meta.url));
export function loadFixtureCases() {
    return JSON.parse(readFileSync(fixturePath, 'utf8')).cases;
}
export function inputOf(c) {
    return {
        yTrue: c.yTrue,
        yPred: c.yPred,
        scores: c.scores,
        weights: c.weights,
        groupIds: Int32Array.from(c.groupIds),
        groups: { keys: c.keys, values: c.values, privileged: c.privileged },
        threshold: c.threshold,
    };
}
/** Same keys; numbers equal to 1e-9 absolute or relative; nulls and strings exactly. */
export function assertClose(actual, expected, path, tolerance = 1e-9) {
    if (typeof expected === 'number') {
        assert.equal(typeof actual, 'number', `${path}: expected ${expected}, got ${String(actual)}`);
        const diff = Math.abs(actual - expected);
        assert.ok(diff <= tolerance || diff <= tolerance * Math.abs(expected), `${path}: expected ${expected}, got ${actual}`);
    }
    else if (expected !== null && typeof expected === 'object') {
        assert.ok(actual !== null && typeof actual === 'object', `${path}: expected an object, got ${String(actual)}`);
        const actualKeys = Object.keys(actual).sort();
        const expectedKeys = Object.keys(expected).sort();
        assert.deepEqual(actualKeys, expectedKeys, `${path}: keys differ`);
        for (const key of expectedKeys) {
            const actualValue = actual[key];
            assertClose(actualValue, expected[key], `${path}.${key}`, tolerance);
        }
    }
    else {
        assert.equal(actual, expected, `${path}`);
    }
}
//# sourceMappingURL=fixture-cases.js.map
import assert from 'node:assert/strict';
import { test } from 'node:test';
import reference from './fixtures/aggregate.json' with { type: 'json' };
import { bootstrapMeanInterval, summarize } from './stats.js';
test('mean and sample standard deviation match numpy (ddof=1)', () => {
    for (const { values, mean, std } of reference.stats) {
        const stat = summarize(values);
        assert.ok(Math.abs(stat.mean - mean) < 1e-12, `mean of ${values.length}`);
        assert.ok(Math.abs(stat.std - std) < 1e-12, `std of ${values.length}`);
        assert.equal(stat.n, values.length);
    }
});
test('missing values are left out; one value has no spread and no interval', () => {
    assert.deepEqual(summarize([null, 0.5, undefined]), { mean: 0.5, std: null, n: 1, interval: null });
    assert.deepEqual(summarize([null, Number.NaN]), { mean: null, std: null, n: 0, interval: null });
});
test('the bootstrap interval of the mean lies within the range of the values and around the mean', () => {
    for (const { values, mean } of reference.stats) {
        const [low, high] = bootstrapMeanInterval(values);
        assert.ok(low >= Math.min(...values) - 1e-12 && high <= Math.max(...values) + 1e-12, 'inside the range');
        assert.ok(low < mean && mean < high, 'around the mean');
    }
    const [low, high] = bootstrapMeanInterval([0.3, 0.3, 0.3]);
    assert.ok(Math.abs(low - 0.3) < 1e-12 && Math.abs(high - 0.3) < 1e-12);
});
test('the bootstrap interval narrows as the level drops and is reproducible from its seed', () => {
    const values = reference.stats[3].values;
    const wide = bootstrapMeanInterval(values, { replicates: 4000, seed: 1, level: 0.95 });
    const narrow = bootstrapMeanInterval(values, { replicates: 4000, seed: 1, level: 0.5 });
    assert.ok(narrow[0] > wide[0] && narrow[1] < wide[1]);
    assert.deepEqual(bootstrapMeanInterval(values, { replicates: 4000, seed: 1, level: 0.95 }), wide);
    // For many replicates the 95% interval of a mean approaches mean ± 1.96·sd·√((n−1)/n)/√n (normal approximation).
    const stat = summarize(values);
    const halfWidth = (1.96 * stat.std * Math.sqrt((values.length - 1) / values.length)) / Math.sqrt(values.length);
    assert.ok(Math.abs((wide[1] - wide[0]) / 2 - halfWidth) < 0.2 * halfWidth, `${(wide[1] - wide[0]) / 2} vs ${halfWidth}`);
});
//# sourceMappingURL=stats.test.js.map
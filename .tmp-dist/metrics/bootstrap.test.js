import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../rng.js';
import { bootstrapIntervals, quantile } from './bootstrap.js';
import { evaluate } from './compute.js';
import { assertClose, inputOf, loadFixtureCases } from './fixture-cases.js';
/** The textbook bootstrap: materialise each resample (same draws from the same seed) and evaluate it afresh. */
function naiveIntervals(input, replicates, seed, level) {
    const n = input.yTrue.length;
    const rng = new Rng(seed);
    const point = evaluate(input);
    const present = point.groups.map((g) => g.selectionRate !== null);
    const values = new Map();
    const record = (path, value) => {
        if (!values.has(path))
            values.set(path, []);
        if (typeof value === 'number')
            values.get(path).push(value);
    };
    for (let r = 0; r < replicates; r++) {
        const picks = Array.from({ length: n }, () => rng.int(n));
        const pick = (a) => (a ? picks.map((i) => a[i]) : undefined);
        const report = evaluate({
            ...input,
            yTrue: pick(input.yTrue),
            yPred: pick(input.yPred),
            scores: pick(input.scores),
            weights: pick(input.weights),
            groupIds: Int32Array.from(pick(input.groupIds)),
        });
        const groupsKept = report.groups.every((g, k) => !present[k] || g.selectionRate !== null);
        for (const metric of Object.keys(point.overall)) {
            if (metric !== 'count')
                record(`overall.${metric}`, report.overall[metric]);
        }
        point.groups.forEach((g, k) => {
            for (const metric of Object.keys(g)) {
                if (!['count', 'key', 'values'].includes(metric))
                    record(`${k}.${metric}`, report.groups[k][metric]);
            }
        });
        for (const metric of Object.keys(point.fairness)) {
            record(`fairness.${metric}`, groupsKept ? report.fairness[metric] : null);
        }
    }
    const interval = (path) => {
        const sorted = Float64Array.from(values.get(path)).sort();
        return sorted.length === 0 ? null : [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)];
    };
    return {
        overall: Object.fromEntries(Object.keys(point.overall)
            .filter((m) => m !== 'count')
            .map((m) => [m, interval(`overall.${m}`)])),
        groups: point.groups.map((g, k) => ({
            key: g.key,
            intervals: Object.fromEntries(Object.keys(g).filter((m) => !['count', 'key', 'values'].includes(m)).map((m) => [m, interval(`${k}.${m}`)])),
        })),
        fairness: Object.fromEntries(Object.keys(point.fairness).map((m) => [m, interval(`fairness.${m}`)])),
    };
}
const cases = loadFixtureCases();
test('reweighted replicates equal materialised resamples (weights, ties, two groups with abcc)', () => {
    for (const name of ['two groups, weighted, ties', 'three groups, hard predictions only', 'intersectional']) {
        const c = cases.find((k) => k.name.startsWith(name));
        const input = inputOf(c);
        const fast = bootstrapIntervals(input, { replicates: 30, seed: 11, level: 0.9 });
        const { warnings, replicates, level, point, ...intervals } = fast;
        assert.equal(replicates, 30);
        assert.equal(level, 0.9);
        assertClose(intervals, naiveIntervals(input, 30, 11, 0.9), c.name, 1e-9);
        assertClose(point, evaluate(input), `${c.name} point`, 0);
        assert.ok(warnings.every((w) => / is undefined in \d+ of 30 replicates/.test(w)), warnings.join('\n'));
    }
});
test('the same seed gives the same intervals, another seed others', () => {
    const input = inputOf(cases.find((k) => k.name.startsWith('three groups, scores')));
    const a = bootstrapIntervals(input, { replicates: 20, seed: 5 });
    assert.deepEqual(bootstrapIntervals(input, { replicates: 20, seed: 5 }), a);
    assert.notDeepEqual(bootstrapIntervals(input, { replicates: 20, seed: 6 }).overall, a.overall);
});
test('the accuracy interval has the binomial width', () => {
    const rng = new Rng(3);
    const n = 4000;
    const yTrue = Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0));
    const yPred = yTrue.map((y) => (rng.uniform() < 0.8 ? y : 1 - y));
    const input = {
        yTrue,
        yPred,
        groupIds: Int32Array.from(yTrue, () => rng.int(2)),
        groups: { keys: ['a', 'b'], values: [{ g: 'a' }, { g: 'b' }] },
    };
    const accuracy = evaluate(input).overall.accuracy;
    const [low, high] = bootstrapIntervals(input, { replicates: 400, seed: 1 }).overall.accuracy;
    const expectedWidth = 2 * 1.96 * Math.sqrt((accuracy * (1 - accuracy)) / n);
    assert.ok(low < accuracy && accuracy < high, `${low} < ${accuracy} < ${high}`);
    assert.ok(Math.abs(high - low - expectedWidth) < 0.15 * expectedWidth, `width ${high - low} vs ${expectedWidth}`);
});
test('a metric undefined in some replicates gets an interval over the rest and a warning with the count', () => {
    // Group b has one positive among six rows: many resamples miss it, leaving b's TPR undefined.
    const input = {
        yTrue: [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0],
        yPred: [1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0],
        groupIds: Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]),
        groups: { keys: ['a', 'b'], values: [{ g: 'a' }, { g: 'b' }] },
    };
    const result = bootstrapIntervals(input, { replicates: 50, seed: 2 });
    const warning = result.warnings.find((w) => w.startsWith("group 'b' tpr is undefined in"));
    assert.ok(warning, result.warnings.join('\n'));
    const missing = Number(/undefined in (\d+) of 50/.exec(warning)[1]);
    assert.ok(missing > 0 && missing < 50);
    const interval = result.groups[1].intervals.tpr;
    assert.deepEqual(interval, [1, 1]);
});
test('bad options are FairkitErrors', () => {
    const input = inputOf(cases[0]);
    for (const [options, message] of [
        [{ replicates: 0, seed: 1 }, 'replicates must be a positive integer'],
        [{ replicates: 10, seed: 1.5 }, 'seed must be an integer'],
        [{ replicates: 10, seed: 1, level: 1 }, 'level must be in (0, 1)'],
    ]) {
        assert.throws(() => bootstrapIntervals(input, options), (e) => e.name === 'FairkitError' && e.message.includes(message));
    }
});
//# sourceMappingURL=bootstrap.test.js.map
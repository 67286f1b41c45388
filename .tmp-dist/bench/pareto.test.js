import assert from 'node:assert/strict';
import { test } from 'node:test';
import reference from './fixtures/aggregate.json' with { type: 'json' };
import { hypervolume, paretoFront } from './pareto.js';
const pointsOf = (points) => points.map(([utility, gap]) => ({ utility, gap }));
test('the Pareto front holds exactly the points no other point dominates (brute force in Python)', () => {
    for (const { points, front } of reference.fronts) {
        const indices = paretoFront(pointsOf(points));
        const mask = points.map((_, i) => indices.includes(i));
        assert.deepEqual(mask, front, `${points.length} points`);
    }
});
test('the front is ordered by increasing gap, along which utility increases', () => {
    const { points } = reference.fronts[4];
    const front = paretoFront(pointsOf(points)).map((i) => points[i]);
    for (let k = 1; k < front.length; k++) {
        assert.ok(front[k][1] >= front[k - 1][1] && front[k][0] >= front[k - 1][0]);
    }
});
test('the hypervolume equals the area of the union of rectangles (coordinate compression in Python)', () => {
    for (const { points, reference: [utility, gap], hypervolume: area } of reference.fronts) {
        assert.ok(Math.abs(hypervolume(pointsOf(points), { utility, gap }) - area) < 1e-12, `${points.length} points`);
    }
});
test('points no better than the reference add nothing', () => {
    assert.equal(hypervolume([{ utility: 1, gap: 1 }, { utility: 0.9, gap: 1.2 }], { utility: 0, gap: 1 }), 0);
    assert.equal(hypervolume([], { utility: 0, gap: 1 }), 0);
});
//# sourceMappingURL=pareto.test.js.map
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeMetrics, evaluate } from './compute.js';
import { assertClose, inputOf, loadFixtureCases } from './fixture-cases.js';
import { MetricState } from './state.js';
const cases = loadFixtureCases();
for (const c of cases) {
    test(`matches scikit-learn/Fairlearn: ${c.name}`, () => {
        const report = evaluate(inputOf(c));
        assertClose(report.overall, c.expected.overall, 'overall');
        assertClose(report.groups, c.expected.groups, 'groups');
        assertClose(report.fairness, c.expected.fairness, 'fairness');
        const hasNull = JSON.stringify(c.expected).includes('null');
        assert.equal(report.warnings.length > 0, hasNull, `warnings: ${report.warnings.join(' | ')}`);
    });
}
test('golden vector gives the numbers printed in evaluation.md', () => {
    const golden = cases.find((c) => c.name.startsWith('golden'));
    const report = evaluate(inputOf(golden));
    const rounded = (x) => Math.round(x * 1e4) / 1e4;
    const rates = report.groups.map((g) => [g.key, rounded(g.selectionRate), rounded(g.tpr), rounded(g.fpr)]);
    assert.deepEqual(rates, [
        ['a', 0.75, 0.5, 1.0],
        ['b', 0.5, 0.6, 0.0],
        ['c', 0.5, 0.4, 0.6667],
    ]);
    assert.equal(rounded(report.fairness.demographicParityDifference), 0.25);
    assert.equal(rounded(report.fairness.demographicParityRatio), 0.6667);
    assert.equal(rounded(report.fairness.equalizedOddsDifference), 1.0);
    assert.equal(rounded(report.fairness.equalizedOddsRatio), 0.0);
});
test('a group without positives gives null TPR gaps and a warning naming the group', () => {
    const c = cases.find((k) => k.name.includes('no positives'));
    const report = evaluate(inputOf(c));
    assert.equal(report.groups[2].tpr, null);
    assert.equal(report.fairness.equalOpportunityDifference, null);
    const named = report.warnings.some((w) => w.includes("'g2'") && w.includes('TPR is undefined'));
    assert.ok(named, report.warnings.join('\n'));
});
test('batches in separate states, merged, give the one-shot report', () => {
    for (const c of cases.filter((k) => k.scores !== undefined && k.weights !== undefined)) {
        const n = c.yTrue.length;
        const cuts = [0, Math.floor(n / 5), Math.floor(n / 2), n];
        // The middle batch comes without weights, to exercise unit weights mixed with weights across merges.
        const weights = Float64Array.from(c.weights).fill(1, cuts[1], cuts[2]);
        const input = { ...inputOf(c), weights };
        const states = cuts.slice(1).map((end, k) => {
            const rows = (values) => (values ? Array.from(values).slice(cuts[k], end) : undefined);
            const state = new MetricState(c.keys.length);
            state.update({
                yTrue: rows(c.yTrue),
                yPred: rows(c.yPred),
                scores: rows(c.scores),
                groups: rows(c.groupIds),
                weights: k === 1 ? undefined : rows(weights),
                threshold: c.threshold,
            });
            return state;
        });
        const merged = states[0].merge(states[1]).merge(states[2]);
        assertClose(computeMetrics(merged, input.groups), evaluate(input), c.name, 1e-12);
    }
});
test('without kept rows, ranking metrics are null with a warning and the rest is unchanged', () => {
    const c = cases.find((k) => k.name.startsWith('three groups, scores'));
    const input = inputOf(c);
    const state = new MetricState(c.keys.length, { keepRows: false });
    state.update({ yTrue: input.yTrue, scores: input.scores, groups: input.groupIds });
    const report = computeMetrics(state, input.groups);
    assert.equal(report.overall.ap, null);
    assert.equal(report.overall.rocAuc, null);
    assertClose(report.overall.logLoss, c.expected.overall.logLoss, 'logLoss');
    assertClose(report.fairness, c.expected.fairness, 'fairness');
    assert.ok(report.warnings.some((w) => w.includes('keepRows')));
});
test('bad input is a FairkitError naming the entry, and leaves the state unchanged', () => {
    const state = new MetricState(2);
    state.update({ yTrue: [1, 0], yPred: [1, 1], groups: [0, 1] });
    const before = Array.from(state.confusion);
    const bad = [
        ['yTrue[1] is 2', { yTrue: [1, 2], yPred: [1, 1], groups: [0, 1] }],
        ['groups[0] is 2', { yTrue: [1, 0], yPred: [1, 1], groups: [2, 1] }],
        ['groups[1] is 0.5', { yTrue: [1, 0], yPred: [1, 1], groups: [0, 0.5] }],
        ['yPred[0] is 0.7', { yTrue: [1, 0], yPred: [0.7, 1], groups: [0, 1] }],
        ['scores[1] is NaN', { yTrue: [1, 0], scores: [0.2, NaN], groups: [0, 1] }],
        ['weights[0] is -1', { yTrue: [1, 0], yPred: [1, 1], groups: [0, 1], weights: [-1, 1] }],
        ['groups has 1 entries but yTrue has 2', { yTrue: [1, 0], yPred: [1, 1], groups: [0] }],
        ['neither yPred nor scores', { yTrue: [1, 0], groups: [0, 1] }],
    ];
    for (const [message, batch] of bad) {
        assert.throws(() => state.update(batch), (e) => e.name === 'FairkitError' && e.message.includes(message));
    }
    assert.deepEqual(Array.from(state.confusion), before);
    assert.throws(() => state.merge(new MetricState(3)), /cannot merge a state of 3 groups/);
    assert.throws(() => computeMetrics(state, { keys: ['a'], values: [{}] }), (e) => e.name === 'FairkitError' && e.message.includes('1 group keys given for 2 groups'));
});
test('a declared group without rows is reported empty and left out of the fairness metrics', () => {
    const c = cases.find((k) => k.name.startsWith('two groups, scores, privileged'));
    const input = inputOf(c);
    const withEmpty = evaluate({
        ...input,
        groups: { keys: [...c.keys, 'unseen'], values: [...c.values, { group: 'unseen' }], privileged: c.privileged },
    });
    assert.equal(withEmpty.groups[2].count, 0);
    assert.equal(withEmpty.groups[2].accuracy, null);
    assertClose(withEmpty.fairness, c.expected.fairness, 'fairness');
    assert.ok(withEmpty.warnings.some((w) => w.includes("'unseen'") && w.includes('left out of the fairness metrics')));
});
//# sourceMappingURL=compute.test.js.map
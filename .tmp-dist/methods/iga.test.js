import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../nn/backend.js';
import { penaltyAndGrads, penaltyCases, stepUpdate } from './gradient-penalty.test-helper.js';
import { iga, igaParams } from './iga.js';
import { relativeError } from './test-support.js';
const TOLERANCE = 1e-4;
const cases = penaltyCases.filter((c) => c.method === 'iga');
describe('iga', () => {
    before(async () => {
        await initBackend();
    });
    for (const c of cases) {
        test(`gradient-variance penalty and its double-backprop gradient match float64 PyTorch (${c.name})`, (t) => {
            const got = penaltyAndGrads(c);
            const errors = got.grads.map((g, i) => relativeError(g, c.penaltyGrads[i]));
            t.diagnostic(`penalty ${got.penalty} vs ${c.penalty}; worst gradient error ${Math.max(...errors).toExponential(2)}`);
            assert.ok(Math.abs(got.penalty - c.penalty) <= TOLERANCE * c.penalty, `penalty ${got.penalty} vs ${c.penalty}`);
            errors.forEach((error, i) => assert.ok(error < TOLERANCE, `d penalty / d weight ${i}: relative error ${error}`));
        });
        test(`one training step moves the weights by the reference gradient of BCE + λ·penalty (${c.name})`, () => {
            const { update } = stepUpdate(iga, c);
            update.forEach((u, i) => assert.ok(relativeError(u, c.totalGrads[i]) < TOLERANCE, `weight ${i}: relative error ${relativeError(u, c.totalGrads[i])}`));
        });
    }
    test('a batch with one group has no gradient variance: the step is the task loss alone', () => {
        const c = cases[0];
        const { loss } = stepUpdate(iga, { ...c, groups: c.groups.map(() => 2) });
        assert.ok(Math.abs(loss - c.taskLoss) < 1e-5, `loss ${loss} vs task loss ${c.taskLoss}`);
    });
    test('parameters', () => {
        assert.deepEqual(igaParams.parse({}), { lambda: 1, layers: 'all', oversample: false });
        assert.throws(() => igaParams.parse({ mismatch: 'abs' }));
    });
});
//# sourceMappingURL=iga.test.js.map
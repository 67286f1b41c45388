import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learningRateAt } from './schedules.js';
test('learning-rate schedules follow their closed forms', () => {
    assert.equal(learningRateAt(0.01, { kind: 'constant' }, 500), 0.01);
    assert.ok(Math.abs(learningRateAt(0.01, { kind: 'step', every: 50, gamma: 0.1 }, 49) - 0.01) < 1e-15);
    assert.ok(Math.abs(learningRateAt(0.01, { kind: 'step', every: 50, gamma: 0.1 }, 120) - 1e-4) < 1e-15);
    assert.ok(Math.abs(learningRateAt(1, { kind: 'cosine', totalSteps: 100, floor: 0 }, 50) - 0.5) < 1e-12);
    assert.ok(Math.abs(learningRateAt(1, { kind: 'cosine', totalSteps: 100, floor: 0.1 }, 100) - 0.1) < 1e-12);
    assert.ok(Math.abs(learningRateAt(1, { kind: 'inverse', decay: 0.5 }, 4) - 1 / 3) < 1e-12);
});
//# sourceMappingURL=schedules.test.js.map
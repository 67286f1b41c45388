import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../nn/backend.js';
import { penaltyCases, stepUpdate, testAgainstPytorch } from './gradient-penalty.test-helper.js';
import { iga, igaParams } from './iga.js';

const cases = penaltyCases.filter((c) => c.method === 'iga');

describe('iga', () => {
  before(async () => {
    await initBackend();
  });

  testAgainstPytorch(iga, 'gradient-variance penalty');

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

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../nn/backend.js';
import { gcm } from './gcm.js';
import { gradAlign, gradAlignParams } from './grad-align.js';
import { penaltyAndGrads, penaltyCases, stepUpdate } from './gradient-penalty.test-helper.js';
import { relativeError } from './test-support.js';

const TOLERANCE = 1e-4;
const cases = penaltyCases.filter((c) => c.method === 'grad-align');

describe('grad-align', () => {
  before(async () => {
    await initBackend();
  });

  for (const c of cases) {
    test(`alignment penalty and its double-backprop gradient match float64 PyTorch (${c.name})`, (t) => {
      const got = penaltyAndGrads(c);
      const errors = got.grads.map((g, i) => relativeError(g, c.penaltyGrads[i]));
      t.diagnostic(`penalty ${got.penalty} vs ${c.penalty}; worst gradient error ${Math.max(...errors).toExponential(2)}`);
      assert.ok(Math.abs(got.penalty - c.penalty) <= TOLERANCE * c.penalty, `penalty ${got.penalty} vs ${c.penalty}`);
      errors.forEach((error, i) => assert.ok(error < TOLERANCE, `d penalty / d weight ${i}: relative error ${error}`));
    });

    test(`one training step moves the weights by the reference gradient of BCE + λ·penalty (${c.name})`, () => {
      const { update } = stepUpdate(gradAlign, c);
      update.forEach((u, i) => assert.ok(relativeError(u, c.totalGrads[i]) < TOLERANCE, `weight ${i}: relative error ${relativeError(u, c.totalGrads[i])}`));
    });
  }

  test('aligning signed gradients is not GCM\'s magnitude matching: the same batch gives another step', () => {
    const c = cases.find((candidate) => candidate.params.mismatch === 'abs' && candidate.params.reduction === 'sum')!;
    const aligned = stepUpdate(gradAlign, c);
    const matched = stepUpdate(gcm, { ...c, params: { ...c.params, T: 0 } });
    assert.ok(relativeError(aligned.update[0], matched.update[0]) > 1e-3);
  });

  test('parameters', () => {
    assert.deepEqual(gradAlignParams.parse({}), { lambda: gradAlignParams.parse({}).lambda, mismatch: 'abs', reduction: 'mean', layers: 'all', oversample: false });
    assert.throws(() => gradAlignParams.parse({ mismatch: 'signed' }));
  });
});

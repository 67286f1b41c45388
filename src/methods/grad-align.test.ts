import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initBackend } from '../nn/backend.js';
import { gcm } from './gcm.js';
import { gradAlign, gradAlignParams } from './grad-align.js';
import { penaltyCases, stepUpdate, testAgainstPytorch } from './gradient-penalty.test-helper.js';
import { relativeError } from './test-support.js';

const cases = penaltyCases.filter((c) => c.method === 'grad-align');

describe('grad-align', () => {
  before(async () => {
    await initBackend();
  });

  testAgainstPytorch(gradAlign, 'alignment penalty');

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

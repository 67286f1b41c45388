import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { parseMethodParams } from '../train/fit.js';
import { getMethod, listMethods } from './registry.js';

const rejects = (name: string, params: Record<string, unknown>, pattern: RegExp) =>
  assert.throws(() => parseMethodParams(getMethod(name), params), (error: unknown) => error instanceof FairkitError && pattern.test(error.message));

describe('method registry and parameter schemas', () => {
  test('the baselines are registered under their names', () => {
    assert.deepEqual(listMethods().map((m) => m.name), ['erm', 'oversample', 'reweigh', 'eor', 'adversarial', 'penalty', 'fairmixup', 'gcm', 'iga', 'grad-align', 'groupmixnorm']);
    assert.throws(() => getMethod('nope'), /unknown method 'nope'/);
  });

  test('every method documents exactly the parameters its schema defaults', () => {
    for (const method of listMethods()) {
      assert.deepEqual(Object.keys(parseMethodParams(method, {})).sort(), Object.keys(method.paramDocs).sort(), method.name);
    }
  });

  test('every method with a strength has lambda ≥ 0, and rejects a negative one naming the key', () => {
    const withLambda = listMethods().filter((m) => 'lambda' in m.paramDocs).map((m) => m.name);
    assert.deepEqual(withLambda, ['reweigh', 'eor', 'adversarial', 'penalty', 'fairmixup', 'gcm', 'iga', 'grad-align']);
    for (const name of withLambda) {
      assert.ok((parseMethodParams(getMethod(name), {}).lambda as number) > 0, name);
      rejects(name, { lambda: -0.1 }, new RegExp(`${name}.*'lambda'`));
      rejects(name, { lambda: 'strong' }, new RegExp(`${name}.*'lambda'`));
    }
  });

  test('unknown keys and bad values are rejected', () => {
    for (const method of listMethods()) rejects(method.name, { lamda: 1 }, new RegExp(`${method.name}.*lamda`));
    rejects('eor', { form: 'eop' }, /'form'/);
    rejects('adversarial', { adversarySteps: 2.5 }, /'adversarySteps'/);
    rejects('adversarial', { adversaryLearningRate: 0 }, /'adversaryLearningRate'/);
    rejects('fairmixup', { mixupAlpha: 0 }, /'mixupAlpha'/);
    assert.deepEqual(parseMethodParams(getMethod('eor'), { lambda: 2, form: 'dp' }), { lambda: 2, form: 'dp' });
  });
});

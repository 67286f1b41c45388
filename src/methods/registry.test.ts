import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { parseMethodParams } from '../train/fit.js';
import { getMethod, listMethods } from './registry.js';

const rejects = (name: string, params: Record<string, unknown>, pattern: RegExp) =>
  assert.throws(() => parseMethodParams(getMethod(name), params), (error: unknown) => error instanceof FairkitError && pattern.test(error.message));

describe('method registry and parameter schemas', () => {
  test('methods are found by name; an unknown name lists the known ones', () => {
    for (const method of listMethods()) assert.equal(getMethod(method.name), method);
    assert.throws(() => getMethod('nope'), (error: unknown) => error instanceof FairkitError && /unknown method 'nope'/.test(error.message) && error.message.includes('erm'));
  });

  test('every method documents exactly the parameters its schema defaults', () => {
    for (const method of listMethods()) {
      assert.deepEqual(Object.keys(parseMethodParams(method, {})).sort(), Object.keys(method.paramDocs).sort(), method.name);
    }
  });

  test('every method with a strength defaults it above 0 and rejects a negative or non-numeric one naming the key', () => {
    const withStrength = listMethods().filter((m) => m.strength !== undefined);
    assert.ok(withStrength.length > 0);
    for (const { name, strength } of withStrength) {
      assert.ok((parseMethodParams(getMethod(name), {})[strength!] as number) > 0, name);
      rejects(name, { [strength!]: -0.1 }, new RegExp(`${name}.*'${strength}'`));
      rejects(name, { [strength!]: 'strong' }, new RegExp(`${name}.*'${strength}'`));
    }
  });

  test('a parameter called lambda is always the declared strength', () => {
    for (const method of listMethods().filter((m) => 'lambda' in m.paramDocs)) assert.equal(method.strength, 'lambda', method.name);
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

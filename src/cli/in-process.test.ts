import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fairkit, fairkitInProcess } from './run-cli.test-helper.js';

// The CLI tests run `fairkit` in process (fairkitInProcess) to save a TensorFlow.js start-up per call; these cases
// prove it gives what the real CLI gives: a success, a FairkitError and a commander usage error, byte for byte.
const cases: [string, string[]][] = [
  ['a success', ['methods', '--format', 'json']],
  ['a FairkitError (one line, exit code 2)', ['audit', '/nonexistent/predictions.csv', '--label', 'label', '--pred', 'pred', '--sensitive', 'group']],
  ['a commander usage error', ['train', '--threads', '9']],
  ['an unknown option', ['audit', '--no-such-option']],
];

for (const [what, args] of cases) {
  test(`in process and spawned, fairkit gives the same stdout, stderr and exit code: ${what}`, async () => {
    const spawned = fairkit(...args);
    const here = await fairkitInProcess(...args);
    assert.deepEqual(here, spawned);
  });
}

test('the cases differ from each other, so the comparison above can fail', async () => {
  const runs = [];
  for (const [, args] of cases) runs.push(await fairkitInProcess(...args));
  assert.equal(runs[0].status, 0);
  assert.ok(runs[0].stdout.length > 0);
  assert.equal(runs[1].status, 2);
  assert.match(runs[1].stderr, /^fairkit: .*\n$/);
  assert.equal(runs[2].status, 1);
  assert.match(runs[2].stderr, /--threads must be at most 8, got 9/);
});

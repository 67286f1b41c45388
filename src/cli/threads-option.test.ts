import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { FairkitError } from '../errors.js';
import { fairkit } from './run-cli.test-helper.js';
import { workerCount } from './threads-option.js';

test('one thread keeps the workers asked for, or one per core', () => {
  assert.equal(workerCount(3, 1), 3);
  assert.equal(workerCount(undefined, 1), availableParallelism());
});

test('threads above one run a single worker, and refuse an explicit second one naming both options', () => {
  assert.equal(workerCount(undefined, 2), 1);
  assert.equal(workerCount(1, 2), 1);
  assert.throws(() => workerCount(2, 2), (error: unknown) => error instanceof FairkitError && /--threads and --workers: --threads 2 cannot be combined with --workers 2/.test(error.message));
});

test('fairkit bench refuses --threads 2 with --workers 2 before running anything', () => {
  const result = fairkit('bench', '--threads', '2', '--workers', '2', '--epochs', '1', '--out', '/nonexistent-dir/never-created');
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /--threads 2 cannot be combined with --workers 2/);
});

test('--threads outside 1..8 is refused while parsing', () => {
  const result = fairkit('train', '--threads', '9');
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /--threads must be at most 8, got 9/);
});

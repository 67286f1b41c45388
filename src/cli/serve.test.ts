import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fairkit } from './run-cli.test-helper.js';

describe('fairkit serve: start-up errors', () => {
  const folder = mkdtempSync(join(tmpdir(), 'fairkit-serve-cli-'));
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('a missing or too short token file, and a folder without a model, end with one clear line and exit 2', () => {
    const missing = fairkit('serve', '--model', folder, '--token-file', join(folder, 'no-token'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^fairkit: --token-file .*no-token: cannot read the token file\n$/);
    writeFileSync(join(folder, 'short'), 'abc\n');
    const short = fairkit('serve', '--model', folder, '--token-file', join(folder, 'short'));
    assert.equal(short.status, 2);
    assert.match(short.stderr, /the token must be one word of at least 16 characters/);
    const noModel = fairkit('serve', '--model', join(folder, 'nothing'), '--port', '0');
    assert.equal(noModel.status, 2);
    assert.match(noModel.stderr, /model\.json: file not found/);
    assert.doesNotMatch(noModel.stderr, /\bat .*\.js:\d+/);
  });

  test('option values are checked before anything starts', () => {
    const run = fairkit('serve', '--model', folder, '--port', '70000');
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /--port must be at most 65535/);
  });
});

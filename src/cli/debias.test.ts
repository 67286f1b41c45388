import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fairkit } from './run-cli.test-helper.js';

const root = mkdtempSync(join(tmpdir(), 'fairkit-debias-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('fairkit debias', () => {
  const trained = join(root, 'erm');
  const debiased = join(root, 'debiased');

  test('fine-tunes inserted GroupMixNorm layers on a fraction of the same training split, reporting before and after', () => {
    const train = fairkit('train', '--epochs', '4', '--hidden', '16', '--seed', '5', '--out', trained, '--format', 'json');
    assert.equal(train.status, 0, train.stderr);
    const run = fairkit('debias', '--model', trained, '--fraction', '0.2', '--epochs', '3', '--out', debiased, '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    // "before" is the trained model on the very test split it was evaluated on in training: same data, same split.
    assert.deepEqual(summary.before, JSON.parse(train.stdout).test);
    assert.equal(summary.seed, 5);
    assert.ok(summary.fineTuneRows > 500 && summary.fineTuneRows < 700, `${summary.fineTuneRows} of the 3,000 training rows`);
    assert.notDeepEqual(summary.test.fairness, summary.before.fairness);
    const saved = JSON.parse(readFileSync(join(debiased, 'model.json'), 'utf8'));
    assert.equal(saved.architecture.kind, 'groupmixnorm-mlp');
    assert.ok(existsSync(join(debiased, 'metrics.json')));
    const report = fairkit('report', debiased);
    assert.equal(report.status, 0, report.stderr);
    assert.ok(existsSync(join(debiased, 'report.html')));
  });

  test('refuses another split, an already debiased model and a folder without a model, before training', () => {
    const cases: [string[], RegExp][] = [
      [['--model', trained, '--seed', '6'], /data, split or seed differ .* encoder does not match/],
      [['--model', debiased], /already has GroupMixNorm layers/],
      [['--model', join(root, 'nothing')], /model\.json.*not found/],
      [['--model', trained, '--fraction', '0'], /--fraction/],
    ];
    for (const [args, message] of cases) {
      const run = fairkit('debias', '--epochs', '1', ...args);
      assert.notEqual(run.status, 0, args.join(' '));
      assert.match(run.stderr.trim(), message);
      assert.doesNotMatch(run.stderr, /"event":"epoch"/, 'no training started');
    }
  });
});

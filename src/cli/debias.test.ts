import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fairkitInProcess } from './run-cli.test-helper.js';

const root = mkdtempSync(join(tmpdir(), 'fairkit-debias-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('fairkit debias', () => {
  const trained = join(root, 'erm');
  const debiased = join(root, 'debiased');

  test('fine-tunes inserted GroupMixNorm layers on a fraction of the same training split, reporting before and after', async () => {
    const train = await fairkitInProcess('train', '--epochs', '4', '--hidden', '16', '--seed', '5', '--out', trained, '--format', 'json');
    assert.equal(train.status, 0, train.stderr);
    const run = await fairkitInProcess('debias', '--model', trained, '--fraction', '0.2', '--epochs', '3', '--out', debiased, '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    // "before" is the trained model on the very test split it was evaluated on in training: same data, same split.
    assert.deepEqual(summary.before, JSON.parse(train.stdout).test);
    assert.equal(summary.seed, 5);
    assert.ok(summary.fineTuneRows > 500 && summary.fineTuneRows < 700, `${summary.fineTuneRows} of the 3,000 training rows`);
    assert.notDeepEqual(summary.test.fairness, summary.before.fairness);
    const saved = JSON.parse(readFileSync(join(debiased, 'model.json'), 'utf8'));
    assert.equal(saved.model.kind, 'groupmixnorm-mlp');
    assert.equal(saved.method.name, 'groupmixnorm-debias');
    assert.deepEqual(saved.method.needs, { groups: true });
    assert.deepEqual(saved.provenance.split, { fractions: [0.6, 0.2, 0.2], seed: 5 });
    assert.ok(existsSync(join(debiased, 'metrics.json')));
    const report = await fairkitInProcess('report', debiased);
    assert.equal(report.status, 0, report.stderr);
    assert.ok(existsSync(join(debiased, 'report.html')));
  });

  test('reads the seed, the synthetic data seed and the split fractions from model.json (metrics.json is not needed)', async () => {
    const other = join(root, 'erm-split');
    const train = await fairkitInProcess('train', '--epochs', '2', '--hidden', '8', '--seed', '3', '--data-seed', '7', '--split', '0.5,0.2,0.3', '--out', other, '--format', 'json');
    assert.equal(train.status, 0, train.stderr);
    assert.equal(JSON.parse(readFileSync(join(other, 'model.json'), 'utf8')).provenance.dataSeed, 7);
    rmSync(join(other, 'metrics.json'));
    const run = await fairkitInProcess('debias', '--model', other, '--epochs', '1', '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.seed, 3);
    assert.deepEqual(summary.before, JSON.parse(train.stdout).test, 'the same data (seed 7) and 0.5/0.2/0.3 split as in training');
  });

  test('a format version 1 folder (data in "extra", seed only in metrics.json) is still debiased', async () => {
    // model.json as fairkit 0.1 wrote it, from the version 2 folder trained above.
    const v2 = JSON.parse(readFileSync(join(trained, 'model.json'), 'utf8'));
    const { dataset, spec, positive } = v2.provenance;
    const v1 = {
      format: 'fairkit-model',
      formatVersion: 1,
      architecture: v2.model,
      weights: v2.weights.manifest,
      weightsFile: { bytes: v2.weights.bytes, sha256: v2.weights.sha256 },
      method: v2.method.name,
      params: v2.method.params,
      encoder: v2.encoder,
      extra: { dataset, spec, groups: { attributes: v2.groups.attributes, keys: v2.groups.keys }, positive },
    };
    const old = join(root, 'v1');
    mkdirSync(old);
    writeFileSync(join(old, 'model.json'), JSON.stringify(v1, null, 2));
    copyFileSync(join(trained, 'weights.bin'), join(old, 'weights.bin'));
    const withoutSeed = await fairkitInProcess('debias', '--model', old, '--epochs', '1');
    assert.notEqual(withoutSeed.status, 0);
    assert.match(withoutSeed.stderr, /v1: no training seed recorded \(model\.json or metrics\.json\)\. Give --seed/);
    copyFileSync(join(trained, 'metrics.json'), join(old, 'metrics.json'));
    const run = await fairkitInProcess('debias', '--model', old, '--fraction', '0.2', '--epochs', '1', '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.seed, 5);
    assert.deepEqual(summary.before, JSON.parse(readFileSync(join(trained, 'metrics.json'), 'utf8')).test);
  });

  test('refuses another split, an already debiased model and a folder without a model, before training', async () => {
    const cases: [string[], RegExp][] = [
      [['--model', trained, '--seed', '6'], /data, split or seed differ .* encoder does not match/],
      [['--model', debiased], /already has GroupMixNorm layers/],
      [['--model', join(root, 'nothing')], /model\.json.*not found/],
      [['--model', trained, '--fraction', '0'], /--fraction/],
    ];
    for (const [args, message] of cases) {
      const run = await fairkitInProcess('debias', '--epochs', '1', ...args);
      assert.notEqual(run.status, 0, args.join(' '));
      assert.match(run.stderr.trim(), message);
      assert.doesNotMatch(run.stderr, /"event":"epoch"/, 'no training started');
    }
  });
});

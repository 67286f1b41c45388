import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fairkitInProcess } from './run-cli.test-helper.js';

const root = mkdtempSync(join(tmpdir(), 'fairkit-bench-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
const out = join(root, 'run');
const journal = join(out, 'results.jsonl');
const quick = ['--methods', 'eor', '--lambdas', '1', '--seeds', '1', '--epochs', '1', '--workers', '2', '--progress', 'lines'];

test('bench runs erm and the methods, prints their numbers, and a rerun resumes with nothing left to do', async () => {
  const first = await fairkitInProcess('bench', ...quick, '--out', out);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /\[2\/2\] synthetic-biased /);
  assert.match(first.stdout, /^erm( \*)? +1 +\d+\.\d\d/m);
  assert.match(first.stdout, /^eor λ=1( \*)? +1 +\d+\.\d\d/m);
  assert.match(first.stdout, /Change against ERM, in points/);
  assert.match(first.stdout, /^eor λ=1 +1 +[+−]?\d+\.\d\d .*none/m);
  assert.match(first.stdout, /2 trials run, 0 already in/);
  assert.equal(readFileSync(journal, 'utf8').trimEnd().split('\n').length, 2);
  assert.ok(existsSync(join(out, 'bench.json')));
  const again = await fairkitInProcess('bench', ...quick, '--out', out);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /0 trials run, 2 already in/);
});

test('report writes the HTML, Markdown and charts of a bench folder', async () => {
  const result = await fairkitInProcess('report', out);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /wrote .*report\.html, .*report\.md, .*summary\.json and 5 charts/);
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /Last run: `fairkit bench --methods eor/);
});

test('bad input is one clear error line with exit code 2', async () => {
  const cases: [string[], RegExp][] = [
    [['--methods', 'nosuch'], /unknown method 'nosuch'. Known methods: erm/],
    [['--dataset', 'nosuch'], /--dataset: unknown data set 'nosuch'/],
    [['--cluster-split', 'unseen'], /--cluster-split: --cluster-split applies to cross-validation folds/],
    [['--clusters', 'nosuch', '--methods', 'medl'], /--clusters: unknown cluster column 'nosuch' in data set synthetic-biased/],
    [['--folds', '21', '--cluster-split', 'unseen'], /--folds: --folds 21 with --cluster-split unseen holds out whole clusters, but 'site' of data set 'synthetic-biased' has only 20 values/],
    [['--dataset', 'synthetic', '--methods', 'medl'], /--methods: method 'medl' need cluster ids, and data set 'synthetic' has no cluster column/],
    [['--dataset', 'synthetic', '--folds', '3', '--cluster-split', 'seen'], /--cluster-split seen needs a cluster column, and data set 'synthetic' has none/],
  ];
  for (const [args, message] of cases) {
    const result = await fairkitInProcess('bench', ...args, '--out', join(root, 'bad'));
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  }
  const oneFold = await fairkitInProcess('bench', '--folds', '1', '--out', join(root, 'bad'));
  assert.notEqual(oneFold.status, 0);
  assert.match(oneFold.stderr, /--folds must be at least 2, got 1/);
  writeFileSync(join(root, 'a-file'), '');
  const unwritable = await fairkitInProcess('bench', ...quick, '--out', join(root, 'a-file', 'sub'));
  assert.equal(unwritable.status, 2);
  assert.match(unwritable.stderr, /--out: output folder .* cannot be created or written/);
});

test('medl and fair-da run in bench on unseen-cluster folds: every test row falls back to fixed effects, and says so', async () => {
  const folded = join(root, 'medl');
  const run = await fairkitInProcess('bench', '--methods', 'medl,fair-da', '--lambdas', '1', '--folds', '2', '--cluster-split', 'unseen', '--epochs', '1', '--workers', '2', '--progress', 'lines', '--out', folded);
  assert.equal(run.status, 0, run.stderr);
  const entries = readFileSync(join(folded, 'results.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(entries.map((entry) => `${entry.trial.method} ${entry.trial.fold.index}`).sort(), ['erm 0', 'erm 1', 'fair-da 0', 'fair-da 1', 'medl 0', 'medl 1']);
  for (const { trial, result } of entries) {
    assert.deepEqual({ ...trial.fold, index: 0 }, { index: 0, of: 2, clusterSplit: 'unseen' });
    assert.ok(!('clusters' in trial), "synthetic-biased's own cluster column (site) is not recorded");
    assert.ok(result.notes.includes(`synthetic-biased: ${result.rows.test} of ${result.rows.test} test rows belong to a cluster without training rows (cluster id -1: a mixed-effects model predicts them with its fixed effects)`), result.notes.join('; '));
    assert.ok(typeof result.test.overall.balancedAccuracy === 'number' && typeof result.test.fairness.tprStd === 'number');
  }
  assert.match(run.stdout, /^medl +2 /m);
});

test('a corrupt journal line stops the bench with file and line, and loses no finished trial', async () => {
  const lines = readFileSync(journal, 'utf8').split('\n');
  const damaged = [lines[0].slice(0, 50), ...lines.slice(1)].join('\n');
  writeFileSync(journal, damaged);
  const result = await fairkitInProcess('bench', ...quick, '--out', out);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /results\.jsonl, line 1: not valid JSON/);
  assert.equal(readFileSync(journal, 'utf8'), damaged);
});

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fairkit } from './run-cli.test-helper.js';

const root = mkdtempSync(join(tmpdir(), 'fairkit-bench-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
const out = join(root, 'run');
const journal = join(out, 'results.jsonl');
const quick = ['--methods', 'eor', '--lambdas', '1', '--seeds', '1', '--epochs', '1', '--workers', '2', '--progress', 'lines'];

test('bench runs erm and the methods, prints their numbers, and a rerun resumes with nothing left to do', () => {
  const first = fairkit('bench', ...quick, '--out', out);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /\[2\/2\] synthetic-biased /);
  assert.match(first.stdout, /^erm( \*)? +1 +\d+\.\d\d/m);
  assert.match(first.stdout, /^eor λ=1( \*)? +1 +\d+\.\d\d/m);
  assert.match(first.stdout, /Change against ERM, in points/);
  assert.match(first.stdout, /^eor λ=1 +1 +[+−]?\d+\.\d\d .*none/m);
  assert.match(first.stdout, /2 trials run, 0 already in/);
  assert.equal(readFileSync(journal, 'utf8').trimEnd().split('\n').length, 2);
  assert.ok(existsSync(join(out, 'bench.json')));
  const again = fairkit('bench', ...quick, '--out', out);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /0 trials run, 2 already in/);
});

test('report writes the HTML, Markdown and charts of a bench folder', () => {
  const result = fairkit('report', out);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /wrote .*report\.html, .*report\.md, .*summary\.json and 5 charts/);
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /Last run: `fairkit bench --methods eor/);
});

test('bad input is one clear error line with exit code 2', () => {
  const cases: [string[], RegExp][] = [
    [['--methods', 'nosuch'], /unknown method 'nosuch'. Known methods: erm/],
    [['--dataset', 'nosuch'], /--dataset: unknown data set 'nosuch'/],
    [['--seeds', '2', '--folds', '3'], /--seeds and --folds cannot be combined/],
  ];
  for (const [args, message] of cases) {
    const result = fairkit('bench', ...args, '--out', join(root, 'bad'));
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  }
  writeFileSync(join(root, 'a-file'), '');
  const unwritable = fairkit('bench', ...quick, '--out', join(root, 'a-file', 'sub'));
  assert.equal(unwritable.status, 2);
  assert.match(unwritable.stderr, /--out: output folder .* cannot be created or written/);
});

test('a corrupt journal line stops the bench with file and line, and loses no finished trial', () => {
  const lines = readFileSync(journal, 'utf8').split('\n');
  const damaged = [lines[0].slice(0, 50), ...lines.slice(1)].join('\n');
  writeFileSync(journal, damaged);
  const result = fairkit('bench', ...quick, '--out', out);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /results\.jsonl, line 1: not valid JSON/);
  assert.equal(readFileSync(journal, 'utf8'), damaged);
});

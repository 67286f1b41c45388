import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fairkitInProcess } from './run-cli.test-helper.js';

const root = mkdtempSync(join(tmpdir(), 'fairkit-bench-regression-'));
after(() => rmSync(root, { recursive: true, force: true }));
const out = join(root, 'run');

test('bench on a regression data set: plan, run, aggregate and report with the regression metrics', async () => {
  const bench = await fairkitInProcess('bench', '--dataset', 'synthetic-regression', '--methods', 'penalty', '--lambdas', '1', '--seeds', '2', '--epochs', '2', '--workers', '2', '--progress', 'lines', '--out', out);
  assert.equal(bench.status, 0, bench.stderr);
  assert.match(bench.stderr, /\[4\/4\] synthetic-regression .*: RMSE \d+\.\d+, ΔMSE \d+\.\d+/);
  assert.match(bench.stdout, /test metrics on the target's scale/);
  assert.match(bench.stdout, /^method +runs +RMSE +R² +MAE +ΔMSE +Δ mean pred\./m);
  assert.match(bench.stdout, /^penalty λ=1( \*)? +2 +\d+\.\d{4} ± \d+\.\d{4}/m);
  const journal = readFileSync(join(out, 'results.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.equal(journal.length, 4);
  assert.ok(journal.every((entry) => entry.result.task === 'regression' && typeof entry.result.test.overall.rmse === 'number'));

  const report = await fairkitInProcess('report', out);
  assert.equal(report.status, 0, report.stderr);
  // Two trade-off planes, per-group mean prediction and error, training curves (no contribution chart).
  assert.match(report.stdout, /and 4 charts/);
  const links = [...readFileSync(join(out, 'report.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => match[1]);
  for (const chart of ['tradeoff-rmse-mse', 'tradeoff-rmse-mean-prediction', 'groups', 'curves']) {
    const link = links.find((candidate) => candidate.endsWith(`-${chart}.svg`));
    assert.ok(link && existsSync(join(out, link)), chart);
  }
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  for (const text of ['Trade-off: RMSE vs −ΔMSE', 'Trade-off: RMSE vs −Δ mean prediction', 'Per-group mean prediction and error', 'hypervolume RMSE × ΔMSE', 'lower is better', 'R²']) assert.ok(html.includes(text), text);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.equal(summary.studies[0].task, 'regression');
  assert.deepEqual(summary.studies[0].configs.map((config: { label: string }) => config.label), ['erm', 'penalty λ=1']);
});

test('a method that cannot train for regression is one clear error before anything runs', async () => {
  const folder = join(root, 'refused');
  const result = await fairkitInProcess('bench', '--dataset', 'synthetic-regression', '--methods', 'eor', '--seeds', '1', '--out', folder);
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /method 'eor' cannot train for regression.*erm, reweigh, penalty/);
  assert.equal(existsSync(folder), false, 'nothing was created');
});

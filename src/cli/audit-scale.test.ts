import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameAudit } from '../audit/audit-cells.test-helper.js';
import { auditTable } from '../audit/audit-table.js';
import { readTable } from '../data/csv.js';
import { fairkitInProcess } from './run-cli.test-helper.js';

const folder = mkdtempSync(join(tmpdir(), 'fairkit-audit-scale-'));
const loans = fileURLToPath(new URL('../../examples/synthetic-loans.csv', import.meta.url));
const columns = ['--label', 'approved', '--score', 'score', '--pred', 'decision', '--sensitive', 'group,region'];

async function ok(...args: string[]): Promise<string> {
  const run = await fairkitInProcess(...args);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

async function fails(pattern: RegExp, ...args: string[]): Promise<void> {
  const run = await fairkitInProcess(...args);
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, pattern);
}

/** Three shard files of the loans example, each through `fairkit audit --partial`. */
const [header, ...lines] = readFileSync(loans, 'utf8').trimEnd().split('\n');
const cuts = [0, 300, 1100, lines.length];
const states = cuts.slice(1).map((_, k) => join(folder, `shard-${k}.json`));

test('fairkit audit --partial on three shard files, then --merge: the one-pass JSON', async () => {
  for (const [k, end] of cuts.slice(1).entries()) {
    const shard = join(folder, `shard-${k}.csv`);
    writeFileSync(shard, `${header}\n${lines.slice(cuts[k], end).join('\n')}\n`);
    await ok('audit', shard, ...columns, '--partial', states[k]);
  }
  const merged = JSON.parse(await ok('audit', '--merge', ...states, '--format', 'json'));
  const table = await readTable(loans, { types: { score: 'numeric' } });
  const onePass = auditTable(table, { label: 'approved', score: 'score', pred: 'decision', sensitive: ['group', 'region'], source: loans });
  assertSameAudit(merged, JSON.parse(JSON.stringify(onePass)), 'merged JSON');
});

test('merged in a tree (--merge into --partial, then --merge), the one-pass table, with --privileged applied at the last merge', async () => {
  const pair = join(folder, 'pair.json');
  await ok('audit', '--merge', states[0], states[1], '--partial', pair);
  assert.equal(await ok('audit', '--merge', pair, states[2], '--privileged', 'majority,north'), await ok('audit', loans, ...columns, '--privileged', 'majority,north'));
});

test('fairkit audit --engine duckdb prints what the in-memory engine prints', async () => {
  assert.equal(await ok('audit', loans, ...columns, '--engine', 'duckdb', '--format', 'markdown'), await ok('audit', loans, ...columns, '--format', 'markdown'));
});

test('options the cell-based audit cannot honour are refused with the reason', async () => {
  await fails(/--label cannot be used with --merge/, 'audit', '--merge', states[0], '--label', 'approved');
  await fails(/--bootstrap resamples rows, which --engine duckdb does not keep/, 'audit', loans, ...columns, '--engine', 'duckdb', '--bootstrap', '10');
  await fails(/--partial audits classification only/, 'audit', loans, '--task', 'regression', '--label', 'income', '--pred', 'debt_ratio', '--sensitive', 'group', '--partial', states[0]);
  await fails(/--positive and --privileged are applied when the states are merged/, 'audit', loans, ...columns, '--partial', join(folder, 'x.json'), '--positive', '1');
});

test('missing --label, and shards made with different thresholds, are errors', async () => {
  await fails(/required option '--label <col>' not specified/, 'audit', loans, '--sensitive', 'group', '--pred', 'decision');
  const other = join(folder, 'threshold.json');
  await ok('audit', loans, ...columns, '--threshold', '0.3', '--partial', other);
  await fails(/cannot merge audit states made with different threshold \(0\.5 vs 0\.3\)/, 'audit', '--merge', states[0], other);
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateSynthetic } from '../data/synthetic.js';
import { initBackend } from '../nn/backend.js';
import { readJournal } from './journal.js';
import { JournalSink } from './journal-sink.js';
import { DatasetCache } from './open-trial-dataset.js';
import { planTrials } from './plan.js';
import { WorkerPool } from './pool.js';
import { createBenchProgress } from './progress.js';
import { datasetFingerprint, fairkitVersion } from './provenance.js';
import { runTrial } from './run-trial.js';
import { runTrials } from './runner.js';
import { makeTrial } from './trial.js';

const folder = mkdtempSync(join(tmpdir(), 'fairkit-runner-'));
const journalPath = join(folder, 'results.jsonl');
const silent = createBenchProgress('silent');
// erm and eor λ=1, seeds 0 and 1, one epoch each on the built-in synthetic data.
const trials = planTrials({ datasets: [{ name: 'synthetic', sensitive: ['group'] }], methods: ['eor'], lambdas: [1], repeats: { seeds: 2 }, protocol: 'gcm', training: { epochs: 1 } });
const run = (list = trials) => runTrials({ trials: list, executor: new WorkerPool(2, { backend: 'wasm' }), sink: JournalSink.open(journalPath), progress: silent });

before(async () => {
  await initBackend('wasm');
});
after(() => rmSync(folder, { recursive: true, force: true }));

test('a run records every trial once; a rerun runs nothing', async () => {
  const first = await run();
  assert.deepEqual({ ran: first.ran, skipped: first.skipped, failed: first.failed }, { ran: 4, skipped: 0, failed: [] });
  const recorded = readJournal(journalPath).entries;
  assert.deepEqual(recorded.map((entry) => entry.trial.id).sort(), trials.map((trial) => trial.id).sort());
  for (const { result } of recorded) {
    assert.deepEqual({ ...result.provenance, data: undefined }, { fairkit: fairkitVersion(), backend: 'wasm', node: process.version, data: undefined });
    assert.equal(result.provenance?.data, datasetFingerprint(generateSynthetic({ seed: 42 }).table));
  }
  const before = readFileSync(journalPath, 'utf8');
  const second = await run();
  assert.deepEqual({ ran: second.ran, skipped: second.skipped }, { ran: 0, skipped: 4 });
  assert.equal(readFileSync(journalPath, 'utf8'), before);
});

test('a worker gives the same result as running the trial in this thread', async () => {
  const recorded = readJournal(journalPath).entries.find((entry) => entry.trial.method === 'eor')!;
  const local = runTrial(recorded.trial, await new DatasetCache().open(recorded.trial));
  assert.deepEqual(local.test, recorded.result.test);
  assert.deepEqual(local.history?.map((epoch) => epoch.validation), recorded.result.history?.map((epoch) => epoch.validation));
  assert.ok((recorded.result.contribution ?? []).length > 0, 'contribution ratios are recorded');
});

test('after a kill mid-write the torn trial is run again and nothing is recorded twice', async () => {
  const lines = readFileSync(journalPath, 'utf8').trimEnd().split('\n');
  writeFileSync(journalPath, `${lines.slice(0, -1).join('\n')}\n${lines.at(-1)!.slice(0, 100)}`);
  const resumed = await run();
  assert.equal(resumed.ran, 1);
  assert.match(resumed.warnings[0], /dropped the incomplete last line 4/);
  const recorded = readJournal(journalPath);
  assert.deepEqual(recorded.warnings, []);
  assert.deepEqual(recorded.entries.map((entry) => entry.trial.id).sort(), trials.map((trial) => trial.id).sort());
});

test('a failing trial is reported, not recorded, and the others still run', async () => {
  const { id: _id, ...spec } = trials[0];
  const bad = makeTrial({ ...spec, method: 'nosuch', params: {} });
  const good = makeTrial({ ...spec, seed: 2 });
  const outcome = await run([bad, good]);
  assert.equal(outcome.ran, 1);
  assert.equal(outcome.failed.length, 1);
  assert.equal(outcome.failed[0].trial.id, bad.id);
  assert.equal(outcome.failed[0].userError, true);
  assert.match(outcome.failed[0].message, /unknown method 'nosuch'/);
  const ids = readJournal(journalPath).entries.map((entry) => entry.trial.id);
  assert.ok(ids.includes(good.id) && !ids.includes(bad.id));
});

/**
 * Trials on a BullMQ queue, against a Redis server started here on a free port (skipped with a message when
 * redis-server is not installed): the journal gets each trial once with what the local pool records, a worker
 * killed mid-trial loses nothing, and a queue that is not there is a clear error, not a hang.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { QueueEvents, type Worker } from 'bullmq';
import { FairkitError } from '../../errors.js';
import { readJournal } from '../journal.js';
import { JournalSink } from '../journal-sink.js';
import { planTrials } from '../plan.js';
import { WorkerPool } from '../pool.js';
import { createBenchProgress } from '../progress.js';
import { runTrials } from '../runner.js';
import type { ResultSink } from '../sink.js';
import { makeTrial, type JournalEntry, type TrialResult } from '../trial.js';
import { checkRedisReachable, connectionOptions, parseQueueUrl, QUEUE_NAME } from './connection.js';
import { QueueExecutor } from './queue-executor.js';
import { startQueueWorker } from './queue-worker.js';
import { freePort, redisMissing, startRedis, type TestRedis } from './redis-server.test-helper.js';

const silent = createBenchProgress('silent');
const folder = mkdtempSync(join(tmpdir(), 'fairkit-queue-'));
const plan = (seeds: number) => planTrials({ datasets: [{ name: 'synthetic', sensitive: ['group'] }], methods: ['eor'], lambdas: [1], repeats: { seeds }, protocol: 'gcm', training: { epochs: 1, hidden: [8] } });
const cli = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../cli/main.ts' : '../../cli/main.js', import.meta.url));

let redis: TestRedis | undefined;
before(async () => {
  if (!redisMissing) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** A result without what depends on the machine's speed. */
function withoutTimings(result: TrialResult): unknown {
  return { ...result, trainSeconds: undefined, history: result.history?.map((epoch) => ({ ...epoch, seconds: undefined })) };
}

class MemorySink implements ResultSink {
  readonly entries: JournalEntry[] = [];
  recordedIds = () => new Set<string>();
  append = (entry: JournalEntry) => void this.entries.push(entry);
  close = () => {};
}

test('two queue workers run every trial once, with the results the local pool records', { skip: redisMissing }, async () => {
  const trials = plan(1);
  const journal = join(folder, 'two-workers.jsonl');
  const address = parseQueueUrl(redis!.url);
  const workers = [0, 1].map(() => startQueueWorker(address, { concurrency: 1, backend: 'wasm', stallSeconds: 5 }));
  try {
    const outcome = await runTrials({ trials: [...trials, trials[0]], executor: await QueueExecutor.open(address), sink: JournalSink.open(journal), progress: silent });
    assert.deepEqual({ ran: outcome.ran, failed: outcome.failed }, { ran: trials.length, failed: [] });
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }
  const recorded = readJournal(journal);
  assert.deepEqual(recorded.warnings, [], 'no trial recorded twice');
  assert.deepEqual(recorded.entries.map((entry) => entry.trial.id).sort(), trials.map((trial) => trial.id).sort());

  const local = new MemorySink();
  await runTrials({ trials, executor: new WorkerPool(2, { backend: 'wasm' }), sink: local, progress: silent });
  for (const entry of local.entries) {
    const queued = recorded.entries.find((other) => other.trial.id === entry.trial.id)!;
    assert.deepEqual(queued.trial, entry.trial);
    assert.deepEqual(withoutTimings(queued.result), withoutTimings(entry.result));
  }

  // A rerun against the same queue finds every trial in the journal and queues nothing.
  const rerun = await runTrials({ trials, executor: await QueueExecutor.open(address), sink: JournalSink.open(journal), progress: silent });
  assert.deepEqual({ ran: rerun.ran, skipped: rerun.skipped }, { ran: 0, skipped: trials.length });
});

test('a worker process killed mid-trial: another worker runs the trial again, none lost, none recorded twice', { skip: redisMissing }, async () => {
  const trials = plan(3).filter((trial) => trial.method === 'erm');
  const journal = join(folder, 'killed.jsonl');
  const address = parseQueueUrl(redis!.url);
  const events = new QueueEvents(QUEUE_NAME, { connection: connectionOptions(address) });
  await events.waitUntilReady();
  const stalled: string[] = [];
  events.on('stalled', ({ jobId }) => stalled.push(jobId));
  // The first worker is a process of its own, alone on the queue: the first trial to go active is its trial.
  const doomed = spawn(process.execPath, [...(cli.endsWith('.ts') ? ['--import', 'tsx'] : []), cli, 'worker', '--queue', redis!.url, '--workers', '1', '--backend', 'wasm', '--stall-timeout', '1'], { stdio: 'ignore' });
  const killed = new Promise<string>((resolve) =>
    events.once('active', ({ jobId }) => {
      doomed.kill('SIGKILL');
      resolve(jobId);
    }),
  );
  let survivor: Worker | undefined;
  try {
    const executor = await QueueExecutor.open(address);
    const run = runTrials({ trials, executor, sink: JournalSink.open(journal), progress: silent });
    const killedId = await killed;
    survivor = startQueueWorker(address, { concurrency: 1, backend: 'wasm', stallSeconds: 1 });
    const outcome = await run;
    assert.deepEqual({ ran: outcome.ran, failed: outcome.failed }, { ran: trials.length, failed: [] });
    assert.ok(stalled.includes(killedId), `the killed worker's trial ${killedId} was found stalled (stalled: ${stalled.join(', ')})`);
  } finally {
    doomed.kill('SIGKILL');
    await survivor?.close();
    await events.close();
  }
  const recorded = readJournal(journal);
  assert.deepEqual(recorded.warnings, []);
  assert.deepEqual(recorded.entries.map((entry) => entry.trial.id).sort(), trials.map((trial) => trial.id).sort());
});

test('a failing trial is reported, not recorded, and queued again by the next run', { skip: redisMissing }, async () => {
  const broken = makeTrial({ dataset: 'no-such-data', sensitive: ['group'], protocol: 'gcm', method: 'erm', params: {}, seed: 0, fold: null, training: {} });
  const journal = join(folder, 'failing.jsonl');
  const address = parseQueueUrl(redis!.url);
  const worker = startQueueWorker(address, { concurrency: 1, backend: 'wasm', stallSeconds: 5 });
  try {
    for (const run of [1, 2]) {
      const outcome = await runTrials({ trials: [broken], executor: await QueueExecutor.open(address), sink: JournalSink.open(journal), progress: silent });
      assert.equal(outcome.ran, 0, `run ${run}`);
      assert.deepEqual(outcome.failed.map(({ trial }) => trial.id), [broken.id], `run ${run}`);
      assert.match(outcome.failed[0].message, /no-such-data/);
    }
  } finally {
    await worker.close();
  }
  assert.deepEqual(readJournal(journal).entries, []);
});

test('a bad queue URL or a Redis that is not there is a clear error, within the timeout', async () => {
  assert.throws(() => parseQueueUrl('localhost:6379'), (error) => error instanceof FairkitError && /--queue: 'localhost:6379' is not a redis:\/\/ URL/.test(error.message));
  assert.throws(() => parseQueueUrl('redis://host:6379/x'), /'x' in 'redis:\/\/host:6379\/x' is not a Redis database number/);
  const nobody = await freePort();
  await assert.rejects(checkRedisReachable(parseQueueUrl(`redis://127.0.0.1:${nobody}`), 2000), /cannot reach Redis at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  // Something that accepts the connection but never answers, like a firewall that swallows packets.
  const mute = createServer(() => {});
  await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
  const { port } = mute.address() as { port: number };
  const started = performance.now();
  try {
    await assert.rejects(checkRedisReachable(parseQueueUrl(`redis://127.0.0.1:${port}`), 300), /cannot reach Redis at 127\.0\.0\.1:\d+ \(no answer within 0\.3 s\)/);
    assert.ok(performance.now() - started < 3000);
  } finally {
    mute.close();
  }
});

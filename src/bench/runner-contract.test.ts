/**
 * The runner's contract, shown with an in-memory executor and sink (no workers, no files): what is resumed, what
 * is recorded, what is reported, and that executor and sink are always closed. runner.test.ts runs the real pool
 * and journal end to end.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrialFailure, type TrialExecutor } from './executor.js';
import type { BenchProgress } from './progress.js';
import { runTrials } from './runner.js';
import type { ResultSink } from './sink.js';
import { makeTrial, type JournalEntry, type Trial, type TrialResult } from './trial.js';

const trialWithSeed = (seed: number) => makeTrial({ dataset: 'synthetic', sensitive: ['group'], protocol: 'gcm', method: 'erm', params: {}, seed, fold: null, training: {} });
const [a, b, c] = [0, 1, 2].map(trialWithSeed);
const resultOf = (trial: Trial): TrialResult => ({ test: { overall: { seed: trial.seed }, fairness: {}, groups: [] }, trainSeconds: 0 });

/** Runs every trial at once with `behaviour` (default: succeed), remembering what it was asked to run. */
class MemoryExecutor implements TrialExecutor {
  readonly ran: string[] = [];
  closed = false;
  private readonly waiting: ((error: TrialFailure) => void)[] = [];

  constructor(private readonly behaviour: (trial: Trial) => 'ok' | 'hang' | Error = () => 'ok') {}

  run(trial: Trial): Promise<TrialResult> {
    this.ran.push(trial.id);
    const what = this.behaviour(trial);
    if (what === 'hang') return new Promise((_resolve, reject) => this.waiting.push(reject));
    return what === 'ok' ? Promise.resolve(resultOf(trial)) : Promise.reject(what);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const reject of this.waiting.splice(0)) reject(new TrialFailure('the executor was closed', false));
  }
}

class MemorySink implements ResultSink {
  readonly entries: JournalEntry[] = [];
  closed = false;

  constructor(private readonly recorded: string[] = [], readonly warnings: string[] = [], private readonly failAppend = false) {}

  recordedIds(): ReadonlySet<string> {
    return new Set(this.recorded);
  }

  async append(entry: JournalEntry): Promise<void> {
    if (this.failAppend) throw new Error('disk full');
    this.entries.push(entry);
  }

  close(): void {
    this.closed = true;
  }
}

/** Progress that remembers which trials it was told finished or failed. */
function spyProgress() {
  const seen = { finished: [] as string[], failed: [] as string[] };
  const progress: BenchProgress = {
    start: () => {},
    stop: () => {},
    finished: (trial) => void seen.finished.push(trial.id),
    failed: (trial) => void seen.failed.push(trial.id),
  };
  return Object.assign(progress, { seen });
}

test('a resumed run skips the recorded ids and runs the rest', async () => {
  const executor = new MemoryExecutor();
  const sink = new MemorySink([a.id], ['journal: dropped a torn line']);
  const outcome = await runTrials({ trials: [a, b, c], executor, sink, progress: spyProgress() });
  assert.deepEqual(executor.ran, [b.id, c.id]);
  assert.deepEqual(sink.entries.map((entry) => entry.trial.id).sort(), [b.id, c.id].sort());
  assert.deepEqual(sink.entries.find((entry) => entry.trial.id === b.id)?.result, resultOf(b));
  assert.deepEqual({ ran: outcome.ran, skipped: outcome.skipped, failed: outcome.failed, warnings: outcome.warnings }, { ran: 2, skipped: 1, failed: [], warnings: ['journal: dropped a torn line'] });
  assert.ok(executor.closed && sink.closed);
});

test('failed trials are reported, not recorded; the others are recorded', async () => {
  const executor = new MemoryExecutor((trial) => (trial === a ? new TrialFailure('bad parameter', true) : trial === b ? new Error('out of memory') : 'ok'));
  const sink = new MemorySink();
  const progress = spyProgress();
  const outcome = await runTrials({ trials: [a, b, c], executor, sink, progress });
  assert.deepEqual(sink.entries.map((entry) => entry.trial.id), [c.id]);
  assert.equal(outcome.ran, 1);
  assert.deepEqual(
    outcome.failed.map(({ trial, message, userError }) => ({ id: trial.id, message, userError })),
    [
      { id: a.id, message: 'bad parameter', userError: true },
      { id: b.id, message: 'out of memory', userError: false },
    ],
  );
  assert.deepEqual(progress.seen.failed, [a.id, b.id]);
  assert.deepEqual(progress.seen.finished, [c.id]);
});

test('a trial listed twice runs once', async () => {
  const executor = new MemoryExecutor();
  const sink = new MemorySink();
  const outcome = await runTrials({ trials: [a, b, a, b, a], executor, sink, progress: spyProgress() });
  assert.deepEqual(executor.ran, [a.id, b.id]);
  assert.equal(outcome.ran, 2);
  assert.equal(sink.entries.length, 2);
});

test('nothing pending: nothing runs, and executor and sink are still closed', async () => {
  const executor = new MemoryExecutor();
  const sink = new MemorySink([a.id, b.id]);
  const outcome = await runTrials({ trials: [a, b], executor, sink, progress: spyProgress() });
  assert.deepEqual(executor.ran, []);
  assert.deepEqual({ ran: outcome.ran, skipped: outcome.skipped }, { ran: 0, skipped: 2 });
  assert.ok(executor.closed && sink.closed);
});

test('a sink that cannot record stops the run; the trials cut off in flight are not reported as failures', async () => {
  const executor = new MemoryExecutor((trial) => (trial === a ? 'ok' : 'hang'));
  const sink = new MemorySink([], [], true);
  const progress = spyProgress();
  await assert.rejects(runTrials({ trials: [a, b, c], executor, sink, progress }), /disk full/);
  assert.deepEqual(executor.ran, [a.id, b.id, c.id]);
  assert.ok(executor.closed && sink.closed);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(progress.seen.failed, []);
  assert.deepEqual(progress.seen.finished, []);
});

/**
 * Trials per minute on a BullMQ queue (one and two `fairkit worker`s, each one trial at a time, in this process)
 * against the local worker pool with one and two threads, on the same trials: ERM on the built-in synthetic data,
 * protocol gcm, 5 epochs, seeds 0..n-1. Each queue run gets a fresh Redis (started here on a free port), so no
 * result is served from an earlier run. Worker start-up (TensorFlow.js on wasm) is counted in every mode.
 *
 * Run: node --import tsx bench/perf/queue.ts [--trials 12]
 */
import { pathToFileURL } from 'node:url';
import type { TrialExecutor } from '../../src/bench/executor.js';
import { planTrials } from '../../src/bench/plan.js';
import { WorkerPool } from '../../src/bench/pool.js';
import { createBenchProgress } from '../../src/bench/progress.js';
import { parseQueueUrl } from '../../src/bench/queue/connection.js';
import { QueueExecutor } from '../../src/bench/queue/queue-executor.js';
import { startQueueWorker } from '../../src/bench/queue/queue-worker.js';
import { redisMissing, startRedis } from '../../src/bench/queue/redis-server.test-helper.js';
import { runTrials } from '../../src/bench/runner.js';
import type { ResultSink } from '../../src/bench/sink.js';

const nowhere: ResultSink = { recordedIds: () => new Set(), append: () => {}, close: () => {} };

async function timed(trials: ReturnType<typeof planTrials>, executor: TrialExecutor): Promise<number> {
  const started = performance.now();
  const outcome = await runTrials({ trials, executor, sink: nowhere, progress: createBenchProgress('silent') });
  if (outcome.failed.length > 0) throw new Error(`${outcome.failed.length} trials failed: ${outcome.failed[0].message}`);
  return (trials.length / (performance.now() - started)) * 60_000;
}

async function onQueue(trials: ReturnType<typeof planTrials>, workers: number): Promise<number> {
  const redis = await startRedis();
  const address = parseQueueUrl(redis.url);
  const started = Array.from({ length: workers }, () => startQueueWorker(address, { concurrency: 1, backend: 'wasm', stallSeconds: 30 }));
  try {
    return await timed(trials, await QueueExecutor.open(address));
  } finally {
    await Promise.all(started.map((worker) => worker.close()));
    await redis.stop();
  }
}

export async function benchmarkQueue(argv: string[] = []): Promise<void> {
  if (redisMissing) {
    console.log(`queue: skipped, ${redisMissing}`);
    return;
  }
  const at = argv.indexOf('--trials');
  const count = at >= 0 ? Number(argv[at + 1]) : 12;
  const trials = planTrials({ datasets: [{ name: 'synthetic', sensitive: ['group'] }], methods: ['erm'], lambdas: 'defaults', repeats: { seeds: count }, protocol: 'gcm', training: { epochs: 5 } });
  const rows: [string, number][] = [
    ['local pool, 1 thread', await timed(trials, new WorkerPool(1, { backend: 'wasm' }))],
    ['local pool, 2 threads', await timed(trials, new WorkerPool(2, { backend: 'wasm' }))],
    ['queue, 1 worker', await onQueue(trials, 1)],
    ['queue, 2 workers', await onQueue(trials, 2)],
  ];
  console.log(`queue: ${trials.length} trials (synthetic, erm, gcm, 5 epochs, seeds 0..${count - 1}), trials per minute`);
  for (const [label, perMinute] of rows) console.log(`  ${label.padEnd(22)} ${perMinute.toFixed(1).padStart(7)}  (${(perMinute / rows[0][1]).toFixed(2)}× the 1-thread pool)`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await benchmarkQueue(process.argv.slice(2));

/**
 * `fairkit serve` under load (autocannon against localhost): requests/s and p50/p99 latency at batch 1 and batch 100,
 * with the durable state (--state: fsync before every answer, group commit) and without it, and the ratios. The
 * server is a child process, as deployed; the model is a tiny F-Layer model (so its online stream runs on every
 * request) trained on examples/synthetic-loans.csv with seed 4.
 *
 * The issue's goals: ≥ 5,000 requests/s at batch 1 with p99 ≤ 10 ms on 2 cores; persistence costing ≤ 25%.
 *
 * Run: node --import tsx bench/perf/serve.ts [--seconds 5] [--connections 10]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { exampleRecords, trainTinyModel } from '../../src/serve/serve.test-helper.js';

const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

interface Measured {
  label: string;
  requestsPerSecond: number;
  rowsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function startServer(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--port', '0', '--backend', 'wasm', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`fairkit serve exited (${code}): ${stderr}`)));
  });
  return { url, stop: async () => void (child.kill('SIGTERM'), await exited) };
}

async function load(label: string, url: string, body: string, rows: number, seconds: number, connections: number): Promise<Measured> {
  const options = { url: `${url}/v1/predict`, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body, connections, duration: seconds };
  await autocannon({ ...options, duration: 1 }); // warm-up, not counted
  const result = await autocannon(options);
  return { label, requestsPerSecond: result.requests.average, rowsPerSecond: result.requests.average * rows, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

export async function benchmarkServe(argv: string[] = []): Promise<void> {
  const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
  const seconds = option('--seconds', 5);
  const connections = option('--connections', 10);
  const folder = await mkdtemp(join(tmpdir(), 'fairkit-bench-serve-'));
  try {
    const modelDir = join(folder, 'flayer');
    trainTinyModel(modelDir, 'flayer');
    const records = exampleRecords();
    const results: Measured[] = [];
    for (const batch of [1, 100]) {
      const body = JSON.stringify({ rows: records.slice(0, batch) });
      for (const persistent of [false, true]) {
        const server = await startServer(['--model', modelDir, ...(persistent ? ['--state', join(folder, `state-${batch}`)] : [])]);
        try {
          results.push(await load(`batch ${String(batch).padStart(3)}, ${persistent ? 'durable state' : 'in memory   '}`, server.url, body, batch, seconds, connections));
        } finally {
          await server.stop();
        }
      }
    }
    console.log(`fairkit serve: flayer model, ${connections} connections, ${seconds} s per run (autocannon, localhost; server and load generator share the machine)`);
    for (const r of results) console.log(`${r.label}  ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s  ${r.rowsPerSecond.toFixed(0).padStart(7)} rows/s  p50 ${r.p50} ms  p99 ${r.p99} ms${r.errors ? `  ${r.errors} errors` : ''}`);
    for (let i = 0; i < results.length; i += 2) {
      const [memory, durable] = [results[i], results[i + 1]];
      console.log(`${durable.label.split(',')[0]}: durable/in-memory req/s ${(durable.requestsPerSecond / memory.requestsPerSecond).toFixed(2)}×, p99 ${(durable.p99 / memory.p99).toFixed(2)}×`);
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkServe(process.argv.slice(2));
}

/**
 * `fairkit serve` under load (autocannon against localhost): requests/s and p50/p99 latency at batch 1 and batch 100,
 * with the durable state (--state: fsync before every answer, group commit) and without it, and the ratios. The
 * server is a child process, as deployed; the model is a tiny F-Layer model (so its online stream runs on every
 * request) trained on examples/synthetic-loans.csv with seed 4.
 *
 * The issue's goals: ≥ 5,000 requests/s at batch 1 with p99 ≤ 10 ms on 2 cores; persistence costing ≤ 25%.
 *
 * On a shared machine absolute figures drift from run to run: `--rounds N` repeats every measurement N times,
 * interleaved, and reports medians; `--baseline PATH` (the `dist/cli/main.js` of another build, e.g. an earlier
 * commit's) measures that build in the same rounds, so the two compare under the same load.
 *
 * Run: node --import tsx bench/perf/serve.ts [--seconds 5] [--connections 10] [--rounds 1] [--cli dist/cli/main.js] [--baseline PATH]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { exampleRecords, trainTinyModel } from '../../src/serve/serve.test-helper.js';

const sourceCli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

interface Measured {
  label: string;
  requestsPerSecond: number;
  rowsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** The server's CPU time (user + system) per request: unlike requests/s, barely moved by other load on the machine. */
  cpuMsPerRequest: number;
}

/** A process's CPU time so far in ms, from /proc (Linux; NaN elsewhere). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

async function startServer(cli: string, args: string[]): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const node = cli.endsWith('.ts') ? ['--import', 'tsx', cli] : [cli];
  const child = spawn(process.execPath, [...node, 'serve', '--port', '0', '--backend', 'wasm', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
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
  return { url, pid: child.pid!, stop: async () => void (child.kill('SIGTERM'), await exited) };
}

async function load(label: string, server: { url: string; pid: number }, body: string, rows: number, seconds: number, connections: number): Promise<Measured> {
  const options = { url: `${server.url}/v1/predict`, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body, connections, duration: seconds };
  await autocannon({ ...options, duration: 1 }); // warm-up, not counted
  const cpuBefore = cpuMs(server.pid);
  const result = await autocannon(options);
  const cpuMsPerRequest = (cpuMs(server.pid) - cpuBefore) / result.requests.total;
  return { label, requestsPerSecond: result.requests.average, rowsPerSecond: result.requests.average * rows, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx, cpuMsPerRequest };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export async function benchmarkServe(argv: string[] = []): Promise<void> {
  const option = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
  const seconds = Number(option('--seconds', '5'));
  const connections = Number(option('--connections', '10'));
  const rounds = Number(option('--rounds', '1'));
  const builds = [{ name: 'this build', cli: option('--cli', sourceCli) }, ...(argv.includes('--baseline') ? [{ name: 'baseline', cli: option('--baseline', '') }] : [])];
  const folder = await mkdtemp(join(tmpdir(), 'fairkit-bench-serve-'));
  try {
    const modelDir = join(folder, 'flayer');
    trainTinyModel(modelDir, 'flayer');
    const records = exampleRecords();
    const runs = new Map<string, Measured[]>();
    const configs = [1, 100].flatMap((batch) => [false, true].map((persistent) => ({ batch, persistent, label: `batch ${String(batch).padStart(3)}, ${persistent ? 'durable state' : 'in memory   '}` })));
    for (let round = 0; round < rounds; round++) {
      for (const { batch, persistent, label } of configs) {
        const body = JSON.stringify({ rows: records.slice(0, batch) });
        for (const build of builds) {
          const server = await startServer(build.cli, ['--model', modelDir, ...(persistent ? ['--state', join(folder, `state-${build.name}-${batch}-${round}`)] : [])]);
          try {
            const key = `${build.name}: ${label}`;
            runs.set(key, [...(runs.get(key) ?? []), await load(key, server, body, batch, seconds, connections)]);
          } finally {
            await server.stop();
          }
        }
      }
    }
    const of = (build: string, label: string): Measured => {
      const measured = runs.get(`${build}: ${label}`)!;
      return { label: `${build}: ${label}`, requestsPerSecond: median(measured.map((m) => m.requestsPerSecond)), rowsPerSecond: median(measured.map((m) => m.rowsPerSecond)), p50: median(measured.map((m) => m.p50)), p99: median(measured.map((m) => m.p99)), errors: measured.reduce((sum, m) => sum + m.errors, 0), cpuMsPerRequest: median(measured.map((m) => m.cpuMsPerRequest)) };
    };
    console.log(`fairkit serve: flayer model, ${connections} connections, ${seconds} s per run, ${rounds === 1 ? 'one round' : `medians of ${rounds} interleaved rounds`} (autocannon, localhost; server and load generator share the machine; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
    for (const build of builds) {
      for (const { label } of configs) {
        const r = of(build.name, label);
        console.log(`${r.label}  ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s  ${r.rowsPerSecond.toFixed(0).padStart(7)} rows/s  p50 ${r.p50} ms  p99 ${r.p99} ms  server CPU ${r.cpuMsPerRequest.toFixed(3)} ms/request${r.errors ? `  ${r.errors} errors` : ''}`);
      }
      for (const batch of ['batch   1', 'batch 100']) {
        const [memory, durable] = configs.filter(({ label }) => label.startsWith(batch)).map(({ label }) => of(build.name, label));
        console.log(`${build.name}: ${batch}: durable/in-memory req/s ${(durable.requestsPerSecond / memory.requestsPerSecond).toFixed(2)}×, p99 ${(durable.p99 / memory.p99).toFixed(2)}×, server CPU per request ${(durable.cpuMsPerRequest / memory.cpuMsPerRequest).toFixed(2)}×`);
      }
    }
    if (builds.length === 2) {
      for (const { label } of configs) {
        const [mine, base] = builds.map((build) => of(build.name, label));
        console.log(`${label}: this build/baseline req/s ${(mine.requestsPerSecond / base.requestsPerSecond).toFixed(2)}×, p99 ${(mine.p99 / base.p99).toFixed(2)}×, server CPU per request ${(mine.cpuMsPerRequest / base.cpuMsPerRequest).toFixed(2)}×`);
      }
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkServe(process.argv.slice(2));
}

/**
 * Where the CPU of a two-thread erm epoch goes (docs/speed.md "Why epochs do not gain"): erm on Adult (MLP 200,
 * batch 2000) on the threaded wasm backend with the fast kernel on one thread and split over two, and with TF.js's
 * matMul, alternating epochs in one process; per configuration the process CPU and wall time per epoch (medians) and
 * each thread's CPU over the timed epochs (Linux's /proc/self/task). Run twice, by child processes: XNNPACK's pool at
 * one thread (the default while the fast kernel is on) and at two (FAIRKIT_FAST_MATMUL=0 at the start; the script
 * installs the fast kernel itself).
 *
 * Run: node --import tsx bench/perf/pool-threads.ts [--rounds 7]
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { loadDataset } from '../../src/data/loaders/index.js';
import { prepareDataset } from '../../src/data/prepare.js';
import { erm } from '../../src/methods/erm.js';
import { initBackend } from '../../src/nn/backend.js';
import { installFastMatMul, setFastMatMulEnabled, setFastMatMulThreads } from '../../src/nn/fast-matmul.js';
import { fit } from '../../src/train/fit.js';
import { adultDataDirOrSkip } from './epoch-rounds.js';

const CONFIGURATIONS = ['fast, 1 thread', 'fast, 2 threads', 'TF.js matMul'] as const;
const argv = process.argv.slice(2);
const rounds = argv.includes('--rounds') ? Number(argv[argv.indexOf('--rounds') + 1]) : 7;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/** CPU milliseconds of each thread of this process, by "id:name". */
function threadCpu(): Map<string, number> {
  const ticksToMs = 10; // USER_HZ is 100 on Linux
  return new Map(readdirSync('/proc/self/task').map((id) => {
    const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [`${id}:${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}`, (Number(fields[11]) + Number(fields[12])) * ticksToMs];
  }));
}

async function child(dataDir: string): Promise<void> {
  await initBackend('wasm', { threads: 2 });
  installFastMatMul();
  const { train } = prepareDataset(await loadDataset('adult', dataDir), { seed: 0 });
  const results = CONFIGURATIONS.map(() => ({ wall: [] as number[], cpu: [] as number[], threads: new Map<string, number>() }));
  // Round 0 warms up; the order alternates so that neither configuration always runs first.
  for (let round = 0; round <= rounds; round++) {
    for (const c of round % 2 ? [2, 1, 0] : [0, 1, 2]) {
      setFastMatMulEnabled(c < 2);
      if (c < 2) setFastMatMulThreads(c + 1);
      const threadsBefore = threadCpu();
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      fit({ method: erm, params: {}, train, options: { hidden: [200], batchSize: 2000, learningRate: 1e-3, epochs: 1, seed: round, progress: 'silent' } }).model.dispose();
      const used = process.cpuUsage(cpuBefore);
      if (round === 0) continue;
      results[c].wall.push(performance.now() - started);
      results[c].cpu.push((used.user + used.system) / 1000);
      for (const [thread, ms] of threadCpu()) results[c].threads.set(thread, (results[c].threads.get(thread) ?? 0) + ms - (threadsBefore.get(thread) ?? 0));
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
  console.log(`  XNNPACK pool ${getThreadsCount()} thread(s); load average at end ${load()}`);
  CONFIGURATIONS.forEach((name, c) => {
    const busy = [...results[c].threads].filter(([, ms]) => ms >= 50).map(([thread, ms]) => `${thread} ${ms}`).join(', ');
    console.log(`    ${name.padEnd(16)} ${median(results[c].cpu).toFixed(1)} ms CPU, ${median(results[c].wall).toFixed(1)} ms wall per epoch; threads with ≥ 50 ms CPU over ${rounds} epochs: ${busy}`);
  });
}

const dataDir = adultDataDirOrSkip('pool-threads');
if (dataDir !== null) {
  if (argv.includes('--child')) await child(dataDir);
  else {
    console.log(`pool-threads: erm epochs on Adult, threaded backend with 2 threads; load average at start ${load()}`);
    for (const fastByDefault of ['1', '0']) {
      const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', '--rounds', String(rounds)];
      process.stdout.write(execFileSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, FAIRKIT_FAST_MATMUL: fastByDefault } }));
    }
  }
}

/**
 * Wall clock and process CPU time (user + system, every thread) per erm epoch on Adult (seed 0 split; MLP 200, batch
 * 2000, Adam 1e-3, the default kernel, not the fused step) with the wasm backend at `--threads N`, and the share of
 * the fast kernel's split chunks its helper threads computed; round 0 is a warm-up, medians of the rest. One thread
 * count per process (the backend starts once): run old and new builds (`--dist DIR`, as cpu-per-epoch.ts) and thread
 * counts in alternating processes. On a shared machine the wall clock of two threads depends on whether the OS runs
 * the helper thread at all; CPU time shows the work, and the calling thread's own CPU time (Linux: /proc/thread-self,
 * 10 ms ticks, so summed over the timed rounds) shows how much of it left the calling thread. Skips (with a message)
 * without the Adult data.
 *
 * Run: node --import tsx bench/perf/erm-threads.ts [--threads 2] [--rounds 5] [--epochs 1] [--dist DIR]
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { adultDataDirOrSkip, roundsAndEpochs, trainingModules } from './epoch-rounds.js';

const THREAD_STAT = '/proc/thread-self/stat';
/** The calling thread's user + system CPU seconds (USER_HZ ticks of 10 ms), or NaN where /proc is not there. */
function callingThreadCpu(): number {
  if (!existsSync(THREAD_STAT)) return Number.NaN;
  // Fields after the command name (in parentheses): utime and stime are the 12th and 13th.
  const fields = readFileSync(THREAD_STAT, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function benchmarkErmThreads(argv: string[] = []): Promise<void> {
  const dataDir = adultDataDirOrSkip('erm-threads');
  if (dataDir === null) return;
  const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const { rounds, epochs } = roundsAndEpochs(argv, 1);
  const threads = Number(option('--threads') ?? '2');
  const dist = option('--dist');
  const { from, initBackend, openDataset, prepareDataset, getMethod, fit } = await trainingModules(dist);
  const { fastMatMulChunks } = await from('nn/fast-matmul');
  await initBackend('wasm', { threads });
  const train = prepareDataset(await openDataset({ dataset: 'adult', dataDir }), { seed: 0 }).train;
  const [wall, cpu]: number[][] = [[], []];
  let [ownCpu, ownStart] = [0, 0];
  for (let round = 0; round < rounds; round++) {
    let [cpuStart, wallStart] = [process.cpuUsage(), performance.now()];
    let [cpuSum, wallSum] = [0, 0];
    const timer = {
      onEpochBegin: () => ([cpuStart, wallStart, ownStart] = [process.cpuUsage(), performance.now(), callingThreadCpu()]),
      onEpochEnd: () => {
        const used = process.cpuUsage(cpuStart);
        cpuSum += (used.user + used.system) / 1e6;
        wallSum += (performance.now() - wallStart) / 1e3;
        if (round > 0) ownCpu += callingThreadCpu() - ownStart;
      },
    };
    const options = { hidden: [200], batchSize: 2000, learningRate: 1e-3, epochs, seed: round, progress: 'silent' };
    fit({ method: getMethod('erm'), params: {}, train, options, callbacks: [timer] }).model.dispose();
    if (round > 0) [wall, cpu].forEach((values, i) => values.push((i === 0 ? wallSum : cpuSum) / epochs));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const chunks = fastMatMulChunks() as { byHelpers: number; total: number };
  const list = (values: number[]) => values.map((v) => v.toFixed(3)).join(' ');
  console.log(`erm-threads${dist ? ` (${dist})` : ''}: adult, ${threads} thread(s), median of ${rounds - 1} rounds of ${epochs} epoch(s), load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`  wall ${median(wall).toFixed(3)} s/epoch [${list(wall)}]; CPU ${median(cpu).toFixed(3)} s/epoch [${list(cpu)}]; calling thread CPU ${(ownCpu / ((rounds - 1) * epochs)).toFixed(3)} s/epoch (mean); helper chunks ${chunks.byHelpers} of ${chunks.total}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkErmThreads(process.argv.slice(2));
}

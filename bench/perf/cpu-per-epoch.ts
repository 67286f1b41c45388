/**
 * Process CPU time (user + system) per epoch of erm and the named methods on Adult (seed 0 split; MLP 200, batch
 * 2000, Adam 1e-3, default parameters and matMul), in one process: each round fits every method in turn, in
 * alternating order; round 0 is a warm-up. Only the epoch loop is timed (onEpochBegin to onEpochEnd), and CPU time
 * counts the work of every thread of the process and, unlike wall clock, hardly moves with other processes' load on a
 * shared machine. The mixed-effects methods get Adult with occupation as their cluster (not a feature), as in
 * methods.ts. `--dist DIR` loads fairkit from another build (e.g. a copy of an older dist/, with its wasm/build/
 * beside it) so old and new code can be run in alternating processes with the same script. Skips (with a message)
 * without the Adult data.
 *
 * Run: node --import tsx bench/perf/cpu-per-epoch.ts [--only gcm,iga,grad-align,fairmixup] [--rounds 3] [--epochs 1] [--dist DIR]
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { adultDataDirOrSkip, roundsAndEpochs, trainingModules } from './epoch-rounds.js';

export async function benchmarkCpuPerEpoch(argv: string[] = []): Promise<void> {
  const dataDir = adultDataDirOrSkip('cpu-per-epoch');
  if (dataDir === null) return;
  const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const { rounds, epochs } = roundsAndEpochs(argv, 1);
  const only = (option('--only') ?? 'gcm,iga,grad-align,fairmixup').split(',');
  const dist = option('--dist');
  const { initBackend, openDataset, prepareDataset, getMethod, fit } = await trainingModules(dist);
  const backend = await initBackend('wasm');
  const train = prepareDataset(await openDataset({ dataset: 'adult', dataDir }), { seed: 0 }).train;
  const clustered = prepareDataset(await openDataset({ dataset: 'adult', dataDir, drop: ['occupation'], cluster: 'occupation' }), { seed: 0 }).train;
  const names: string[] = ['erm', ...only.filter((name) => name !== 'erm')];
  const methods = names.map((name) => getMethod(name));
  const seconds = names.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      let start = process.cpuUsage();
      let cpu = 0;
      const timer = {
        onEpochBegin: () => (start = process.cpuUsage()),
        onEpochEnd: () => {
          const used = process.cpuUsage(start);
          cpu += (used.user + used.system) / 1e6;
        },
      };
      const options = { hidden: [200], batchSize: 2000, learningRate: 1e-3, epochs, seed: round, progress: 'silent' };
      fit({ method: methods[i], params: {}, train: methods[i].needs?.clusters ? clustered : train, options, callbacks: [timer] }).model.dispose();
      if (round > 0) seconds[i].push(cpu / epochs);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const erm = median(seconds[0]);
  console.log(`cpu-per-epoch${dist ? ` (${dist})` : ''}: adult, ${backend}, CPU s per epoch, median of ${rounds - 1} rounds of ${epochs} epoch(s), load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  names.forEach((name, i) => console.log(`  ${name.padEnd(14)} median ${median(seconds[i]).toFixed(3)} s  ${(median(seconds[i]) / erm).toFixed(2)}× erm  [${seconds[i].map((v) => v.toFixed(3)).join(' ')}]`));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkCpuPerEpoch(process.argv.slice(2));
}

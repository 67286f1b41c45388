/**
 * Process CPU time (user + system) of one epoch's loop, for erm and the named methods alternating in one process:
 * Adult (seed 0 split), MLP 200, batch 2000, Adam 1e-3, default parameters, the default matMul. A machine shared with
 * other jobs makes wall-clock ratios noisy; CPU time of the epoch itself (onEpochBegin to onEpochEnd) is steadier.
 * `--dist DIR` loads fairkit from another build (e.g. a copy of an older dist/) so old and new code can be run in
 * alternating processes with the same script; round 0 is a warm-up.
 *
 * Run: node --import tsx bench/perf/cpu-per-epoch.ts --only fairmixup [--rounds 5] [--dist /path/to/dist]
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { roundsAndEpochs } from './epoch-rounds.js';

const argv = process.argv.slice(2);
const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const { rounds } = roundsAndEpochs([...argv, '--epochs', '1']);
const only = (option('--only') ?? 'fairmixup').split(',');
const dist = option('--dist');
const from = (module: string) => import(dist ? pathToFileURL(resolve(dist, `${module}.js`)).href : `../../src/${module}.js`);

const { initBackend } = await from('nn/backend');
const { openDataset } = await from('data/open-dataset');
const { prepareDataset } = await from('data/prepare');
const { listMethods } = await from('methods/registry');
const { fit } = await from('train/fit');
await initBackend('wasm');
const train = prepareDataset(await openDataset({ dataset: 'adult' }), { seed: 0 }).train;
const methods = listMethods().filter((m: { name: string }) => m.name === 'erm' || only.includes(m.name));
const seconds = new Map<string, number[]>();
for (let round = 0; round < rounds; round++) {
  for (const method of methods) {
    let start = process.cpuUsage();
    let cpu = 0;
    const timer = { onEpochBegin: () => (start = process.cpuUsage()), onEpochEnd: () => { const used = process.cpuUsage(start); cpu = (used.user + used.system) / 1e6; } };
    const fitted = fit({ method, params: {}, train, options: { hidden: [200], batchSize: 2000, learningRate: 1e-3, epochs: 1, seed: round, progress: 'silent' }, callbacks: [timer] });
    fitted.model.dispose();
    if (round > 0) seconds.set(method.name, [...(seconds.get(method.name) ?? []), cpu]);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const erm = median(seconds.get('erm')!);
console.log(`cpu-per-epoch${dist ? ` (${dist})` : ''}: ${rounds - 1} timed rounds, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const [name, values] of seconds) console.log(`  ${name.padEnd(14)} median ${median(values).toFixed(3)} s  ${(median(values) / erm).toFixed(2)}× erm  [${values.map((v) => v.toFixed(3)).join(' ')}]`);

/**
 * Process CPU time (user + system) per epoch of some methods against erm on Adult (MLP 200, Adam 1e-3, batch 2000,
 * default parameters and kernel), in one process: each round fits erm and every method for two epochs, in alternating
 * order; the first round is a warm-up. CPU time counts the work of every thread of the process and, unlike wall
 * clock, hardly moves with other processes' load on a shared machine. Compare code versions by running this from each
 * in alternation. Skips (with a message) without the Adult data.
 *
 * Run: node --import tsx bench/perf/method-cpu.ts [--only gcm,iga,grad-align] [--rounds 3]
 */
import { pathToFileURL } from 'node:url';
import { loadDataset } from '../../src/data/loaders/index.js';
import { prepareDataset } from '../../src/data/prepare.js';
import { getMethod } from '../../src/methods/registry.js';
import { initBackend } from '../../src/nn/backend.js';
import { fit } from '../../src/train/fit.js';
import { adultDataDirOrSkip, roundsAndEpochs } from './epoch-rounds.js';

const EPOCHS = 2;

export async function benchmarkMethodCpu(argv: string[] = []): Promise<void> {
  const dataDir = adultDataDirOrSkip('method-cpu');
  if (dataDir === null) return;
  const { rounds } = roundsAndEpochs(argv);
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1]!.split(',') : ['gcm', 'iga', 'grad-align'];
  const names = ['erm', ...only.filter((name) => name !== 'erm')];
  const methods = names.map((name) => getMethod(name));
  const backend = await initBackend();
  const { train } = prepareDataset(await loadDataset('adult', dataDir), { seed: 0 });
  const cpuMs = names.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const before = process.cpuUsage();
      fit({ method: methods[i], params: {}, train, options: { hidden: [200], batchSize: 2000, learningRate: 1e-3, epochs: EPOCHS, seed: round, progress: 'silent' } }).model.dispose();
      const used = process.cpuUsage(before);
      if (round > 0) cpuMs[i].push((used.user + used.system) / 1000 / EPOCHS);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const erm = median(cpuMs[0]);
  console.log(`adult, ${backend}, CPU ms per epoch (median of ${rounds - 1} rounds of ${EPOCHS} epochs) and × erm`);
  names.forEach((name, i) => console.log(`${name.padEnd(14)} ${median(cpuMs[i]).toFixed(0).padStart(6)} ms  ${(median(cpuMs[i]) / erm).toFixed(2)}×`));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkMethodCpu(process.argv.slice(2));
}

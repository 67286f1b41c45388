/**
 * Cost of the double-backprop methods against erm on Adult (MLP 200, Adam 1e-3, batch 2000): seconds per epoch
 * of each method and the ratio to erm. Each round fits every method in turn for `--epochs` epochs, so that load
 * from other processes hits all methods alike; the first round is a warm-up and is not timed.
 *
 * Part of `npm run bench`; skips (with a message) without the Adult data. The target: gcm within 4× erm.
 *
 * Run: node --import tsx bench/perf/gcm-cost.ts [--rounds 3] [--epochs 2]
 */
import { pathToFileURL } from 'node:url';
import { loadDataset } from '../../src/data/loaders/index.js';
import { prepareDataset } from '../../src/data/prepare.js';
import { erm } from '../../src/methods/erm.js';
import { gcm } from '../../src/methods/gcm.js';
import { gradAlign } from '../../src/methods/grad-align.js';
import { iga } from '../../src/methods/iga.js';
import type { Method } from '../../src/train/method.js';
import { initBackend } from '../../src/nn/backend.js';
import { fit } from '../../src/train/fit.js';
import { adultDataDirOrSkip, roundsAndEpochs } from './epoch-rounds.js';

const RUNS: { label: string; method: Method<any>; params: Record<string, unknown> }[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  { label: 'erm', method: erm, params: {} },
  { label: 'gcm T=2', method: gcm, params: { T: 2 } },
  { label: 'gcm T=2 layers=bias0', method: gcm, params: { T: 2, layers: 'bias0', lambda: 1e-4 } },
  { label: 'iga', method: iga, params: {} },
  { label: 'grad-align', method: gradAlign, params: {} },
];

const TARGET_RATIO = 4;

export async function benchmarkGcmCost(argv: string[] = []): Promise<void> {
  const dataDir = adultDataDirOrSkip('gcm-cost');
  if (dataDir === null) return;
  const { rounds, epochs } = roundsAndEpochs(argv);
  const backend = await initBackend();
  const { train } = prepareDataset(await loadDataset('adult', dataDir), { seed: 0 });
  const seconds = new Map<string, number[]>(RUNS.map((run) => [run.label, []]));
  for (let round = 0; round < rounds; round++) {
    for (const run of RUNS) {
      const fitted = fit({ method: run.method, params: run.params, train, options: { hidden: [200], batchSize: 2000, learningRate: 1e-3, epochs, seed: round, progress: 'silent' } });
      fitted.model.dispose();
      if (round > 0) seconds.get(run.label)!.push(fitted.secondsPerEpoch);
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const ermSeconds = mean(seconds.get('erm')!);
  console.log(`adult (${train.nRows} training rows, ${Math.ceil(train.nRows / 2000)} batches of 2000), ${backend}, ${rounds - 1} timed rounds of ${epochs} epochs`);
  for (const [label, values] of seconds) {
    const ratio = mean(values) / ermSeconds;
    const verdict = label.startsWith('gcm') ? (ratio <= TARGET_RATIO ? `  (target ≤ ${TARGET_RATIO}×: met)` : `  (target ≤ ${TARGET_RATIO}×: MISSED)`) : '';
    console.log(`${label.padEnd(22)} ${mean(values).toFixed(3)} s/epoch  ${ratio.toFixed(2)}× erm${verdict}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkGcmCost(process.argv.slice(2));
}

/**
 * The fused step (src/nn/fused-step.ts) on an Adult epoch (MLP 200, batch 2000, the loop's row order left out: rows
 * in file order) with one thread and with two (its products split with a helper thread), alternating epochs in one
 * process: wall and process CPU milliseconds per epoch (median of the timed rounds) and the helper's share of chunks.
 * It needs no threaded backend: the step's helpers are its own.
 *
 * Run: node --import tsx bench/perf/fused-threads.ts [--rounds 12]
 */
import { loadavg } from 'node:os';
import { loadDataset } from '../../src/data/loaders/index.js';
import { prepareDataset } from '../../src/data/prepare.js';
import { FusedMlpStep } from '../../src/nn/fused-step.js';
import { Rng } from '../../src/rng.js';
import { adultDataDirOrSkip } from './epoch-rounds.js';

const HIDDEN = 200;
const BATCH = 2000;
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

const argv = process.argv.slice(2);
const rounds = argv.includes('--rounds') ? Number(argv[argv.indexOf('--rounds') + 1]) : 12;
const dataDir = adultDataDirOrSkip('fused-threads');
if (dataDir !== null) {
  const { train } = prepareDataset(await loadDataset('adult', dataDir), { seed: 0 });
  const d = train.X.length / train.nRows;
  const rng = new Rng(0);
  const weights = [Float32Array.from({ length: d * HIDDEN }, () => rng.normal() * 0.1), new Float32Array(HIDDEN), Float32Array.from({ length: HIDDEN }, () => rng.normal() * 0.1), new Float32Array(1)];
  const steps = [1, 2].map((threads) => new FusedMlpStep({ inputDim: d, hidden: [HIDDEN] }, weights, 'bce', BATCH, ADAM, undefined, { threads }));
  const batches = Array.from({ length: Math.floor(train.nRows / BATCH) }, (_, b) => Int32Array.from({ length: BATCH }, (_, i) => b * BATCH + i));
  const wall: number[][] = [[], []];
  const cpu: number[][] = [[], []];
  const epoch = (t: number) => {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (const rows of batches) {
      steps[t].setBatch(train.X, rows, train.y);
      steps[t].forwardBackward();
      steps[t].adamStep(1e-3);
    }
    const used = process.cpuUsage(cpuBefore);
    wall[t].push(performance.now() - started);
    cpu[t].push((used.user + used.system) / 1000);
  };
  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`fused-threads: adult, ${train.nRows} rows, ${d} inputs, ${batches.length} batches; load average at start ${load()}`);
  // Round 0 warms up; the order alternates so that neither count always runs first.
  for (let round = 0; round <= rounds; round++) for (const t of round % 2 ? [1, 0] : [0, 1]) epoch(t);
  const median = (values: number[]) => values.slice(2).sort((a, b) => a - b)[Math.floor((values.length - 2) / 2)];
  for (const t of [0, 1]) console.log(`  ${t + 1} thread${t ? 's' : ' '}: ${median(wall[t]).toFixed(1)} ms/epoch wall, ${median(cpu[t]).toFixed(1)} ms CPU (${(median(wall[t]) / median(wall[0])).toFixed(2)}× 1 thread)`);
  const chunks = steps[1].helperChunks();
  console.log(`  the helper computed ${chunks.byHelpers} of ${chunks.total} chunks; load average at end ${load()}`);
  for (const step of steps) step.dispose();
}

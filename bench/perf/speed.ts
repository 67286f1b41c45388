/**
 * Issue 17's benchmark: seconds per epoch of erm and gcm on Adult (MLP 200, Adam 1e-3, batch 2000) with TensorFlow.js's
 * own wasm matMul and with fairkit's SIMD kernel (src/nn/fast-matmul.ts), erm also with the fused step (forward, backward
 * and Adam in one WebAssembly pass, src/train/fused-update.ts), against PyTorch on the same split with one thread
 * (OPENBLAS_NUM_THREADS=1), all in one run; then a per-kernel profile of one erm epoch with each matMul.
 * Each round fits every configuration in turn so that load from other processes hits them alike; round 0 is a warm-up.
 * The two-thread column (src/nn/wasm-threads.ts) comes from a child process of this script with `--threads 2 --json`
 * (the backend starts once per process), run after the one-thread rounds, with PyTorch at OPENBLAS_NUM_THREADS=2 as
 * its reference; there the fast kernel splits large products between the two threads (src/nn/gemm-threads.ts), and
 * the script prints how many row chunks the helper thread computed. `--no-threads` leaves the column out.
 * The child starts XNNPACK's pool with one thread unless FAIRKIT_FAST_MATMUL=0 (src/nn/wasm-threads.ts), so its TF.js
 * matMul rows are then one-threaded: bench/perf/pool-threads.ts compares the pool at one and two threads.
 *
 * Part of `npm run bench`; skips (with a message) without the Adult data or without python3-torch for the reference.
 *
 * Run: node --import tsx bench/perf/speed.ts [--rounds 3] [--epochs 2] [--no-threads]
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { loadDataset } from '../../src/data/loaders/index.js';
import { prepareDataset } from '../../src/data/prepare.js';
import type { EncodedDataset } from '../../src/data/types.js';
import { erm } from '../../src/methods/erm.js';
import { gcm } from '../../src/methods/gcm.js';
import { initBackend } from '../../src/nn/backend.js';
import { fastMatMulChunks, fastMatMulThreads, fastMatMulVariant, installFastMatMul, setFastMatMulEnabled } from '../../src/nn/fast-matmul.js';
import { fit } from '../../src/train/fit.js';
import type { Method } from '../../src/train/method.js';
import { runPytorchReference } from './erm-vs-pytorch.js';
import { adultDataDirOrSkip, roundsAndEpochs } from './epoch-rounds.js';

const TRAINING = { hidden: [200], batchSize: 2000, learningRate: 1e-3 };
const GCM_PARAMS = { T: 2, lambda: 3e-6 };
const METHODS: { label: string; method: Method<any>; params: Record<string, unknown> }[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  { label: 'erm', method: erm, params: {} },
  { label: 'gcm', method: gcm, params: GCM_PARAMS },
];
const MATMULS = ['tfjs', 'fast'] as const;
/** How each method's step runs: with TF.js's matMul, with the fast kernel, or fused (plain first-order methods only). */
const PATHS = { erm: ['tfjs', 'fast', 'fused'], gcm: ['tfjs', 'fast'] } as const;
type Path = 'tfjs' | 'fast' | 'fused';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

const TWO_THREADS = 2;
const KERNEL_THREADS = 'fast matMul threads';
const HELPER_CHUNKS = 'fast matMul helper chunks';
const ALL_CHUNKS = 'fast matMul chunks';

/** Seconds per epoch of each configuration ("erm tfjs", "gcm fast", ...), averaged over the timed rounds. */
function timeConfigurations(train: EncodedDataset, rounds: number, epochs: number): Record<string, number> {
  const seconds = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const run of METHODS) {
      for (const path of PATHS[run.label as 'erm' | 'gcm'] as readonly Path[]) {
        setFastMatMulEnabled(path === 'fast');
        const fitted = fit({ method: run.method, params: run.params, train, options: { ...TRAINING, epochs, seed: round, progress: 'silent', fusedStep: path === 'fused' } });
        fitted.model.dispose();
        const key = `${run.label} ${path}`;
        if (round > 0) seconds.set(key, [...(seconds.get(key) ?? []), fitted.secondsPerEpoch]);
      }
    }
  }
  return Object.fromEntries([...seconds].map(([key, values]) => [key, mean(values)]));
}

/** The same configurations at two threads, timed by a child process of this script. */
function timeTwoThreads(rounds: number, epochs: number): Record<string, number> {
  const self = fileURLToPath(import.meta.url);
  const output = execFileSync(process.execPath, ['--import', 'tsx', self, '--threads', String(TWO_THREADS), '--rounds', String(rounds), '--epochs', String(epochs), '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(output.trim().split('\n').at(-1) as string) as Record<string, number>;
}

export async function benchmarkSpeed(argv: string[] = []): Promise<void> {
  const dataDir = adultDataDirOrSkip('speed');
  if (dataDir === null) return;
  const { rounds, epochs } = roundsAndEpochs(argv);
  const threads = argv.includes('--threads') ? Number(argv[argv.indexOf('--threads') + 1]) : 1;
  if ((await initBackend('wasm', { threads })) !== 'wasm') throw new Error('speed: needs the wasm backend');
  // Both kernels are timed; the one the process chose (FAIRKIT_FAST_MATMUL) is restored at the end.
  const chosenBefore = fastMatMulVariant() !== null;
  installFastMatMul();
  const variant = fastMatMulVariant();
  const splits = prepareDataset(await loadDataset('adult', dataDir), { seed: 0 });
  if (argv.includes('--json')) {
    // The kernel's thread count and its helpers' share show that the fast rows used the threaded kernel.
    console.log(JSON.stringify({ ...timeConfigurations(splits.train, rounds, epochs), [KERNEL_THREADS]: fastMatMulThreads(), [HELPER_CHUNKS]: fastMatMulChunks().byHelpers, [ALL_CHUNKS]: fastMatMulChunks().total }));
    return;
  }
  console.log(`speed: adult, ${splits.train.nRows} training rows, batch ${TRAINING.batchSize}, ${rounds - 1} timed rounds of ${epochs} epochs; fast matMul = ${variant}; load average at start ${load()}`);
  const oneThread = timeConfigurations(splits.train, rounds, epochs);
  const twoThreads = argv.includes('--no-threads') ? null : timeTwoThreads(rounds, epochs);
  const torch = (threadCount: number) => ({
    erm: runPytorchReference(splits, { ...TRAINING, epochs, seed: 0, threads: threadCount }),
    gcm: runPytorchReference(splits, { ...TRAINING, epochs, seed: 0, method: 'gcm', params: GCM_PARAMS, threads: threadCount }),
  });
  const torchOne = torch(1);
  const torchTwo = twoThreads === null ? null : torch(TWO_THREADS);
  const ermTfjs = oneThread['erm tfjs'];
  for (const run of METHODS) {
    const label = run.label as 'erm' | 'gcm';
    const reference = torchOne[label];
    for (const path of PATHS[label] as readonly Path[]) {
      const s = oneThread[`${label} ${path}`];
      const vsTorch = reference ? `, ${(s / reference.secondsPerEpoch).toFixed(2)}× PyTorch` : '';
      let twoColumn = '';
      if (twoThreads !== null) {
        const s2 = twoThreads[`${label} ${path}`];
        const reference2 = torchTwo?.[label];
        twoColumn = `; ${TWO_THREADS} threads ${s2.toFixed(3)} s/epoch (${(s2 / s).toFixed(2)}× 1 thread${reference ? `, ${(s2 / reference.secondsPerEpoch).toFixed(2)}× PyTorch 1 thread` : ''}${reference2 ? `, ${(s2 / reference2.secondsPerEpoch).toFixed(2)}× PyTorch ${TWO_THREADS} threads` : ''})`;
      }
      console.log(`  ${label.padEnd(4)} ${path.padEnd(5)} 1 thread ${s.toFixed(3)} s/epoch${vsTorch}, ${(s / ermTfjs).toFixed(2)}× erm tfjs${twoColumn}`);
    }
    if (reference) console.log(`  ${label.padEnd(4)} PyTorch ${reference.torch}, 1 thread: ${reference.secondsPerEpoch.toFixed(3)} s/epoch`);
    const reference2 = torchTwo?.[label];
    if (reference2) console.log(`  ${label.padEnd(4)} PyTorch ${reference2.torch}, ${TWO_THREADS} threads: ${reference2.secondsPerEpoch.toFixed(3)} s/epoch`);
  }
  if (twoThreads !== null) console.log(`  ${TWO_THREADS}-thread run: the fast kernel split large products between ${twoThreads[KERNEL_THREADS]} threads; its helper computed ${twoThreads[HELPER_CHUNKS]} of ${twoThreads[ALL_CHUNKS]} row chunks`);
  for (const matmul of MATMULS) {
    setFastMatMulEnabled(matmul === 'fast');
    await printProfile(`erm epoch, ${matmul} matMul`, splits.train);
  }
  setFastMatMulEnabled(chosenBefore);
  console.log(`speed: load average at end ${load()}`);
}

/** Kernel time per op over one erm epoch (tf.profile), the six largest and their share of the total. */
async function printProfile(title: string, train: EncodedDataset): Promise<void> {
  const profile = await tf.profile(() => {
    fit({ method: erm, params: {}, train, options: { ...TRAINING, epochs: 1, seed: 0, progress: 'silent' } }).model.dispose();
  });
  const byKernel = new Map<string, number>();
  for (const kernel of profile.kernels) {
    const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    byKernel.set(kernel.name, (byKernel.get(kernel.name) ?? 0) + ms);
  }
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
  const top = [...byKernel].sort((x, y) => y[1] - x[1]).slice(0, 6);
  console.log(`  profile, ${title}: kernels ${total.toFixed(0)} ms; ${top.map(([name, ms]) => `${name} ${ms.toFixed(0)} ms (${((100 * ms) / total).toFixed(0)}%)`).join(', ')}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkSpeed(process.argv.slice(2));
}

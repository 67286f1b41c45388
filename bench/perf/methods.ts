/**
 * Issue 17's goal "every other method's epoch ≤ 2× fairkit's erm epoch": seconds per epoch of every method in the
 * registry at its default parameters (MLP 200, Adam 1e-3, batch 2000), with TensorFlow.js's matMul and with fairkit's
 * SIMD kernel, each printed as a ratio to erm with the same matMul in the same run. On Adult (seed 0 split, as the
 * speed benchmark) when the data is there, else on synthetic-biased (10,000 rows); the mixed-effects methods get cluster
 * ids (Adult: occupation; synthetic-biased: site).
 * Each round fits every configuration in turn so that load from other processes hits them alike; round 0 is a warm-up.
 *
 * Part of `npm run bench`. `--only a,b` restricts the methods (erm is always timed, as the reference); `--profile`
 * then prints, for erm and each method above 2× erm, its kernels over one epoch (tf.profile, with the current matMul).
 *
 * Run: node --import tsx bench/perf/methods.ts [--rounds 3] [--epochs 1] [--only gcm,iga] [--profile]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { candidateDataDir } from '../../src/data/data-dir.js';
import { openDataset } from '../../src/data/open-dataset.js';
import { prepareDataset } from '../../src/data/prepare.js';
import type { EncodedDataset } from '../../src/data/types.js';
import { listMethods } from '../../src/methods/registry.js';
import { initBackend } from '../../src/nn/backend.js';
import { fastMatMulVariant, installFastMatMul, setFastMatMulEnabled } from '../../src/nn/fast-matmul.js';
import { fit } from '../../src/train/fit.js';
import type { Method } from '../../src/train/method.js';
import { roundsAndEpochs } from './epoch-rounds.js';

const TRAINING = { hidden: [200], batchSize: 2000, learningRate: 1e-3 };
const MATMULS = ['tfjs', 'fast'] as const;
const GOAL = 2;

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/**
 * The training split, and the same with cluster ids for the mixed-effects methods (Adult: occupation as the cluster,
 * not a feature, as experiments/medl-adult.ts; synthetic-biased: its sites).
 */
async function trainingSplits(): Promise<{ name: string; train: EncodedDataset; clustered: EncodedDataset }> {
  const hasAdult = existsSync(join(candidateDataDir().path, 'adult'));
  if (!hasAdult) console.log(`methods: no Adult data at ${candidateDataDir().path} (set FAIRKIT_DATA_DIR); timing on synthetic-biased instead`);
  const name = hasAdult ? 'adult' : 'synthetic-biased';
  const cluster = hasAdult ? { drop: ['occupation'], cluster: 'occupation' } : { cluster: 'site' };
  const train = prepareDataset(await openDataset({ dataset: name }), { seed: 0 }).train;
  const clustered = prepareDataset(await openDataset({ dataset: name, ...cluster }), { seed: 0 }).train;
  return { name, train, clustered };
}

export async function benchmarkMethods(argv: string[] = []): Promise<void> {
  const { rounds, epochs } = roundsAndEpochs(argv, 1);
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1]!.split(',') : null;
  if ((await initBackend('wasm')) !== 'wasm') throw new Error('methods: needs the wasm backend');
  installFastMatMul();
  const { name, train, clustered } = await trainingSplits();
  const methods = listMethods().filter((method) => method.name === 'erm' || only === null || only.includes(method.name));
  console.log(`methods: ${name}, ${train.nRows} training rows, batch ${TRAINING.batchSize}, ${rounds - 1} timed rounds of ${epochs} epochs, default parameters; fast matMul = ${fastMatMulVariant()}; load average at start ${load()}`);

  const seconds = new Map<string, number[]>();
  const failures = new Map<string, string>();
  for (let round = 0; round < rounds; round++) {
    for (const method of methods) {
      if (failures.has(method.name)) continue;
      for (const matmul of MATMULS) {
        setFastMatMulEnabled(matmul === 'fast');
        try {
          const fitted = fit({ method, params: {}, train: method.needs?.clusters ? clustered : train, options: { ...TRAINING, epochs, seed: round, progress: 'silent' } });
          fitted.model.dispose();
          const key = `${method.name} ${matmul}`;
          if (round > 0) seconds.set(key, [...(seconds.get(key) ?? []), fitted.secondsPerEpoch]);
        } catch (error) {
          failures.set(method.name, error instanceof Error ? error.message.split('\n')[0]! : String(error));
        }
      }
    }
  }
  setFastMatMulEnabled(false);
  const erm = Object.fromEntries(MATMULS.map((matmul) => [matmul, mean(seconds.get(`erm ${matmul}`)!)]));
  console.log(`  ${'method'.padEnd(16)} ${MATMULS.map((m) => `${m} s/epoch  × erm ${m}`.padEnd(26)).join(' ')}`);
  for (const method of methods) {
    const failure = failures.get(method.name);
    if (failure !== undefined) {
      console.log(`  ${method.name.padEnd(16)} not timed: ${failure}`);
      continue;
    }
    const cells = MATMULS.map((matmul) => {
      const s = mean(seconds.get(`${method.name} ${matmul}`)!);
      const ratio = s / erm[matmul]!;
      return `${s.toFixed(3).padStart(8)} ${`${ratio.toFixed(2)}×`.padStart(9)}${ratio > GOAL ? ' >2×' : '    '}`.padEnd(26);
    });
    console.log(`  ${method.name.padEnd(16)} ${cells.join(' ')}`);
  }
  if (argv.includes('--profile')) {
    const slow = methods.filter((method) => method.name === 'erm' || MATMULS.some((matmul) => mean(seconds.get(`${method.name} ${matmul}`) ?? [0]) > GOAL * erm[matmul]!));
    for (const matmul of MATMULS) {
      setFastMatMulEnabled(matmul === 'fast');
      for (const method of slow) await printProfile(method, method.needs?.clusters ? clustered : train, matmul);
    }
    setFastMatMulEnabled(false);
  }
  console.log(`methods: load average at end ${load()}`);
}

/** Kernel time per op over one epoch (tf.profile): the total, the number of kernel calls and the eight largest. */
async function printProfile(method: Method<any>, train: EncodedDataset, matmul: string): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const start = performance.now();
  const profile = await tf.profile(() => {
    fit({ method, params: {}, train, options: { ...TRAINING, epochs: 1, seed: 0, progress: 'silent' } }).model.dispose();
  });
  const wall = performance.now() - start;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const kernel of profile.kernels) {
    const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    entry.calls++;
    byKernel.set(kernel.name, entry);
  }
  const total = [...byKernel.values()].reduce((sum, entry) => sum + entry.ms, 0);
  const top = [...byKernel].sort((x, y) => y[1].ms - x[1].ms).slice(0, 8);
  console.log(`  profile ${method.name} (${matmul}): wall ${wall.toFixed(0)} ms, kernels ${total.toFixed(0)} ms in ${profile.kernels.length} calls; ${top.map(([name, { ms, calls }]) => `${name} ${ms.toFixed(0)} ms/${calls}`).join(', ')}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkMethods(process.argv.slice(2));
}

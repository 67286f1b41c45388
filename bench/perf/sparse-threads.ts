/**
 * The fast kernel's two sparse products of an Adult-sized batch (x 2000 × 103 at 12.6% nonzero, hidden width 200),
 * x·W and xᵀ·G through tf.matMul, on one thread and split between two (src/nn/gemm-threads.ts), alternating in one
 * process on the threaded backend: wall clock, process CPU and the calling thread's own CPU (Linux /proc/thread-self,
 * 10 ms ticks, so over `--repeats` products) per product, medians of the rounds after a warm-up one, and the helper's
 * share of the chunks. On a shared machine the calling thread's CPU shows the work that left it; wall clock depends on
 * whether the OS runs the helper.
 *
 * Run: node --import tsx bench/perf/sparse-threads.ts [--repeats 300] [--rounds 6]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/nn/backend.js';
import { fastMatMulChunks, installFastMatMul, setFastMatMulThreads } from '../../src/nn/fast-matmul.js';
import { randomMatrix, sparseMatrix } from '../../src/nn/sparse-matrix.test-helper.js';
import { Rng } from '../../src/rng.js';

const [ROWS, D, N, DENSITY] = [2000, 103, 200, 0.126];

/** The calling thread's user + system CPU in ms (10 ms ticks). */
function callingThreadMs(): number {
  const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function benchmarkSparseThreads(argv: string[] = []): Promise<void> {
  const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
  const [repeats, rounds] = [option('--repeats', 300), option('--rounds', 6)];
  await initBackend('wasm', { threads: 2 });
  installFastMatMul();
  const rng = new Rng(1);
  const x = tf.tensor2d(sparseMatrix(rng, ROWS, D, DENSITY), [ROWS, D]);
  const w = tf.tensor2d(randomMatrix(rng, D, N), [D, N]);
  const g = tf.tensor2d(randomMatrix(rng, ROWS, N), [ROWS, N]);
  const results = new Map<string, number[][]>();
  for (let round = 0; round < rounds; round++) {
    for (const threads of [1, 2]) {
      for (const transposed of [false, true]) {
        setFastMatMulThreads(threads);
        const [cpu, own, wall] = [process.cpuUsage(), callingThreadMs(), performance.now()];
        for (let i = 0; i < repeats; i++) tf.matMul(x, transposed ? g : w, transposed, false).dispose();
        const used = process.cpuUsage(cpu);
        const key = `${transposed ? 'xᵀ·G' : 'x·W '} ${threads} thread(s)`;
        const row = [(performance.now() - wall) / repeats, (used.user + used.system) / 1000 / repeats, (callingThreadMs() - own) / repeats];
        if (round > 0) results.set(key, [...(results.get(key) ?? []), row]);
      }
    }
  }
  setFastMatMulThreads(2);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
  console.log(`sparse-threads: x ${ROWS} × ${D} at ${DENSITY} nonzero, n ${N}; ms per product, median of ${rounds - 1} rounds of ${repeats}`);
  for (const [key, rows] of results) {
    const [wall, cpu, own] = [0, 1, 2].map((i) => median(rows.map((row) => row[i])).toFixed(3));
    console.log(`  ${key}: wall ${wall}, process CPU ${cpu}, calling thread CPU ${own}`);
  }
  const chunks = fastMatMulChunks();
  console.log(`  helper chunks ${chunks.byHelpers} of ${chunks.total}; load ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkSparseThreads(process.argv.slice(2));
}

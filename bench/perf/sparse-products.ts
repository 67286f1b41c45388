/**
 * The two sparse products of an Adult batch (x 2000 × 103 at 12.6% nonzero, hidden width 200): x·W and xᵀ·G, by
 * wasm/gemm/sparse.ts's per-nonzero kernels (the output row loaded and stored per nonzero) and what the fast matMul
 * kernel now runs (x·W: the listed kernel, 16 output columns in registers over a list of each row's nonzero terms;
 * xᵀ·G: still the per-nonzero one, so its ratio is a control), alternating in one process on a memory of its own.
 * Process CPU time per product, best round, and whether the two agree bit for bit.
 *
 * Run: node --import tsx bench/perf/sparse-products.ts [--repeats 200] [--rounds 5]
 */
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import type { GemmExports } from '../../src/nn/fast-matmul.js';
import { Rng } from '../../src/rng.js';
import { randomMatrix, sparseMatrix } from '../../src/nn/sparse-matrix.test-helper.js';
import { WebAssemblyGlobal } from '../../src/nn/webassembly.js';

const [ROWS, D, N, DENSITY] = [2000, 103, 200, 0.126];

function cpuMs(run: () => void, repeats: number): number {
  const before = process.cpuUsage();
  for (let i = 0; i < repeats; i++) run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / repeats;
}

export function benchmarkSparseProducts(argv: string[] = []): void {
  const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
  const repeats = option('--repeats', 200);
  const rounds = option('--rounds', 5);
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  const relaxed = readFileSync(new URL('../../wasm/build/gemm-relaxed-simd.wasm', import.meta.url));
  const build = WebAssemblyGlobal.validate(relaxed) ? 'relaxed-simd' : 'simd';
  const bytes = build === 'relaxed-simd' ? relaxed : readFileSync(new URL('../../wasm/build/gemm-simd.wasm', import.meta.url));
  const memory = new WebAssemblyGlobal.Memory({ initial: 256 });
  const kernel = new WebAssemblyGlobal.Instance(new WebAssemblyGlobal.Module(bytes), { env: { memory } }).exports as unknown as GemmExports;
  const heap = new Float32Array((memory as unknown as { buffer: ArrayBuffer }).buffer);
  const rng = new Rng(1);
  const [x, w, g, out, listedOut, scratch] = [0, ROWS * D, ROWS * D + D * N, ROWS * D + D * N + ROWS * N, 2 * ROWS * D + D * N + 2 * ROWS * N, 3 * ROWS * D + D * N + 3 * ROWS * N];
  heap.set(sparseMatrix(rng, ROWS, D, DENSITY), x);
  heap.set(randomMatrix(rng, D, N), w);
  heap.set(randomMatrix(rng, ROWS, N), g);
  const at = (i: number) => i * 4;
  const cases = {
    'x·W': {
      old: () => kernel.sparseRowsTimes(at(x), at(w), at(out), ROWS, D, N),
      listed: () => kernel.sparseRowsTimesListed(at(x), at(w), at(listedOut), ROWS, D, N, at(scratch)),
      size: ROWS * N,
    },
    'xᵀ·G': {
      old: () => kernel.sparseTransposeTimes(at(x), at(g), at(out), ROWS, D, N),
      // Kept as the per-nonzero kernel: a listed form (per-column lists, 16 columns in registers) measured 0.85×.
      listed: () => kernel.sparseTransposeTimes(at(x), at(g), at(listedOut), ROWS, D, N),
      size: D * N,
    },
  };
  console.log(`sparse products, ${build}, x ${ROWS}×${D} at ${DENSITY} nonzero, n ${N}; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (const [name, { old, listed, size }] of Object.entries(cases)) {
    old();
    listed();
    const same = heap.slice(out, out + size).every((v, i) => Object.is(v, heap[listedOut + i]));
    let [bestOld, bestListed] = [Infinity, Infinity];
    for (let r = 0; r < rounds; r++) {
      bestOld = Math.min(bestOld, cpuMs(old, repeats));
      bestListed = Math.min(bestListed, cpuMs(listed, repeats));
    }
    console.log(`${name}: per-nonzero ${bestOld.toFixed(3)} ms, listed ${bestListed.toFixed(3)} ms CPU, ${(bestOld / bestListed).toFixed(2)}×; bit-identical ${same}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) benchmarkSparseProducts(process.argv.slice(2));

/**
 * The two first-layer products of Fair Mixup's hand-written penalty (mlp-mixup-gradients.ts) for inputs that are
 * mostly zeros (one-hot encoded tables: Adult's rows are 12.6% nonzero): Z = X·W and Xᵀ·G over the nonzeros of X,
 * by wasm/mixup-sparse (SIMD, one thread) on a memory of this module's own. X is written into that memory once per
 * batch and serves both products; callers fill X and G and read Z and Xᵀ·G through views of the memory.
 */
import { readFileSync } from 'node:fs';

interface SparseExports {
  rowsTimes(x: number, w: number, out: number, rows: number, d: number, n: number, at: number, val: number): void;
  transposeTimes(x: number, g: number, out: number, rows: number, d: number, n: number): void;
}

interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const WebAssemblyGlobal = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
const WASM_FILE = new URL('../../wasm/build/mixup-sparse-simd.wasm', import.meta.url);
const PAGE = 65536;
/** The module's static data (none today) stays below the first page. */
const LAYOUT_START = PAGE;

let instance: { wasm: SparseExports; memory: WasmMemory } | undefined;

/** The module, its memory grown to hold `floats` 4-byte values after the reserved first page. */
function moduleWith(floats: number): { wasm: SparseExports; memory: WasmMemory } {
  if (!instance) {
    const memory = new WebAssemblyGlobal.Memory({ initial: 2 });
    const module = new WebAssemblyGlobal.Module(readFileSync(WASM_FILE));
    instance = { wasm: new WebAssemblyGlobal.Instance(module, { env: { memory } }).exports as unknown as SparseExports, memory };
  }
  const needed = Math.ceil((LAYOUT_START + 4 * floats) / PAGE);
  const have = instance.memory.buffer.byteLength / PAGE;
  if (needed > have) instance.memory.grow(needed - have);
  return instance;
}

/**
 * One batch's X (rows × d) in the module's memory with room for W (d × n), Z (rows × n), G (rows × n) and Xᵀ·G.
 * Views are valid until the next batch is laid out (which may grow the memory). One at a time.
 */
export class SparseFirstLayer {
  /** Fill with X, row-major. */
  readonly x: Float32Array;
  /** Fill with G, row-major, before `transposeTimes`. */
  readonly g: Float32Array;
  private readonly w: Float32Array;
  private readonly z: Float32Array;
  private readonly out: Float32Array;
  private readonly wasm: SparseExports;
  private readonly scratch: number;

  constructor(
    readonly rows: number,
    readonly d: number,
    readonly n: number,
  ) {
    const sizes = [rows * d, d * n, rows * n, rows * n, d * n, 2 * d];
    const { wasm, memory } = moduleWith(sizes.reduce((a, b) => a + b, 0));
    this.wasm = wasm;
    let at = LAYOUT_START / 4;
    const take = (size: number) => {
      const view = new Float32Array(memory.buffer, 4 * at, size);
      at += size;
      return view;
    };
    [this.x, this.w, this.z, this.g, this.out] = sizes.slice(0, 5).map(take);
    this.scratch = 4 * at;
  }

  /** Z = X·W (a view, rows × n). */
  rowsTimes(w: Float32Array): Float32Array {
    this.w.set(w);
    this.wasm.rowsTimes(this.x.byteOffset, this.w.byteOffset, this.z.byteOffset, this.rows, this.d, this.n, this.scratch, this.scratch + 4 * this.d);
    return this.z;
  }

  /** Xᵀ·G (a view, d × n). */
  transposeTimes(): Float32Array {
    this.wasm.transposeTimes(this.x.byteOffset, this.g.byteOffset, this.out.byteOffset, this.rows, this.d, this.n);
    return this.out;
  }
}

/** The share of nonzero values in x. */
export function nonzeroShare(x: Float32Array): number {
  let count = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) count++;
  return x.length === 0 ? 0 : count / x.length;
}

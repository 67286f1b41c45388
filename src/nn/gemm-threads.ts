import { Worker } from 'node:worker_threads';
import { FairkitError } from '../errors.js';

/**
 * Helper threads for fairkit's fast matMul kernel (src/nn/fast-matmul.ts) on the threaded wasm backend (issue 17,
 * docs/speed.md "Two threads"). Each helper is a Node worker that instantiates the same compiled GEMM module on the
 * backend's shared WebAssembly.Memory and then sleeps in Atomics.wait on a shared control block. A product is cut
 * into chunks of rows; the calling thread posts the job (the gemm call's arguments and the chunk height), wakes the
 * helpers, and then every thread, the calling one included, claims chunks one at a time from a shared counter until
 * none is left; the calling thread returns once every claimed chunk is finished. A helper that the OS does not run
 * (a busy machine) therefore delays the product by at most one chunk, instead of setting its pace, and a helper that
 * wakes after the job is done finds nothing to claim. The GEMM module has no globals, no data segments and no
 * scratch memory (a transposed B is repacked by the caller before the split), so instances on one memory share
 * nothing but the operands, and each output element is computed by exactly one thread.
 *
 * Helpers never keep the process alive (unref'd; a helper blocked in Atomics.wait is terminated at exit). A helper
 * that fails to start, or does not start within the timeout, ends in a FairkitError; so does a chunk that fails on
 * a helper, or a job that does not finish within the timeout, rather than a hang.
 */

/** Int32 fields of the control block: the job's, then one 16-field (64-byte) slot per helper from SLOT_INTS on. */
const SEQ = 0; // the number of the last job posted
const NEXT = 16; // (job number mod 2^20) << 12 | the next unclaimed chunk; its own cache line, claimed by every thread
const FINISHED = 32; // chunks of the current job finished
const FAILED_CHUNKS = 33; // chunks that threw on a helper (never reset: the first failure ends the kernel's use)
const ARGS = 34; // the eight gemm arguments, then the chunk height in rows
const HELPER_CHUNKS = 43; // chunks computed by helpers since the start (tests check that helpers take part)
const OP = 44; // which kernel the job runs: one of SplitOp
const STATE = 0; // in a helper's slot: STARTING, READY or FAILED
const SLOT_INTS = 16;
const FIRST_SLOT = 48;
const STARTING = 0;
const READY = 1;
const FAILED = 2;
/** A job holds fewer than 2^CHUNK_BITS chunks; the job number (mod 2^20) in NEXT's upper bits keeps a late helper off the next job. */
const CHUNK_BITS = 12;
export const MAX_CHUNKS = (1 << CHUNK_BITS) - 1;

/**
 * Chunk heights are multiples of 16 rows: the GEMM picks a row's code path by its position in a group of 16 (a
 * transposed A's scalar columns go 16 rows at a time), so 16-aligned chunks compute every element exactly as one call
 * over all rows does, with the same operations in the same order: a split product is bit-identical to one thread.
 */
export const ROW_ALIGN = 16;
/** Chunks per thread: enough that a thread the OS runs late leaves little to wait for, few enough to cost nothing. */
const CHUNKS_PER_THREAD = 4;

/** Whether a product of m rows and `work` multiply-adds is worth splitting (waking a helper costs tens of µs). */
export function worthSplitting(m: number, work: number, minSplitWork: number): boolean {
  return work >= minSplitWork && m >= 2 * ROW_ALIGN;
}

/** The 16-aligned chunk height that gives each of `threads` threads about CHUNKS_PER_THREAD chunks of m rows. */
export function chunkHeight(m: number, threads: number): number {
  const aligned = (rows: number) => Math.ceil(rows / ROW_ALIGN) * ROW_ALIGN;
  return Math.max(aligned(m / (CHUNKS_PER_THREAD * threads)), aligned(m / MAX_CHUNKS));
}
/**
 * The chunk height of a split of `op` over m output rows. Every chunk of xᵀ·g reads all of g (the nonzeros of a row of
 * x fall in every chunk), so that product gets one chunk per thread; the others take several (chunkHeight).
 */
export function splitHeight(op: SplitOp, m: number, threads: number): number {
  if (op !== 'sparseTransposeRows') return chunkHeight(m, threads);
  return Math.max(Math.ceil(m / threads), Math.ceil(m / MAX_CHUNKS / ROW_ALIGN) * ROW_ALIGN);
}

/** Bytes of scratch each chunk of a 'sparseRowsListed' job takes (one row's list of at most d 8-byte entries). */
export const listedScratchBytes = (d: number): number => 8 * d;

/** Bytes after the slots where a helper writes the message of its failure. */
const MESSAGE_BYTES = 512;

export const DEFAULT_HELPER_TIMEOUT_MS = 60_000;

export type GemmArgs = [a: number, rowStep: number, colStep: number, b: number, c: number, m: number, k: number, n: number];

/**
 * The gemm arguments of rows [i·rows, min(m, (i + 1)·rows)) of C = A·B, from the job's arguments. Plain JavaScript
 * with no outside names: the helpers run this same function through its source text.
 */
function chunkArgs(args: ArrayLike<number>, chunk: number): GemmArgs {
  const [a, rowStep, colStep, b, c, m, k, n, rows] = [args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7], args[8]];
  const r0 = chunk * rows;
  const r1 = Math.min(m, r0 + rows);
  // >>> 0: pointers past 2 GiB come back from the Int32Array negative.
  return [(a >>> 0) + r0 * rowStep * 4, rowStep, colStep, b >>> 0, (c >>> 0) + r0 * n * 4, r1 - r0, k, n];
}

/**
 * What a job computes, chunk by chunk (the module must export the op's kernel: wasm/gemm has all four, the fused
 * step's wasm/dense-step all but the listed one):
 * - 'gemm': rows of C = A·B, from the gemm arguments;
 * - 'sparseRows': rows of out = x·w by sparseRowsTimes, with the arguments placed as gemm's
 *   [x, d, 1, w, out, rows, d, n];
 * - 'sparseRowsListed': the same by sparseRowsTimesListed, placed as [x, d, scratch, w, out, rows, d, n]: chunk c
 *   keeps its row lists at scratch + c · listedScratchBytes(d), so no two threads share scratch;
 * - 'sparseTransposeRows': rows [p0, p1) of out = xᵀ·g by sparseTransposeTimesRows, with the arguments placed as
 *   [x, 0, 0, g, out, d, rows, n] (the split runs over the d output rows).
 * Each output element is computed by one thread with the operations of a one-thread call: results are bit-identical.
 */
export type SplitOp = 'gemm' | 'sparseRows' | 'sparseRowsListed' | 'sparseTransposeRows';
const OP_CODES: Record<SplitOp, number> = { gemm: 0, sparseRows: 1, sparseTransposeRows: 2, sparseRowsListed: 3 };

/** The kernels a job may call; a module that lacks one can only run the other ops. */
export interface SplitKernels {
  gemm(...args: GemmArgs): void;
  sparseRowsTimes?(x: number, w: number, out: number, rows: number, d: number, n: number): void;
  sparseRowsTimesListed?(x: number, w: number, out: number, rows: number, d: number, n: number, scratch: number): void;
  sparseTransposeTimesRows?(x: number, g: number, out: number, rows: number, d: number, n: number, p0: number, p1: number): void;
}

/** Computes chunk `chunk` of a job of kind `op` (OP_CODES). Plain JavaScript, run by the helpers through its source text. */
function runChunk(kernel: SplitKernels, op: number, args: ArrayLike<number>, chunk: number): void {
  const part = chunkArgs(args, chunk);
  if (op === 0) kernel.gemm(...part);
  else if (op === 1) kernel.sparseRowsTimes!(part[0], part[3], part[4], part[5], part[6], part[7]);
  else if (op === 3) kernel.sparseRowsTimesListed!(part[0], part[3], part[4], part[5], part[6], part[7], (part[2] >>> 0) + chunk * 8 * part[6]); // 8 · d: listedScratchBytes
  else {
    const p0 = chunk * args[8];
    kernel.sparseTransposeTimesRows!(args[0] >>> 0, args[3] >>> 0, args[4] >>> 0, args[6], args[5], args[7], p0, Math.min(args[5], p0 + args[8]));
  }
}

/**
 * Claims the next chunk of job `seq`, or returns -1 when the job has none left or is no longer the current one.
 * Plain JavaScript, run by the helpers through its source text as well.
 */
function claimChunk(ctrl: Int32Array, seq: number, chunks: number): number {
  for (;;) {
    const word = Atomics.load(ctrl, 16);
    if (word >>> 12 !== (seq & 0xfffff) || (word & 0xfff) >= chunks) return -1;
    if (Atomics.compareExchange(ctrl, 16, word, word + 1) === word) return word & 0xfff;
  }
}

/** The helper's own code: runs the start-up code (which must set `kernel`), marks its slot ready, then serves jobs. */
const prologue = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot, messageAt } = workerData;
const ctrl = new Int32Array(control);
const state = ${FIRST_SLOT} + slot * ${SLOT_INTS} + ${STATE};
const chunkArgs = ${chunkArgs.toString()};
const claimChunk = ${claimChunk.toString()};
const runChunk = ${runChunk.toString()};
let kernel = null;
try {
`;
const epilogue = `
  Atomics.store(ctrl, state, ${READY});
} catch (error) {
  const text = new TextEncoder().encode(String(error && error.message || error)).subarray(0, ${MESSAGE_BYTES - 4});
  new DataView(control).setInt32(messageAt, text.length, true);
  new Uint8Array(control, messageAt + 4, text.length).set(text);
  Atomics.store(ctrl, state, ${FAILED});
}
Atomics.notify(ctrl, state);
let seen = 0;
while (kernel !== null) {
  Atomics.wait(ctrl, ${SEQ}, seen);
  seen = Atomics.load(ctrl, ${SEQ});
  const args = ctrl.slice(${ARGS}, ${ARGS + 9});
  const op = Atomics.load(ctrl, ${OP});
  const chunks = Math.ceil(args[5] / args[8]);
  for (let chunk = claimChunk(ctrl, seen, chunks); chunk >= 0; chunk = claimChunk(ctrl, seen, chunks)) {
    try {
      runChunk(kernel, op, args, chunk);
    } catch {
      Atomics.add(ctrl, ${FAILED_CHUNKS}, 1);
    }
    Atomics.add(ctrl, ${HELPER_CHUNKS}, 1);
    Atomics.add(ctrl, ${FINISHED}, 1);
    Atomics.notify(ctrl, ${FINISHED});
  }
}
`;
const INSTANTIATE = 'kernel = new WebAssembly.Instance(module, { env: { memory } }).exports;';

export interface GemmThreadsOptions {
  /** How long a helper may take to start, and a job to finish, before it counts as failed. */
  timeoutMs?: number;
  /** Replaces the helper's start-up code (tests inject failures with it). */
  startSourceForTests?: string;
  /** Names the helpers in errors (default: 'fast matMul helper thread'). */
  where?: string;
}

export class GemmThreads {
  private readonly control: Int32Array;
  private readonly buffer: SharedArrayBuffer;
  private readonly timeoutMs: number;
  private readonly where: string;
  private seq = 0;
  private chunksPosted = 0;
  private readonly workers: Worker[] = [];

  /**
   * Starts `count` helpers on `memory` with the compiled GEMM `module` and waits (blocking) until every one is ready.
   */
  constructor(module: object, memory: object, readonly count: number, options: GemmThreadsOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS;
    this.where = options.where ?? 'fast matMul helper thread';
    this.buffer = new SharedArrayBuffer(this.messageAt(count));
    this.control = new Int32Array(this.buffer);
    const source = prologue + (options.startSourceForTests ?? INSTANTIATE) + epilogue;
    for (let slot = 0; slot < count; slot++) {
      const messageAt = this.messageAt(slot);
      // execArgv [] keeps a loader such as tsx out of the helper, which runs plain JavaScript.
      const worker = new Worker(source, { eval: true, execArgv: [], workerData: { module, memory, control: this.buffer, slot, messageAt } });
      worker.unref();
      // A failure is reported through the slot's state; the event (delivered later, if at all) must not crash the process.
      worker.on('error', () => {});
      this.workers.push(worker);
    }
    for (let slot = 0; slot < count; slot++) this.awaitStart(slot);
  }

  /** Where helper `slot`'s failure message starts (bytes), after the job fields and every slot. */
  private messageAt(slot: number): number {
    return (FIRST_SLOT + this.count * SLOT_INTS) * 4 + slot * MESSAGE_BYTES;
  }

  private awaitStart(slot: number): void {
    const state = FIRST_SLOT + slot * SLOT_INTS + STATE;
    Atomics.wait(this.control, state, STARTING, this.timeoutMs);
    const outcome = Atomics.load(this.control, state);
    if (outcome === READY) return;
    this.stop();
    const where = this.where;
    if (outcome === STARTING) throw new FairkitError(`the helper thread did not start within ${this.timeoutMs} ms`, { where, fix: 'Train with --threads 1' });
    const messageAt = this.messageAt(slot);
    const length = new DataView(this.buffer).getInt32(messageAt, true);
    const message = new TextDecoder().decode(new Uint8Array(this.buffer, messageAt + 4, length).slice());
    throw new FairkitError(`the helper thread failed to start: ${message}`, { where, fix: 'Train with --threads 1' });
  }

  /**
   * Computes C = A·B (the kernel's gemm arguments) in chunks of `chunkRows` rows, shared between the calling thread,
   * through `gemm`, and the helpers, and returns when every chunk is done; at most MAX_CHUNKS chunks.
   */
  run(gemm: (...args: GemmArgs) => void, args: GemmArgs, chunkRows: number): void {
    this.runJob(0, (job, chunk) => gemm(...chunkArgs(job, chunk)), args, chunkRows);
  }

  /**
   * Runs a job of kind `op` (see SplitOp for where its arguments go) in chunks of `chunkRows` output rows, shared
   * between the calling thread, through `kernels`, and the helpers, whose module must export the op's kernel.
   */
  runSplit(kernels: SplitKernels, op: SplitOp, args: GemmArgs, chunkRows: number): void {
    const code = OP_CODES[op];
    this.runJob(code, (job, chunk) => runChunk(kernels, code, job, chunk), args, chunkRows);
  }

  private runJob(op: number, compute: (job: Int32Array, chunk: number) => void, args: GemmArgs, chunkRows: number): void {
    const failedBefore = Atomics.load(this.control, FAILED_CHUNKS);
    if (failedBefore > 0) throw new FairkitError('an earlier product failed on a helper thread', { where: this.where });
    const chunks = Math.ceil(args[5] / chunkRows);
    if (chunks > MAX_CHUNKS) throw new Error(`GemmThreads.run: ${chunks} chunks, at most ${MAX_CHUNKS}`);
    this.seq = (this.seq + 1) | 0;
    this.chunksPosted += chunks;
    this.control.set([...args, chunkRows], ARGS);
    Atomics.store(this.control, OP, op);
    Atomics.store(this.control, FINISHED, 0);
    Atomics.store(this.control, NEXT, (this.seq & 0xfffff) << CHUNK_BITS);
    Atomics.store(this.control, SEQ, this.seq);
    Atomics.notify(this.control, SEQ);
    const job = this.control.subarray(ARGS, ARGS + 9);
    for (let chunk = claimChunk(this.control, this.seq, chunks); chunk >= 0; chunk = claimChunk(this.control, this.seq, chunks)) {
      compute(job, chunk);
      Atomics.add(this.control, FINISHED, 1);
    }
    this.awaitChunks(chunks);
    if (Atomics.load(this.control, FAILED_CHUNKS) > 0) throw new FairkitError('a product failed on a helper thread', { where: this.where });
  }

  /** Waits until every chunk claimed by a helper is finished. */
  private awaitChunks(chunks: number): void {
    const deadline = performance.now() + this.timeoutMs;
    for (let finished = Atomics.load(this.control, FINISHED); finished < chunks; finished = Atomics.load(this.control, FINISHED)) {
      const left = deadline - performance.now();
      if (left <= 0) {
        this.stop();
        throw new FairkitError(`a product did not finish within ${this.timeoutMs} ms`, { where: this.where });
      }
      Atomics.wait(this.control, FINISHED, finished, left);
    }
  }

  /** How many chunks the helpers have computed since they started, of how many posted. */
  chunks(): { byHelpers: number; total: number } {
    return { byHelpers: Atomics.load(this.control, HELPER_CHUNKS), total: this.chunksPosted };
  }

  /** Ends every helper (they also end with the process). */
  stop(): void {
    for (const worker of this.workers) void worker.terminate();
  }
}

import { Worker } from 'node:worker_threads';
import { FairkitError } from '../errors.js';

/**
 * Helper threads for fairkit's fast matMul kernel (src/nn/fast-matmul.ts) on the threaded wasm backend (issue 17,
 * docs/speed.md "Two threads"). Each helper is a Node worker that instantiates the same compiled GEMM module on the
 * backend's shared WebAssembly.Memory and then sleeps in Atomics.wait on its slot of a shared control block. The
 * calling thread writes a job (the gemm call's arguments) into a helper's slot, wakes it, computes its own part, then
 * waits for the helper's completion: a synchronous fork-join, so a product still returns finished, as the kernel must.
 * The GEMM module has no globals, no data segments and no scratch memory (a transposed B is repacked by the caller
 * before the split), so two instances on one memory share nothing but the operands.
 *
 * Helpers never keep the process alive (unref'd; a helper blocked in Atomics.wait is terminated at exit). A helper
 * that fails to start, or does not start within the timeout, ends in a FairkitError; so does a job that fails or
 * does not finish within the timeout, rather than a hang.
 */

/** Int32 fields of one helper's slot; each slot fills its own 64-byte cache line. */
const STATE = 0; // STARTING, READY or FAILED
const SEQ = 1; // the number of the last job posted
const DONE = 2; // the number of the last job finished
const STATUS = 3; // OK or FAILED for the last job
const ARGS = 4; // the eight gemm arguments
const SLOT_INTS = 16;
const STARTING = 0;
const READY = 1;
const FAILED = 2;
const OK = 0;
/** Bytes after the slots where a helper writes the message of its failure. */
const MESSAGE_BYTES = 512;

export const DEFAULT_HELPER_TIMEOUT_MS = 60_000;

/** The helper's own code: runs `body` (which must set `kernel`), marks the slot ready, then serves jobs forever. */
const prologue = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot, messageAt } = workerData;
const ctrl = new Int32Array(control);
const base = slot * ${SLOT_INTS};
let kernel = null;
try {
`;
const epilogue = `
  Atomics.store(ctrl, base + ${STATE}, ${READY});
} catch (error) {
  const text = new TextEncoder().encode(String(error && error.message || error)).subarray(0, ${MESSAGE_BYTES - 4});
  new DataView(control).setInt32(messageAt, text.length, true);
  new Uint8Array(control, messageAt + 4, text.length).set(text);
  Atomics.store(ctrl, base + ${STATE}, ${FAILED});
}
Atomics.notify(ctrl, base + ${STATE});
let seen = 0;
while (kernel !== null) {
  Atomics.wait(ctrl, base + ${SEQ}, seen);
  seen = Atomics.load(ctrl, base + ${SEQ});
  const a = base + ${ARGS};
  let status = ${OK};
  try {
    kernel.gemm(ctrl[a], ctrl[a + 1], ctrl[a + 2], ctrl[a + 3], ctrl[a + 4], ctrl[a + 5], ctrl[a + 6], ctrl[a + 7]);
  } catch {
    status = ${FAILED};
  }
  Atomics.store(ctrl, base + ${STATUS}, status);
  Atomics.store(ctrl, base + ${DONE}, seen);
  Atomics.notify(ctrl, base + ${DONE});
}
`;
const INSTANTIATE = 'kernel = new WebAssembly.Instance(module, { env: { memory } }).exports;';

export interface GemmThreadsOptions {
  /** How long a helper may take to start, and a job to finish, before it counts as failed. */
  timeoutMs?: number;
  /** Replaces the helper's start-up code (tests inject failures with it). */
  startSourceForTests?: string;
}

export type GemmArgs = [a: number, rowStep: number, colStep: number, b: number, c: number, m: number, k: number, n: number];

export class GemmThreads {
  private readonly control: Int32Array;
  private readonly buffer: SharedArrayBuffer;
  private readonly timeoutMs: number;
  private seq = 0;
  private readonly workers: Worker[] = [];

  /**
   * Starts `count` helpers on `memory` with the compiled GEMM `module` and waits (blocking) until every one is ready.
   */
  constructor(module: object, memory: object, readonly count: number, options: GemmThreadsOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS;
    this.buffer = new SharedArrayBuffer(count * SLOT_INTS * 4 + count * MESSAGE_BYTES);
    this.control = new Int32Array(this.buffer);
    const source = prologue + (options.startSourceForTests ?? INSTANTIATE) + epilogue;
    for (let slot = 0; slot < count; slot++) {
      const messageAt = count * SLOT_INTS * 4 + slot * MESSAGE_BYTES;
      // execArgv [] keeps a loader such as tsx out of the helper, which runs plain JavaScript.
      const worker = new Worker(source, { eval: true, execArgv: [], workerData: { module, memory, control: this.buffer, slot, messageAt } });
      worker.unref();
      // A failure is reported through the slot's state; the event (delivered later, if at all) must not crash the process.
      worker.on('error', () => {});
      this.workers.push(worker);
    }
    for (let slot = 0; slot < count; slot++) this.awaitStart(slot);
  }

  private awaitStart(slot: number): void {
    const state = slot * SLOT_INTS + STATE;
    Atomics.wait(this.control, state, STARTING, this.timeoutMs);
    const outcome = Atomics.load(this.control, state);
    if (outcome === READY) return;
    this.stop();
    const where = 'fast matMul helper thread';
    if (outcome === STARTING) throw new FairkitError(`the helper thread did not start within ${this.timeoutMs} ms`, { where, fix: 'Train with --threads 1' });
    const messageAt = this.count * SLOT_INTS * 4 + slot * MESSAGE_BYTES;
    const length = new DataView(this.buffer).getInt32(messageAt, true);
    const message = new TextDecoder().decode(new Uint8Array(this.buffer, messageAt + 4, length).slice());
    throw new FairkitError(`the helper thread failed to start: ${message}`, { where, fix: 'Train with --threads 1' });
  }

  /**
   * Runs `jobs[0]` on the calling thread through `gemm` and `jobs[1 …]` on helpers 0, 1, …, and returns when all are
   * done. The jobs must write disjoint parts of memory.
   */
  run(gemm: (...args: GemmArgs) => void, jobs: GemmArgs[]): void {
    if (jobs.length - 1 > this.count) throw new Error(`GemmThreads.run: ${jobs.length - 1} helper jobs for ${this.count} helpers`);
    this.seq = (this.seq + 1) | 0;
    for (let helper = 0; helper < jobs.length - 1; helper++) {
      const base = helper * SLOT_INTS;
      this.control.set(jobs[helper + 1], base + ARGS);
      Atomics.store(this.control, base + SEQ, this.seq);
      Atomics.notify(this.control, base + SEQ);
    }
    gemm(...jobs[0]);
    for (let helper = 0; helper < jobs.length - 1; helper++) this.awaitJob(helper);
  }

  private awaitJob(helper: number): void {
    const done = helper * SLOT_INTS + DONE;
    const previous = (this.seq - 1) | 0;
    Atomics.wait(this.control, done, previous, this.timeoutMs);
    if (Atomics.load(this.control, done) !== this.seq) {
      this.stop();
      throw new FairkitError(`a product did not finish within ${this.timeoutMs} ms`, { where: 'fast matMul helper thread' });
    }
    if (Atomics.load(this.control, helper * SLOT_INTS + STATUS) !== OK) {
      throw new FairkitError('a product failed on the helper thread', { where: 'fast matMul helper thread' });
    }
  }

  /** Ends every helper (they also end with the process). */
  stop(): void {
    for (const worker of this.workers) void worker.terminate();
  }
}

import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { Worker as NodeWorker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { FairkitError } from '../errors.js';
import { checkThreads } from './thread-count.js';

/**
 * Two (or more) threads for the wasm backend in Node (issue 17, docs/speed.md). TensorFlow.js switches its threaded
 * SIMD build off in Node because the build's pthread workers are created from `blob:` URLs, which Node's Worker
 * rejects. Here they are created from source instead: the worker script that ships in the package
 * (wasm-out/*.worker.js) is evaluated in a Node worker, and its request to load the main script from a Blob is
 * pointed at the file that ships next to it; once started, the pool workers that run no thread are ended. The
 * backend sizes XNNPACK's pool at most at (logical cores ÷ 2), read from os.cpus(); os.cpus() is widened for the
 * moment the backend reads it so that the requested count holds.
 * Pool workers never keep the process alive (Emscripten refs a worker while it runs a pthread, and XNNPACK's
 * pthreads run for the life of the process), and a start that fails or stalls ends in a FairkitError.
 */

const DEFAULT_START_TIMEOUT_MS = 120_000;

const packageDir = dirname(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')));
const WORKER_SCRIPT = join(packageDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js');
const MAIN_SCRIPT = join(packageDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');

/**
 * The pthread worker's source. The shipped script exports its text as a template literal (so its "\n" escapes are
 * newlines by now and are escaped back, as TensorFlow.js does before making its Blob); it expects CommonJS's
 * `require` and `__filename`.
 */
const POOL_WORKER_SOURCE = `
const { wasmWorkerContents } = require(${JSON.stringify(WORKER_SCRIPT)});
const mainScript = ${JSON.stringify(MAIN_SCRIPT)};
new Function('require', '__filename', wasmWorkerContents.replace(/\\n/g, '\\\\n'))(require, mainScript);
const handle = globalThis.onmessage;
globalThis.onmessage = (event) => {
  if (event.data.cmd === 'load') event.data.urlOrBlob = mainScript;
  handle(event);
};
`;

let workerSource = POOL_WORKER_SOURCE;
/** Where a pool worker's failure goes: the start under way, nowhere once a start has failed, else thrown. */
let reportFailure: ((reason: string) => void) | null = null;
let startFailed = false;
/** The threaded build's memory: Emscripten creates it inside its module, and hands it only to the pool workers. */
let sharedMemory: object | null = null;

/** Emscripten's pthread pool worker, as a Node worker that never holds the process open. */
class PoolWorker extends NodeWorker {
  constructor() {
    super(workerSource, { eval: true });
    super.unref();
    // Replaces Emscripten's handler, which rethrows and so would crash the process with a bare stack.
    super.on('error', (error: Error) => {
      const reason = `a wasm pool worker failed: ${error.message}`;
      if (reportFailure !== null) reportFailure(reason);
      else if (!startFailed) queueMicrotask(() => { throw new FairkitError(reason, { where: 'wasm backend threads' }); });
    });
  }

  override ref(): void {}

  override postMessage(message: unknown, transferList?: Parameters<NodeWorker['postMessage']>[1]): void {
    const load = message as { cmd?: string; wasmMemory?: object };
    if (load.cmd === 'load' && load.wasmMemory !== undefined) sharedMemory = load.wasmMemory;
    super.postMessage(message, transferList);
  }

  override on(event: string | symbol, listener: (...args: any[]) => void): this {
    return event === 'error' ? this : super.on(event, listener);
  }
}

let workerInstalled = false;

/** Emscripten assigns Node's Worker to the global `Worker` and creates its pool with `new Worker(url)`. */
function installPoolWorker(): void {
  if (workerInstalled) return;
  Object.defineProperty(globalThis, 'Worker', { get: () => PoolWorker, set: () => {}, configurable: true });
  workerInstalled = true;
}

export interface ThreadedStartOptions {
  /** How long the pool may take to start before the start counts as failed. */
  timeoutMs?: number;
  /** Replaces the pool worker's source (tests inject failures with it). */
  workerSourceForTests?: string;
  /**
   * Threads of XNNPACK's pool (TF.js's own kernels), 1 to `threads`; default `threads`. initBackend asks for 1 while
   * fairkit's fast matMul kernel is on, which then alone uses the other threads: XNNPACK's pool threads keep a core
   * busy after each op (docs/speed.md "Why epochs do not gain"), so with the fast kernel they only took the core its
   * helper thread needed.
   */
  poolThreads?: number;
}

/**
 * Runs `start` (which must call tf.setBackend('wasm')) with the threaded SIMD build for `threads` threads (XNNPACK's
 * pool gets options.poolThreads of them; fairkit's kernels read `threads` from wasmThreads()). Rejects
 * with a FairkitError when `start` reports a failure (a string), a pool worker fails, the start takes longer than
 * the timeout, or the backend ends up with another thread count.
 */
export async function startThreadedWasm(threads: number, start: () => Promise<string | null>, options: ThreadedStartOptions = {}): Promise<void> {
  checkThreads(threads, 'initBackend threads');
  const where = `wasm backend with ${threads} threads`;
  workerSource = options.workerSourceForTests ?? POOL_WORKER_SOURCE;
  installPoolWorker();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  const poolThreads = options.poolThreads ?? threads;
  checkThreads(poolThreads, 'poolThreads');
  if (poolThreads > threads) throw new FairkitError(`poolThreads (${poolThreads}) is more than threads (${threads})`, { where });
  setThreadsCount(poolThreads);
  const cpus = os.cpus;
  const cores = cpus().length;
  if (cores < poolThreads * 2) os.cpus = () => Array.from({ length: poolThreads * 2 }, (_, i) => cpus()[i % cores]);
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<string>((resolve) => {
    reportFailure = resolve;
    timer = setTimeout(() => resolve(`the pool did not start within ${options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS} ms`), options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  });
  try {
    const failure = await Promise.race([start(), failed]);
    startFailed = failure !== null;
    if (failure !== null) throw new FairkitError(`the threaded wasm backend failed to start: ${failure}`, { where, fix: 'Train with --threads 1' });
  } finally {
    clearTimeout(timer);
    reportFailure = null;
    os.cpus = cpus;
  }
  const actual = getThreadsCount();
  if (actual !== poolThreads) throw new FairkitError(`the threaded wasm backend runs ${actual} threads, not ${poolThreads}`, { where });
  kernelThreads = threads;
  releaseIdlePoolWorkers();
}

/** The thread count asked of the threaded start, for fairkit's kernels (XNNPACK's pool may run fewer). */
let kernelThreads = 1;

/**
 * Ends the pool workers that run no thread. Emscripten's build starts a pool of 8 whatever the thread count, and
 * XNNPACK has started its N − 1 threads by now, for the life of the process; should a thread be created later,
 * Emscripten starts a worker for it then.
 */
function releaseIdlePoolWorkers(): void {
  const pthread = (tf.backend() as unknown as { wasm?: { PThread?: { unusedWorkers?: { terminate(): unknown }[] } } }).wasm?.PThread;
  for (const worker of pthread?.unusedWorkers?.splice(0) ?? []) void worker.terminate();
}

/** The threaded wasm backend's shared WebAssembly.Memory, or null before a threaded start (fast-matmul.ts imports it). */
export function threadedWasmMemory(): object | null {
  return sharedMemory;
}

/** The thread count the wasm backend was started with, for fairkit's own kernels (1 before a threaded start). */
export function wasmThreads(): number {
  try {
    return tf.getBackend() === 'wasm' ? kernelThreads : 1;
  } catch {
    return 1;
  }
}

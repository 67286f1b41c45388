import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { FairkitError } from '../errors.js';
import { installFastMatMul } from './fast-matmul.js';
import { registerGradientFixes } from './gradient-fixes.js';
import { checkThreads } from './thread-count.js';
import { startThreadedWasm } from './wasm-threads.js';

export type BackendName = 'wasm' | 'cpu';
export type BackendPreference = BackendName | 'auto';

const PREFERENCES: readonly BackendPreference[] = ['wasm', 'cpu', 'auto'];

const THREADED_BINARY = 'tfjs-backend-wasm-threaded-simd.wasm';

let active: Promise<BackendName> | null = null;

/** The folder holding the .wasm binaries that ship inside @tensorflow/tfjs-backend-wasm. */
export function defaultWasmDir(): string {
  const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  return dirname(entry);
}

/**
 * Chooses and initialises the TensorFlow.js backend once per process and registers the gradient fixes.
 * Preference: the argument, else env FAIRKIT_BACKEND, else 'auto' (wasm, falling back to cpu with one
 * line on stderr). Later calls return the backend chosen by the first call.
 * `wasmDir` overrides where the .wasm files are looked for (tests use it to provoke the fallback).
 * `fastMatMul` (else env FAIRKIT_FAST_MATMUL; on unless set to false / 0) replaces the wasm backend's matMul by
 * fairkit's register-tiled SIMD kernel (src/nn/fast-matmul.ts, docs/speed.md); the cpu backend never uses it.
 * `threads` (default 1) above 1 starts the wasm backend's threaded SIMD build with that many threads
 * (src/nn/wasm-threads.ts); it needs the wasm backend and fails with a FairkitError rather than fall back.
 */
export async function initBackend(
  preference?: BackendPreference,
  options: { wasmDir?: string; fastMatMul?: boolean; threads?: number } = {},
): Promise<BackendName> {
  if (active === null) {
    const chosen = resolvePreference(preference);
    const fast = options.fastMatMul ?? fastMatMulFromEnv();
    const threads = checkThreads(options.threads ?? 1, 'initBackend threads');
    const wasmDir = options.wasmDir ?? defaultWasmDir();
    const started = threads === 1 ? start(chosen, wasmDir) : startThreaded(chosen, wasmDir, threads, fast);
    active = started.then((name) => {
      if (fast && name === 'wasm') installFastMatMul();
      return name;
    });
    active.catch(() => (active = null));
  }
  return active;
}

function resolvePreference(preference: BackendPreference | undefined): BackendPreference {
  if (preference !== undefined) return checkPreference(preference, 'initBackend(preference)');
  const fromEnv = process.env.FAIRKIT_BACKEND;
  if (fromEnv !== undefined && fromEnv !== '') return checkPreference(fromEnv, 'environment variable FAIRKIT_BACKEND');
  return 'auto';
}

function fastMatMulFromEnv(): boolean {
  const value = process.env.FAIRKIT_FAST_MATMUL;
  if (value === undefined || value === '' || value === '1') return true;
  if (value === '0') return false;
  throw new FairkitError(`FAIRKIT_FAST_MATMUL must be 0 or 1, got "${value}"`, { where: 'environment variable FAIRKIT_FAST_MATMUL' });
}

function checkPreference(value: string, where: string): BackendPreference {
  if ((PREFERENCES as readonly string[]).includes(value)) return value as BackendPreference;
  throw new FairkitError(`unknown backend "${value}"`, { where, fix: `Use one of ${PREFERENCES.join(', ')}` });
}

async function start(preference: BackendPreference, wasmDir: string): Promise<BackendName> {
  registerGradientFixes();
  if (preference === 'cpu') return useCpu();
  const failure = await tryWasm(wasmDir);
  if (failure === null) return 'wasm';
  if (preference === 'wasm') {
    throw new FairkitError(`the wasm backend failed to initialise: ${failure}`, {
      where: `wasm files in ${wasmDir}`,
      fix: 'Use the cpu backend instead (FAIRKIT_BACKEND=cpu)',
    });
  }
  process.stderr.write(`fairkit: the wasm backend failed to initialise (${failure}); using the slower cpu backend\n`);
  return useCpu();
}

async function startThreaded(preference: BackendPreference, wasmDir: string, threads: number, fastMatMul: boolean): Promise<'wasm'> {
  if (preference === 'cpu') {
    throw new FairkitError(`${threads} threads need the wasm backend, but the cpu backend was chosen`, { where: 'initBackend threads', fix: 'Use one thread with the cpu backend' });
  }
  const binary = join(wasmDir, THREADED_BINARY);
  if (!existsSync(binary)) throw new FairkitError(`the threaded wasm binary ${THREADED_BINARY} is missing`, { where: wasmDir, fix: 'Train with --threads 1' });
  registerGradientFixes();
  // With fairkit's kernel on, it splits the products itself; XNNPACK's pool would only take the other core from it.
  await startThreadedWasm(threads, () => tryWasm(wasmDir), { poolThreads: fastMatMul ? 1 : threads });
  return 'wasm';
}

async function useCpu(): Promise<'cpu'> {
  await tf.setBackend('cpu');
  // The cpu backend greets its first tensor with an advert for tfjs-node, which cannot install offline.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return 'cpu';
}

/**
 * Initialises wasm; returns null on success, else the first reason reported. TensorFlow.js and
 * Emscripten (which binds console.warn when its module is created) report a failure over several
 * lines of console output, so console.warn/error are captured while initialising.
 */
async function tryWasm(wasmDir: string): Promise<string | null> {
  // setWasmPaths wants a prefix to which the binary's file name is appended.
  setWasmPaths(join(wasmDir, '/'));
  const messages: string[] = [];
  let capturing = true;
  const { warn, error } = console;
  const capture = (original: (...args: unknown[]) => void) =>
    (...args: unknown[]) => (capturing ? messages.push(args.map(String).join(' ')) : original.apply(console, args));
  console.warn = capture(warn);
  console.error = capture(error);
  try {
    if (await tf.setBackend('wasm')) return null;
    return messages.find((m) => m.trim() !== '')?.trim().split('\n')[0] ?? 'no reason given';
  } finally {
    // Emscripten keeps its reference to the wrapper, which now passes everything through.
    capturing = false;
    console.warn = warn;
    console.error = error;
  }
}

/**
 * Switches the active backend after initBackend (for tests and benchmarks that compare backends).
 * Existing tensors and variables move with it.
 */
export async function switchBackend(name: BackendName): Promise<void> {
  if (active === null) throw new Error('switchBackend: call initBackend first');
  await active;
  if (name === 'cpu') await useCpu();
  else {
    const failure = await tryWasm(defaultWasmDir());
    if (failure !== null) throw new FairkitError(`the wasm backend failed to initialise: ${failure}`, { where: 'switchBackend' });
  }
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runFairkit } from './program.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI entry beside this file: main.ts under tsx, main.js once compiled. */
const runningTs = import.meta.url.endsWith('.ts');
const cli = fileURLToPath(new URL(runningTs ? './main.ts' : './main.js', import.meta.url));

/**
 * Runs `fairkit ...args` in a child process, as a user would. Each call starts TensorFlow.js anew (about a second of
 * CPU): keep it for tests of the process itself (signals, crashes, output errors, --threads, --backend, serve).
 */
export function fairkit(...args: string[]): CliRun {
  const result = spawnSync(process.execPath, [...(runningTs ? ['--import', 'tsx'] : []), cli, ...args], { encoding: 'utf8', env: { ...process.env, FAIRKIT_BACKEND: process.env.FAIRKIT_BACKEND ?? 'wasm' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The output of the in-process run under way in this async context (none outside fairkitInProcess). */
const capturing = new AsyncLocalStorage<{ stdout: string; stderr: string }>();

/**
 * Runs `fairkit ...args` in this process, with the stdout, stderr and exit code the spawned CLI would give
 * (src/cli/in-process.test.ts checks that). The commands write to process.stdout/stderr, so those writes are
 * captured while the run is under way, and only those made by the run: the test runner's own output (which also
 * goes to stdout) passes through. The streams look like pipes to the run (not a terminal), as they are to a child
 * of spawnSync. The backend is chosen once per process (initBackend): tests of --backend and --threads spawn.
 */
export async function fairkitInProcess(...args: string[]): Promise<CliRun> {
  captureProcessOutput();
  const output = { stdout: '', stderr: '' };
  const backend = process.env.FAIRKIT_BACKEND;
  process.env.FAIRKIT_BACKEND = backend ?? 'wasm';
  try {
    const status = await capturing.run(output, () => runFairkit(args));
    return { status, ...output };
  } finally {
    if (backend === undefined) delete process.env.FAIRKIT_BACKEND;
  }
}

let captureInstalled = false;

function captureProcessOutput(): void {
  if (captureInstalled) return;
  captureInstalled = true;
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const output = capturing.getStore();
      if (output === undefined) return write(chunk, ...rest);
      const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
      output[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(encoding);
      const callback = rest.find((item) => typeof item === 'function') as (() => void) | undefined;
      if (callback) process.nextTick(callback);
      return true;
    }) as typeof stream.write;
    const isTTY = stream.isTTY;
    Object.defineProperty(stream, 'isTTY', { configurable: true, get: () => (capturing.getStore() === undefined ? isTTY : false) });
  }
}

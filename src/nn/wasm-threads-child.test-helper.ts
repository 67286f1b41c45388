/**
 * Child process of wasm-threads.test.ts: each run starts the wasm backend once, in the way its argument names, prints
 * one JSON line and returns without calling process.exit (the test checks that the process then ends on its own).
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { initBackend } from './backend.js';
import { installFastMatMul, setFastMatMulEnabled } from './fast-matmul.js';
import { startThreadedWasm, wasmThreads } from './wasm-threads.js';

const setWasm = async () => ((await tf.setBackend('wasm')) ? null : 'tf.setBackend returned false');

async function run(mode: string): Promise<unknown> {
  switch (mode) {
    case 'two-threads-fast-matmul': {
      await initBackend('wasm', { threads: 2 });
      const variant = installFastMatMul();
      const a = tf.randomNormal([301, 170], 0, 1, 'float32', 1);
      const b = tf.randomNormal([90, 170], 0, 1, 'float32', 2);
      const fast = tf.matMul(a, b, false, true).dataSync();
      setFastMatMulEnabled(false);
      const reference = tf.matMul(a, b, false, true).dataSync();
      let difference = 0;
      let scale = 0;
      reference.forEach((value, i) => {
        difference += (fast[i] - value) ** 2;
        scale += value ** 2;
      });
      return { threads: wasmThreads(), variant, relativeError: Math.sqrt(difference / scale) };
    }
    case 'failing-worker':
      await startThreadedWasm(2, setWasm, { workerSourceForTests: 'throw new Error("injected pool failure")' });
      return { threads: wasmThreads() };
    case 'silent-worker':
      await startThreadedWasm(2, setWasm, { workerSourceForTests: '', timeoutMs: 3000 });
      return { threads: wasmThreads() };
    case 'missing-binary':
      await initBackend('wasm', { threads: 2, wasmDir: '/nonexistent-wasm-dir' });
      return { threads: wasmThreads() };
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

try {
  process.stdout.write(`${JSON.stringify(await run(process.argv[2]))}\n`);
} catch (error) {
  const fairkit = error instanceof FairkitError;
  process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error), fairkit })}\n`);
}

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

const runningTs = import.meta.url.endsWith('.ts');
const extension = runningTs ? '.ts' : '.js';
const loader = runningTs ? ['--import', 'tsx'] : [];
const child = fileURLToPath(new URL(`./wasm-threads-child.test-helper${extension}`, import.meta.url));
const cli = fileURLToPath(new URL(`../cli/main${extension}`, import.meta.url));
// Generous for a loaded machine; a process kept alive by idle pool workers would reach it.
const EXIT_WITHIN_MS = 180_000;

function run(args: string[], fastMatMul = '0'): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [...loader, ...args], { encoding: 'utf8', timeout: EXIT_WITHIN_MS, env: { ...process.env, FAIRKIT_FAST_MATMUL: fastMatMul } });
  assert.equal(result.signal, null, `the process did not end on its own within ${EXIT_WITHIN_MS} ms: ${result.stderr}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runChild(mode: string): Record<string, unknown> {
  const result = run([child, mode]);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
}

test('two threads start, the fast matMul kernel works on their shared memory, and the process then exits on its own', () => {
  const outcome = runChild('two-threads-fast-matmul');
  assert.equal(outcome.threads, 2);
  // Started with FAIRKIT_FAST_MATMUL=0 (runChild's default), XNNPACK's pool runs both threads.
  assert.equal(outcome.poolThreads, 2);
  assert.ok(typeof outcome.variant === 'string');
  assert.ok((outcome.relativeError as number) < 1e-6, `fast kernel against TF.js's: ${outcome.relativeError}`);
});

test('two threads split the fast kernel\'s products: bit-identical to one thread, TF.js\'s kernel to 1e-6, helper took part', () => {
  const outcome = runChild('split-products');
  assert.equal(outcome.kernelThreads, 2);
  assert.equal(outcome.runs, 200);
  assert.equal(outcome.differing, 0, 'products differ between one and two threads');
  assert.ok((outcome.maxError as number) < 1e-6, `against TF.js's kernel: ${outcome.maxError}`);
  // The helper claims chunks only once the OS runs it; over 200 products it takes some even on a busy machine.
  assert.ok((outcome.helperChunks as number) > 0, 'the helper thread computed no chunk');
});

test('two threads split the fast kernel\'s sparse products (x·W, xᵀ·G, sparseInputProducts) bit-identical to one thread and the GEMM', () => {
  const outcome = runChild('split-sparse-products');
  assert.equal(outcome.runs, 110);
  // sparseFits holds for every case (n ≥ 2; n a multiple of 4 for xᵀ·G; rows · d ≥ MIN_SPARSE_CHECK for most).
  assert.ok((outcome.sparseOnTwo as number) >= 50, `sparse path taken in ${outcome.sparseOnTwo} of 110`);
  assert.equal(outcome.differing, 0, 'sparse products differ between one thread, two threads and the GEMM');
  assert.ok((outcome.helperChunks as number) > 0, 'the helper thread computed no chunk of a sparse product');
});

test('with the fast kernel on, XNNPACK\'s pool runs one thread (the other is the kernel\'s), never more than asked', () => {
  const started = run([child, 'pool-default'], '1');
  assert.equal(started.status, 0, started.stderr);
  assert.deepEqual(JSON.parse(started.stdout.trim().split('\n').at(-1) as string), { threads: 2, poolThreads: 1 });
  const outcome = runChild('pool-above-threads');
  assert.equal(outcome.fairkit, true);
  assert.match(outcome.error as string, /poolThreads \(3\) is more than threads \(2\)/);
});

test('a fast-kernel helper thread that fails to start ends in a FairkitError naming the failure, and the process exits', () => {
  const outcome = runChild('failing-helper');
  assert.equal(outcome.fairkit, true);
  assert.match(outcome.error as string, /fast matMul helper thread: the helper thread failed to start: injected helper failure/);
});

test('a fast-kernel helper thread that never reports ends in a FairkitError after the timeout, and the process exits', () => {
  const outcome = runChild('silent-helper');
  assert.equal(outcome.fairkit, true);
  assert.match(outcome.error as string, /fast matMul helper thread: the helper thread did not start within 3000 ms/);
});

test('a pool worker that fails to load ends the start with a FairkitError, not a hang or a crash', () => {
  const outcome = runChild('failing-worker');
  assert.equal(outcome.fairkit, true);
  assert.match(outcome.error as string, /wasm backend with 2 threads: the threaded wasm backend failed to start: a wasm pool worker failed: injected pool failure/);
});

test('a pool that never reports back ends the start with a FairkitError after the timeout', () => {
  const outcome = runChild('silent-worker');
  assert.equal(outcome.fairkit, true);
  assert.match(outcome.error as string, /the pool did not start within 3000 ms/);
});

test('a missing threaded binary is named', () => {
  const outcome = runChild('missing-binary');
  assert.equal(outcome.fairkit, true);
  assert.match(outcome.error as string, /\/nonexistent-wasm-dir: the threaded wasm binary tfjs-backend-wasm-threaded-simd\.wasm is missing/);
});

const out = mkdtempSync(join(tmpdir(), 'fairkit-threads-'));
after(() => rmSync(out, { recursive: true, force: true }));

// With TF.js's matMul (XNNPACK splits its products) and with the fast kernel, whose 1000 × 200 · 200 × 200 products
// of the second hidden layer are large enough to be split between the two threads.
for (const { fastMatMul, hidden, batch } of [{ fastMatMul: '0', hidden: '64', batch: '250' }, { fastMatMul: '1', hidden: '200,200', batch: '1000' }]) {
  test(`fairkit train --threads 2 exits on its own and saves the same weights, bit for bit, as --threads 1 (FAIRKIT_FAST_MATMUL=${fastMatMul})`, () => {
    const weights = [1, 2].map((threads) => {
      const folder = join(out, `threads-${threads}-fast-${fastMatMul}`);
      const result = run([cli, 'train', '--dataset', 'synthetic', '--epochs', '2', '--batch-size', batch, '--hidden', hidden, '--backend', 'wasm', '--threads', String(threads), '--out', folder, '--format', 'json'], fastMatMul);
      assert.equal(result.status, 0, result.stderr);
      return readFileSync(join(folder, 'weights.bin'));
    });
    assert.ok(weights[0].length > 0);
    assert.ok(weights[0].equals(weights[1]), 'weights differ between --threads 1 and --threads 2');
  });
}

test('fairkit train refuses --threads with the cpu backend', () => {
  const result = run([cli, 'train', '--dataset', 'synthetic', '--epochs', '1', '--backend', 'cpu', '--threads', '2']);
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /2 threads need the wasm backend, but the cpu backend was chosen/);
});

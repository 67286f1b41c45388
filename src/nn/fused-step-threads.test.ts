import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { FusedMlpStep, type FusedThreading } from './fused-step.js';

const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
const ROWS = 600;

/** A random MLP and batch; `density` below SPARSE_INPUT_BELOW sends the first layer through the sparse kernels. */
function randomCase(seed: number, inputDim: number, hidden: number[], density: number) {
  const rng = new Rng(seed);
  const sizes = [inputDim, ...hidden, 1];
  const weights = sizes.slice(1).flatMap((out, i) => [Float32Array.from({ length: sizes[i] * out }, () => rng.normal() * 0.2), Float32Array.from({ length: out }, () => rng.normal() * 0.1)]);
  const x = Float32Array.from({ length: ROWS * inputDim }, () => (rng.uniform() < density ? rng.normal() : 0));
  const y = Float32Array.from({ length: ROWS }, () => (rng.uniform() < 0.5 ? 1 : 0));
  const rowWeights = Float32Array.from({ length: ROWS }, () => 0.5 + rng.uniform());
  return { weights, x, y, rowWeights };
}

/** Five steps on the case; returns the losses, the weights after them and the helpers' share of the chunks. */
function train(c: ReturnType<typeof randomCase>, inputDim: number, hidden: number[], threading: FusedThreading) {
  const step = new FusedMlpStep({ inputDim, hidden }, c.weights.map((w) => w.slice()), 'bce', ROWS, ADAM, undefined, threading);
  const rows = Int32Array.from({ length: ROWS }, (_, i) => i);
  const losses: number[] = [];
  for (let i = 0; i < 5; i++) {
    step.setBatch(c.x, rows, c.y, c.rowWeights);
    losses.push(step.forwardBackward());
    step.adamStep(0.01);
  }
  const outcome = { losses, weights: step.weights(), chunks: step.helperChunks() };
  step.dispose();
  return outcome;
}

// Odd sizes, so chunks end in partial row tiles and every SIMD leftover path runs; minSplitWork 1 splits every product.
for (const { name, inputDim, hidden, density } of [
  { name: 'sparse first layer', inputDim: 103, hidden: [37], density: 0.08 },
  { name: 'dense, two hidden layers', inputDim: 29, hidden: [45, 21], density: 1 },
  { name: 'sparse first layer, two hidden layers', inputDim: 150, hidden: [66, 19], density: 0.05 },
]) {
  test(`the fused step on two threads is bit-identical to one thread (${name})`, () => {
    const c = randomCase(inputDim, inputDim, hidden, density);
    const one = train(c, inputDim, hidden, { threads: 1 });
    const two = train(c, inputDim, hidden, { threads: 2, minSplitWork: 1 });
    assert.deepEqual(one.chunks, { byHelpers: 0, total: 0 });
    assert.ok(two.chunks.total > 0, 'no product was split');
    assert.deepEqual(two.losses, one.losses);
    two.weights.forEach((w, i) => assert.ok(Buffer.from(w.buffer, w.byteOffset, w.byteLength).equals(Buffer.from(one.weights[i].buffer, one.weights[i].byteOffset, one.weights[i].byteLength)), `weight array ${i} differs`));
  });
}

test('a fused-step helper thread that fails to start ends in a FairkitError naming it', () => {
  const c = randomCase(1, 10, [8], 1);
  assert.throws(
    () => new FusedMlpStep({ inputDim: 10, hidden: [8] }, c.weights, 'bce', ROWS, ADAM, undefined, { threads: 2, startSourceForTests: 'throw new Error("injected helper failure");' }),
    (error: unknown) => error instanceof FairkitError && /fused step helper thread: the helper thread failed to start: injected helper failure/.test(error.message),
  );
  assert.throws(() => new FusedMlpStep({ inputDim: 10, hidden: [8] }, c.weights, 'bce', ROWS, ADAM, undefined, { threads: 0 }), FairkitError);
});

const runningTs = import.meta.url.endsWith('.ts');
const cli = fileURLToPath(new URL(`../cli/main${runningTs ? '.ts' : '.js'}`, import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'fairkit-fused-threads-'));
after(() => rmSync(out, { recursive: true, force: true }));

test('fairkit train --fused-step --threads 2 exits on its own and saves the same weights, bit for bit, as --threads 1', () => {
  const weights = [1, 2].map((threads) => {
    const folder = join(out, `threads-${threads}`);
    // 2000 × 200 · 200 × 200 products of the second hidden layer: large enough to be split.
    const args = [...(runningTs ? ['--import', 'tsx'] : []), cli, 'train', '--dataset', 'synthetic', '--epochs', '2', '--hidden', '200,200', '--fused-step', '--backend', 'wasm', '--threads', String(threads), '--out', folder, '--format', 'json'];
    const result = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 180_000 });
    assert.equal(result.signal, null, `the process did not end on its own: ${result.stderr}`);
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /fused step not used/);
    return readFileSync(join(folder, 'weights.bin'));
  });
  assert.ok(weights[0].length > 0);
  assert.ok(weights[0].equals(weights[1]), 'weights differ between --threads 1 and --threads 2');
});

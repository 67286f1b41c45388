import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { initBackend } from './backend.js';
import { gradientFixesActive } from './gradient-fixes.js';

const probe = new URL(`./fixtures/backend-probe${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Runs the probe in a fresh process from another working directory, as an installed package would be. */
function runProbe(args: string[], env: Record<string, string | undefined> = {}) {
  const loader = import.meta.url.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
  const result = spawnSync(process.execPath, [...loader, fileURLToPath(probe), ...args], {
    cwd: tmpdir(),
    env: { ...process.env, FAIRKIT_BACKEND: undefined, FAIRKIT_FAST_MATMUL: undefined, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

test('auto picks wasm from another cwd, silently, with the fast matMul kernel on', () => {
  const run = runProbe([]);
  assert.deepEqual({ ...run, stdout: undefined }, { status: 0, stdout: undefined, stderr: '' });
  assert.match(run.stdout, /^wasm wasm 7,10,15,22 matMul=(relaxed-simd|simd)$/);
});

test('FAIRKIT_FAST_MATMUL=0 leaves TensorFlow.js\'s matMul kernel; other values than 0 and 1 are refused', () => {
  assert.deepEqual(runProbe([], { FAIRKIT_FAST_MATMUL: '0' }), { status: 0, stdout: 'wasm wasm 7,10,15,22 matMul=off', stderr: '' });
  assert.match(runProbe([], { FAIRKIT_FAST_MATMUL: '1' }).stdout, /matMul=(relaxed-simd|simd)$/);
  const run = runProbe([], { FAIRKIT_FAST_MATMUL: 'yes' });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /environment variable FAIRKIT_FAST_MATMUL: FAIRKIT_FAST_MATMUL must be 0 or 1, got "yes"/);
});

test('cpu by argument or FAIRKIT_BACKEND, without the tfjs-node advert', () => {
  assert.deepEqual(runProbe(['cpu']), { status: 0, stdout: 'cpu cpu 7,10,15,22 matMul=off', stderr: '' });
  assert.deepEqual(runProbe([], { FAIRKIT_BACKEND: 'cpu' }), { status: 0, stdout: 'cpu cpu 7,10,15,22 matMul=off', stderr: '' });
});

test('auto falls back to cpu with one line on stderr when wasm cannot start', () => {
  const run = runProbe(['auto', '/nonexistent-wasm-dir']);
  assert.equal(run.stdout, 'cpu cpu 7,10,15,22 matMul=off');
  const lines = run.stderr.split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], /^fairkit: the wasm backend failed to initialise \(.*nonexistent-wasm-dir.*\); using the slower cpu backend$/);
});

test('an explicit wasm preference fails loudly instead of falling back', () => {
  const run = runProbe(['wasm', '/nonexistent-wasm-dir']);
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /FairkitError: wasm files in \/nonexistent-wasm-dir: the wasm backend failed to initialise/);
});

test('an unknown FAIRKIT_BACKEND is a FairkitError naming the variable', () => {
  const run = runProbe([], { FAIRKIT_BACKEND: 'gpu' });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /environment variable FAIRKIT_BACKEND: unknown backend "gpu"/);
});

test('initBackend is idempotent and registers the gradient fixes', async () => {
  const first = await initBackend('wasm');
  assert.equal(first, 'wasm');
  assert.equal(await initBackend('cpu'), 'wasm');
  assert.ok(gradientFixesActive());
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { acquireRunLock } from './run-lock.js';

const root = mkdtempSync(join(tmpdir(), 'fairkit-lock-'));
after(() => rmSync(root, { recursive: true, force: true }));
const lockModule = fileURLToPath(new URL('./run-lock.js', import.meta.url));

/** Starts `n` processes that all try to take the lock of `folder` at the same moment; resolves to how many got it. */
async function race(folder: string, n: number): Promise<number> {
  // A common start well after the processes are up, and a hold long enough that no slow starter comes after it.
  const start = Date.now() + 1500;
  const script = `import { acquireRunLock } from ${JSON.stringify(lockModule)};
    while (Date.now() < ${start}) {}
    try { const release = acquireRunLock(${JSON.stringify(folder)}); console.log('GOT'); setTimeout(release, 4000); } catch { console.log('NO'); }`;
  const outputs = await Promise.all(
    Array.from({ length: n }, () =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
        let out = '';
        child.stdout.on('data', (chunk) => (out += chunk));
        child.on('close', () => resolve(out));
      }),
    ),
  );
  return outputs.filter((out) => out.includes('GOT')).length;
}

describe('bench run lock', () => {
  test('a live owner keeps the lock; a dead one (or garbage) loses it; release leaves no file behind', () => {
    writeFileSync(join(root, '.bench.lock'), `${process.ppid}\n`);
    assert.throws(() => acquireRunLock(root), (error: unknown) => error instanceof FairkitError && new RegExp(`pid ${process.ppid}`).test(error.message));
    writeFileSync(join(root, '.bench.lock'), 'not a pid\n');
    acquireRunLock(root)();
    writeFileSync(join(root, '.bench.lock'), '999999999\n');
    const mine = acquireRunLock(root);
    assert.equal(readFileSync(join(root, '.bench.lock'), 'utf8').trim(), String(process.pid));
    mine();
    assert.deepEqual(readdirSync(root).filter((name) => name.startsWith('.bench.lock')), []);
  });

  test('release does not remove a lock that another run holds now', () => {
    const release = acquireRunLock(root);
    writeFileSync(join(root, '.bench.lock'), `${process.ppid}\n`);
    release();
    assert.ok(existsSync(join(root, '.bench.lock')));
    rmSync(join(root, '.bench.lock'));
  });

  for (const stale of [false, true]) {
    test(`of six runs starting together${stale ? ' over a stale lock' : ''}, exactly one gets the lock`, { timeout: 60_000 }, async () => {
      const folder = mkdtempSync(join(root, 'race-'));
      if (stale) writeFileSync(join(folder, '.bench.lock'), '999999999\n');
      assert.equal(await race(folder, 6), 1);
      assert.deepEqual(readdirSync(folder), []);
    });
  }
});

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { ensureWritableFolder, writeFileAtomic } from './atomic-write.js';

const root = mkdtempSync(join(tmpdir(), 'fairkit-io-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('ensureWritableFolder creates missing parents, and names the option when it cannot', () => {
  const nested = join(root, 'a', 'b', 'c');
  ensureWritableFolder(nested, '--out');
  assert.ok(statSync(nested).isDirectory());
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  assert.throws(() => ensureWritableFolder(join(file, 'inside'), '--out'), (error: unknown) => error instanceof FairkitError && /--out/.test(`${error.where} ${error.message}`) && /cannot be created/.test(error.message));
});

test('ensureWritableFolder fails at once under /proc (recursive mkdir loops there)', { skip: existsSync('/proc/self') ? false : 'no /proc on this system' }, () => {
  // In a child process with a time limit: a regression would spin forever, which no in-process timeout can stop.
  const module = JSON.stringify(fileURLToPath(new URL('./atomic-write.js', import.meta.url)));
  const script = `import { ensureWritableFolder } from ${module}; try { ensureWritableFolder('/proc/fairkit-test/out', '--out'); } catch (error) { console.log(error.name, error.message); }`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(child.signal, null, 'ensureWritableFolder did not return');
  assert.match(child.stdout, /FairkitError --out: output folder \/proc\/fairkit-test\/out cannot be created/);
});

test('writeFileAtomic leaves the old file and no temporary behind when it cannot write', () => {
  const path = join(root, 'kept.txt');
  writeFileAtomic(path, 'first');
  assert.throws(() => writeFileAtomic(join(root, 'missing-folder', 'x.txt'), 'y'), FairkitError);
  writeFileAtomic(path, 'second');
  assert.equal(readFileSync(path, 'utf8'), 'second');
  assert.deepEqual(readdirSync(root).filter((name) => name.endsWith('.tmp')), []);
});

test('writeFileAtomic writes bytes whole, and a failed rename keeps what was there and leaves no temporary', () => {
  const folder = join(root, 'bytes');
  ensureWritableFolder(folder, '--out');
  const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256);
  writeFileAtomic(join(folder, 'weights.bin'), bytes);
  assert.deepEqual(new Uint8Array(readFileSync(join(folder, 'weights.bin'))), bytes);
  // A folder in the way: the rename fails after the temporary was written and flushed.
  const blocked = join(folder, 'model.json');
  ensureWritableFolder(join(blocked, 'inside'), '--out');
  assert.throws(() => writeFileAtomic(blocked, '{}'), (error: unknown) => error instanceof FairkitError && error.message.startsWith(`cannot write ${blocked}:`));
  assert.ok(statSync(join(blocked, 'inside')).isDirectory());
  assert.deepEqual(readdirSync(folder).sort(), ['model.json', 'weights.bin']);
});

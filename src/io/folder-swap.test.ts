import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { checkOutFolder, recoverFolder, StagedFolder } from './folder-swap.js';

const root = mkdtempSync(join(tmpdir(), 'fairkit-swap-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The id of a process that has exited: its leftovers are stale. */
const deadPid = spawnSync(process.execPath, ['-e', '']).pid;

const rejects = (run: () => void, message: string) => assert.throws(run, (error: unknown) => error instanceof FairkitError && error.message === message);

test('checkOutFolder allows an absent or empty folder, refuses a file, a folder of other files, and a run folder without force', () => {
  checkOutFolder(join(root, 'absent', 'run'), { force: false, option: '--out' });
  assert.ok(existsSync(join(root, 'absent')) && !existsSync(join(root, 'absent', 'run')), 'the parent is created, the folder is not');
  mkdirSync(join(root, 'empty'));
  checkOutFolder(join(root, 'empty'), { force: false, option: '--out' });
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  rejects(() => checkOutFolder(file, { force: true, option: '--out' }), `--out: ${file} is a file, not a folder. Give a folder path (it is created, or replaced with --force)`);
  rejects(() => checkOutFolder(join(file, 'run'), { force: false, option: '--out' }), `--out: output folder ${join(file, 'run')} cannot be created (${file} is not a folder)`);
  const other = join(root, 'home');
  mkdirSync(other);
  writeFileSync(join(other, 'thesis.tex'), 'years of work');
  rejects(() => checkOutFolder(other, { force: true, option: '--out' }), `--out: ${other} is a folder of other files (no model.json or metrics.json), which --force does not replace. Give a new or empty folder`);
  const run = join(root, 'run');
  mkdirSync(run);
  writeFileSync(join(run, 'metrics.json'), '{}');
  rejects(() => checkOutFolder(run, { force: false, option: '--out' }), `--out: ${run} already holds a run (metrics.json). Give --force to replace the folder whole, or another folder`);
  checkOutFolder(run, { force: true, option: '--out' });
});

test('a staged folder replaces the old one whole on commit, and leaves it untouched when discarded', () => {
  const dir = join(root, 'staged');
  mkdirSync(dir);
  writeFileSync(join(dir, 'model.json'), 'old');
  writeFileSync(join(dir, 'contribution.json'), 'old');
  const discarded = StagedFolder.open(dir, { force: true });
  discarded.writeFile('model.json', 'never');
  discarded.discard();
  assert.deepEqual(readdirSync(dir).sort(), ['contribution.json', 'model.json']);
  const staged = StagedFolder.open(dir, { force: true });
  staged.writeFile('model.json', 'new');
  staged.writeFile('metrics.json', 'new');
  assert.equal(readFileSync(join(dir, 'model.json'), 'utf8'), 'old', 'nothing changes before the commit');
  staged.commit();
  assert.deepEqual(readdirSync(dir).sort(), ['metrics.json', 'model.json'], 'not merged: the old contribution.json is gone');
  assert.equal(readFileSync(join(dir, 'model.json'), 'utf8'), 'new');
  assert.deepEqual(readdirSync(root).filter((name) => name.startsWith('.staged.')), []);
});

test('recoverFolder restores the old folder after a crash between the renames and removes stale leftovers, not live ones', () => {
  const dir = join(root, 'crashed');
  const old = join(root, `.crashed.old-${deadPid}-aa`);
  const fresh = join(root, `.crashed.tmp-${deadPid}-bb`);
  const live = join(root, `.crashed.tmp-${process.ppid}-cc`);
  for (const folder of [old, fresh, live]) mkdirSync(folder);
  writeFileSync(join(old, 'model.json'), 'old');
  writeFileSync(join(fresh, 'model.json'), 'new');
  assert.deepEqual(recoverFolder(dir), { restored: `.crashed.old-${deadPid}-aa`, removed: [`.crashed.tmp-${deadPid}-bb`] });
  assert.equal(readFileSync(join(dir, 'model.json'), 'utf8'), 'old');
  assert.deepEqual(readdirSync(root).filter((name) => name.startsWith('.crashed.')), [`.crashed.tmp-${process.ppid}-cc`], "a running process's folder is kept");
  // With the folder in place (a crash after the second rename), an .old-* is only removed.
  mkdirSync(old);
  assert.deepEqual(recoverFolder(dir), { removed: [`.crashed.old-${deadPid}-aa`] });
  assert.equal(readFileSync(join(dir, 'model.json'), 'utf8'), 'old');
  rmSync(live, { recursive: true });
});

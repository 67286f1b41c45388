import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LOCK_FILE } from './folder-lock.js';
import { SerialQueue, StateStore } from './state-store.js';

/** A state of one counter, changed by logged increments. */
async function counterStore(folder: string, snapshotEvery?: number) {
  const state = { counter: 0 };
  const store = new StateStore(folder, () => ({ ...state }), snapshotEvery);
  const saved = await store.open();
  state.counter = ((saved.snapshot as { counter?: number } | undefined)?.counter ?? 0) + (saved.changes as number[]).reduce((a, b) => a + b, 0);
  const add = (amount: number) => {
    state.counter += amount;
    store.append(amount);
    return store.commit();
  };
  return { state, store, saved, add };
}

const logLines = (path: string) => readFileSync(path, 'utf8').split('\n').filter((line) => line !== '').length;

describe('StateStore (snapshot + write-ahead log) and SerialQueue', () => {
  let root: string;
  let count = 0;
  const fresh = () => {
    const folder = join(root, `store-${count++}`);
    mkdirSync(folder);
    return folder;
  };
  before(async () => (root = await mkdtemp(join(tmpdir(), 'fairkit-state-store-'))));
  after(() => rm(root, { recursive: true, force: true }));

  test('group commit: 50 concurrent changes share fewer flushes, each resolves once the log on disk holds it', async () => {
    const { store, add } = await counterStore(fresh());
    const commits = Array.from({ length: 50 }, async (_, i) => {
      await add(1);
      assert.ok(logLines(store.logPath) >= i + 1, `change ${i + 1} resolved before the log held it`);
    });
    await Promise.all(commits);
    assert.ok(store.writes >= 1 && store.writes < 50, `${store.writes} flushes`);
    assert.equal(logLines(store.logPath), 50);
    await store.close();
  });

  test('a restart replays the snapshot and the log; every snapshotEvery changes a snapshot replaces the log', async () => {
    const folder = fresh();
    const first = await counterStore(folder, 5);
    for (let i = 1; i <= 12; i++) await first.add(i);
    await first.store.close();
    const second = await counterStore(folder, 5);
    assert.equal(second.state.counter, 78);
    // A flush that would take the log past 5 changes writes a snapshot instead: the log holds what came after it.
    const snapshot = JSON.parse(readFileSync(join(folder, 'state.json'), 'utf8')) as { counter: number; log: number };
    assert.equal(snapshot.counter + (second.saved.changes as number[]).reduce((a, b) => a + b, 0), 78);
    assert.ok(snapshot.log >= 2, `generation ${snapshot.log}`);
    assert.deepEqual(readdirSync(folder).sort(), [LOCK_FILE, `log-${snapshot.log}.jsonl`, 'state.json']);
    await second.store.close();
    assert.ok(!existsSync(join(folder, LOCK_FILE)), 'close releases the lock');
  });

  test('a torn tail (an interrupted, never acknowledged write) is cut; the changes before it are kept', async () => {
    const folder = fresh();
    const first = await counterStore(folder);
    for (const amount of [3, 4]) await first.add(amount);
    const logPath = first.store.logPath;
    await first.store.close();
    const intact = statSync(logPath).size;
    appendFileSync(logPath, '0badc0de {"half a li');
    const second = await counterStore(folder);
    assert.equal(second.state.counter, 7);
    assert.equal(second.saved.cutBytes, 20);
    assert.equal(statSync(logPath).size, intact);
    await second.add(5);
    await second.store.close();
    assert.equal((await counterStore(folder)).state.counter, 12);
  });

  test('a failed flush rejects its commits; the next one writes a whole snapshot, so nothing half-written counts', async () => {
    const folder = fresh();
    const { state, store, add } = await counterStore(folder, 0);
    await add(1);
    rmSync(folder, { recursive: true });
    await assert.rejects(add(2), /cannot write .*state\.json/);
    mkdirSync(folder);
    await add(3);
    assert.equal(JSON.parse(readFileSync(store.path, 'utf8')).counter, 6);
    assert.equal(state.counter, 6);
    await store.close();
  });

  test('one server per folder: a live lock refuses with its pid, a stale one (dead pid, or torn) is taken over', async () => {
    const folder = fresh();
    const first = await counterStore(folder);
    await assert.rejects(counterStore(folder), new RegExp(`in use by another fairkit serve \\(process ${process.pid}\\)`));
    await first.store.close();
    // The pid of a process that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    for (const stale of [`${dead}\n`, '']) {
      writeFileSync(join(folder, LOCK_FILE), stale);
      const next = await counterStore(folder);
      assert.equal(readFileSync(join(folder, LOCK_FILE), 'utf8'), `${process.pid}\n`);
      await next.store.close();
    }
  });

  test('SerialQueue runs tasks in the order queued, and a failing task does not stop the others', async () => {
    const queue = new SerialQueue();
    const order: number[] = [];
    const tasks = [3, 1, 2].map((delay, i) => queue.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      order.push(i);
      if (i === 1) throw new Error('task 1 fails');
      return i;
    }));
    const results = await Promise.allSettled(tasks);
    assert.deepEqual(order, [0, 1, 2]);
    assert.deepEqual(results.map((result) => result.status), ['fulfilled', 'rejected', 'fulfilled']);
  });
});

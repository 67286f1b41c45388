import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SerialQueue, StateStore } from './state-store.js';

describe('StateStore and SerialQueue', () => {
  let folder: string;
  before(async () => (folder = await mkdtemp(join(tmpdir(), 'fairkit-state-store-'))));
  after(() => rm(folder, { recursive: true, force: true }));

  test('group commit: 50 concurrent commits share fewer writes, each resolves after a write holding its change', async () => {
    let counter = 0;
    const store = new StateStore(folder, () => JSON.stringify({ counter }));
    assert.equal(store.read(), undefined);
    const commits = Array.from({ length: 50 }, async () => {
      const mine = ++counter;
      await store.commit();
      const saved = JSON.parse(await readFile(store.path, 'utf8')) as { counter: number };
      assert.ok(saved.counter >= mine, `commit ${mine} resolved before a write holding it (${saved.counter})`);
    });
    await Promise.all(commits);
    assert.ok(store.writes >= 1 && store.writes < 50, `${store.writes} writes`);
    assert.deepEqual(store.read(), { counter: 50 });
    // No temporary file is left beside the state.
    assert.deepEqual(await readdir(folder), ['state.json']);
  });

  test('a failed write rejects its commits with a FairkitError and the next commit writes again', async () => {
    const store = new StateStore(join(folder, 'missing-folder'), () => '{}');
    await assert.rejects(store.commit(), /cannot write .*state\.json/);
    await assert.rejects(store.commit(), /cannot write/);
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

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { initBackend } from '../nn/backend.js';
import { buildServer } from './app.js';
import { exampleRecords, lcg, startServeProcess, trainTinyModel } from './serve.test-helper.js';

describe('fairkit serve under kill -9', () => {
  let folder: string;
  let modelDir: string;
  before(async () => {
    await initBackend('wasm');
    folder = await mkdtemp(join(tmpdir(), 'fairkit-serve-kill-'));
    modelDir = join(folder, 'flayer');
    await trainTinyModel(modelDir, 'flayer');
  });
  after(() => rm(folder, { recursive: true, force: true }));

  test('3 kills mid-stream: acknowledged batches are never lost, none is half applied, and the stream carries on exactly', async (t) => {
    const records = exampleRecords();
    const random = lcg(16);
    // Back-to-back requests of 1 to 4 rows; the batch list is fixed, the kills fall where the timer says.
    const batches: (typeof records)[] = [];
    for (let start = 0; start < records.length; ) {
      const size = 1 + Math.floor(random() * 4);
      batches.push(records.slice(start, start + size));
      start += size;
    }
    const stateDir = join(folder, 'state');
    const applied: number[] = [];
    const answers = new Map<number, unknown>();
    let acknowledgedRows = 0;
    let inFlight: number | undefined;
    let next = 0;
    const figures = { kills: 0, inFlightApplied: 0, inFlightLost: 0 };
    for (let cycle = 0; cycle <= 3; cycle++) {
      const { child, url, exited } = await startServeProcess(modelDir, stateDir);
      const { rows } = (await (await fetch(`${url}/v1/fairness`)).json()) as { rows: number };
      // The batch in flight at the kill is applied whole or not at all; everything acknowledged is there.
      if (inFlight !== undefined && rows === acknowledgedRows + batches[inFlight].length) {
        applied.push(inFlight);
        acknowledgedRows = rows;
        next = inFlight + 1;
        figures.inFlightApplied++;
      } else {
        assert.equal(rows, acknowledgedRows, `cycle ${cycle}: ${rows} rows after restart, ${acknowledgedRows} acknowledged`);
        if (inFlight !== undefined) figures.inFlightLost++;
      }
      inFlight = undefined;
      const last = cycle === 3;
      let alive = true;
      let timer: NodeJS.Timeout | undefined;
      // The kill timer starts once the first request of the cycle is answered (the first one warms the model up).
      const armKill = () => (timer ??= last ? undefined : setTimeout(() => ((alive = false), child.kill('SIGKILL')), 30 + random() * 200));
      const stop = last ? 40 + next : batches.length;
      while (alive && next < stop) {
        inFlight = next;
        try {
          const answer = await fetch(`${url}/v1/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows: batches[next] }) });
          assert.equal(answer.status, 200);
          answers.set(next, await answer.json());
        } catch (error) {
          if (alive) throw error;
          break;
        }
        applied.push(next);
        acknowledgedRows += batches[next].length;
        inFlight = undefined;
        next++;
        armKill();
      }
      if (last) {
        const final = await (await fetch(`${url}/v1/fairness`)).json();
        child.kill('SIGTERM');
        await exited;
        // An uninterrupted server fed the applied batches in the same order ends in the same state, bit for bit.
        const reference = await buildServer({ modelDir });
        try {
          for (const k of applied) {
            const answer = await reference.inject({ method: 'POST', url: '/v1/predict', payload: { rows: batches[k] } });
            if (answers.has(k)) assert.deepEqual(answer.json(), answers.get(k), `batch ${k}`);
          }
          assert.deepEqual(final, (await reference.inject('/v1/fairness')).json());
        } finally {
          await reference.close();
        }
        assert.ok(final.stream.weightedAverageGap <= final.stream.bound);
      } else {
        await exited;
        figures.kills++;
      }
    }
    assert.equal(figures.kills, 3);
    assert.ok(applied.length > 40 + 3, `only ${applied.length} batches got through`);
    // The figures docs/serve.md quotes.
    t.diagnostic(`kill -9 figures: ${JSON.stringify({ ...figures, batchesApplied: applied.length })}`);
  });
});

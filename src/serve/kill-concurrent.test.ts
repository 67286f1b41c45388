import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { InputRecord } from '../model-folder/records.js';
import { fairkit } from '../cli/run-cli.test-helper.js';
import { initBackend } from '../nn/backend.js';
import { buildServer } from './app.js';
import { LOCK_FILE } from './folder-lock.js';
import { exampleRecords, lcg, startServeProcess, trainTinyModel } from './serve.test-helper.js';

const CLIENTS = 8;
const KILLS = 3;

interface Sent {
  rows: InputRecord[];
  /** The answer's predictions, when the request was acknowledged. */
  predictions?: { id: number }[];
}

/** An in-memory server fed the requests in order; returns it and its answers (closed by the caller). */
async function replay(modelDir: string, requests: readonly Sent[]): Promise<{ app: FastifyInstance; answers: unknown[] }> {
  const app = await buildServer({ modelDir });
  const answers = [];
  for (const { rows } of requests) answers.push((await app.inject({ method: 'POST', url: '/v1/predict', payload: { rows } })).json());
  return { app, answers };
}

/** The row count of every request in the state folder's log, in the log's (the serial) order; stops at a torn line. */
function loggedRequestSizes(stateDir: string): number[] {
  const sizes: number[] = [];
  for (const line of readFileSync(join(stateDir, 'log-0.jsonl'), 'utf8').split('\n')) {
    try {
      sizes.push((JSON.parse(line.slice(9)) as { rows: unknown[] }).rows.length);
    } catch {
      break;
    }
  }
  return sizes;
}

const fairness = async (url: string) => (await (await fetch(`${url}/v1/fairness`)).json()) as { rows: number; predictRequests: number; stream: { weightedAverageGap: number; bound: number } };

describe('fairkit serve under kill -9 with concurrent clients', () => {
  let folder: string;
  let modelDir: string;
  before(async () => {
    await initBackend('wasm');
    folder = await mkdtemp(join(tmpdir(), 'fairkit-serve-kill-concurrent-'));
    modelDir = join(folder, 'flayer');
    await trainTinyModel(modelDir, 'flayer');
  });
  after(() => rm(folder, { recursive: true, force: true }));

  test(`${CLIENTS} clients, ${KILLS} kills: every acknowledged request is in the state exactly once, and the state equals an uninterrupted server's`, async (t) => {
    const records = exampleRecords();
    const random = lcg(61);
    const stateDir = join(folder, 'state');
    // The applied requests in the server's serial order (the order of the ids it handed out).
    const applied: Sent[] = [];
    const figures = { kills: 0, acknowledged: 0, inFlightAtKills: 0, appliedUnacknowledged: 0 };
    let server = await startServeProcess(modelDir, stateDir);
    for (let cycle = 0; cycle <= KILLS; cycle++) {
      const { child, url, exited } = server;
      const last = cycle === KILLS;
      let alive = true;
      let timer: NodeJS.Timeout | undefined;
      const acknowledged: Sent[] = [];
      const lost: Sent[] = [];
      // Client c sends c + 1 rows a request (sizes tell the requests lost at a kill apart), until the kill.
      const client = async (c: number) => {
        for (let k = 0; alive && (!last || k < 3); k++) {
          const start = (cycle * 389 + c * 97 + k * 13) % (records.length - CLIENTS);
          const sent: Sent = { rows: records.slice(start, start + c + 1) };
          try {
            const answer = await fetch(`${url}/v1/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows: sent.rows }) });
            assert.equal(answer.status, 200);
            sent.predictions = ((await answer.json()) as { predictions: { id: number }[] }).predictions;
            acknowledged.push(sent);
            timer ??= last ? undefined : setTimeout(() => ((alive = false), child.kill('SIGKILL')), 100 + random() * 300);
          } catch (error) {
            if (alive) throw error;
            lost.push(sent);
            return;
          }
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
      if (last) {
        applied.push(...acknowledged.sort((a, b) => a.predictions![0].id - b.predictions![0].id));
        figures.acknowledged += acknowledged.length;
        const final = await fairness(url);
        // A second server on the folder stops at once, naming the running one.
        const second = fairkit('serve', '--model', modelDir, '--state', stateDir, '--port', '0');
        assert.equal(second.status, 2);
        assert.match(second.stderr, new RegExp(`lock: the state folder is in use by another fairkit serve \\(process ${child.pid}\\)`));
        child.kill('SIGTERM');
        await exited;
        // The whole history against an uninterrupted server: the same answers to every acknowledged request, the
        // same state bit for bit.
        const reference = await replay(modelDir, applied);
        try {
          applied.forEach((sent, i) => sent.predictions && assert.deepEqual((reference.answers[i] as { predictions: unknown }).predictions, sent.predictions, `request ${i}`));
          assert.deepEqual(final, (await reference.app.inject('/v1/fairness')).json());
          assert.equal(final.rows, applied.reduce((sum, sent) => sum + sent.rows.length, 0));
          assert.ok(final.stream.weightedAverageGap <= final.stream.bound);
        } finally {
          await reference.app.close();
        }
        break;
      }
      await exited;
      figures.kills++;
      // The killed server's lock stays behind, naming a dead process: the restart takes it over.
      assert.equal(readFileSync(join(stateDir, LOCK_FILE), 'utf8'), `${child.pid}\n`);
      figures.acknowledged += acknowledged.length;
      figures.inFlightAtKills += lost.length;
      // The log records the serial order: one line per applied request, with its rows. Read before the restart (which
      // cuts a torn tail), it says which requests were applied: an acknowledged one where its first id is, else one
      // lost in flight (applied and saved, but killed before its answer) of that size (one per client, sizes differ).
      const logged = loggedRequestSizes(stateDir).slice(applied.length);
      server = await startServeProcess(modelDir, stateDir);
      const state = await fairness(server.url);
      const byId = new Map(acknowledged.map((sent) => [sent.predictions![0].id, sent]));
      let id = applied.reduce((sum, sent) => sum + sent.rows.length, 0) + 1;
      const matched: Sent[] = [];
      for (const size of logged) {
        const sent = byId.get(id) ?? lost.find((candidate) => candidate.rows.length === size && !matched.includes(candidate));
        if (sent === undefined || sent.rows.length !== size) break; // a torn last line: cut at the restart
        matched.push(sent);
        id += size;
      }
      for (const sent of acknowledged) assert.equal(matched.filter((other) => other === sent).length, 1, `cycle ${cycle}: an acknowledged request is applied exactly once`);
      assert.equal(state.rows, id - 1, `cycle ${cycle}: the restarted server's rows`);
      // The restarted state against an uninterrupted server fed the same requests, bit for bit.
      const reference = await replay(modelDir, [...applied, ...matched]);
      try {
        assert.deepEqual(state, (await reference.app.inject('/v1/fairness')).json(), `cycle ${cycle}: the restarted state`);
      } finally {
        await reference.app.close();
      }
      figures.appliedUnacknowledged += matched.length - acknowledged.length;
      applied.push(...matched);
    }
    assert.equal(figures.kills, KILLS);
    t.diagnostic(`concurrent kill -9 figures: ${JSON.stringify({ ...figures, requestsApplied: applied.length })}`);
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { InputRecord } from '../model-folder/records.js';
import { initBackend } from '../nn/backend.js';
import { appendFileSync, readFileSync } from 'node:fs';
import { positiveProbability } from '../postprocess/thresholds.js';
import { FairStream } from '../stream/index.js';
import { buildServer, type ServeOptions } from './app.js';
import { rowUniform } from './scorer.js';
import { logLine } from './state-store.js';
import { csvBody, exampleRecords, trainTinyModel } from './serve.test-helper.js';

interface PredictionJson {
  id: number;
  score: number | null;
  adjusted: number | null;
  decision: 0 | 1 | null;
  group?: string;
}

const logit = (p: number) => Math.log(p / (1 - p));
const TOKEN = 'a-test-token-0123456789';

describe('fairkit serve (in process, app.inject)', () => {
  let folder: string;
  let flayerDir: string;
  let ermDir: string;
  let thresholdsDir: string;
  const records = exampleRecords();
  const opened: FastifyInstance[] = [];
  const open = async (options: Partial<ServeOptions> & { modelDir: string }) => {
    const app = await buildServer(options);
    opened.push(app);
    return app;
  };
  const predict = async (app: FastifyInstance, rows: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/v1/predict', payload: { rows } as object, headers });

  before(async () => {
    await initBackend('wasm');
    folder = await mkdtemp(join(tmpdir(), 'fairkit-serve-'));
    flayerDir = join(folder, 'flayer');
    ermDir = join(folder, 'erm');
    await trainTinyModel(flayerDir, 'flayer');
    await trainTinyModel(ermDir, 'erm');
    thresholdsDir = join(folder, 'thresholds');
    await trainTinyModel(thresholdsDir, 'erm', ['--postprocess', 'thresholds:eo']);
  });
  after(async () => {
    for (const app of opened) await app.close();
    await rm(folder, { recursive: true, force: true });
  });

  test('JSON and CSV bodies give the same predictions; a model without a stream returns its score as adjusted', async () => {
    const app = await open({ modelDir: ermDir });
    const rows = records.slice(0, 5);
    const json = (await predict(app, rows)).json().predictions as PredictionJson[];
    const csv = (await app.inject({ method: 'POST', url: '/v1/predict', payload: csvBody(rows), headers: { 'content-type': 'text/csv' } })).json().predictions as PredictionJson[];
    assert.deepEqual(json.map(({ id }) => id), [1, 2, 3, 4, 5]);
    assert.deepEqual(csv.map(({ id }) => id), [6, 7, 8, 9, 10]);
    json.forEach((row, i) => {
      assert.equal(row.score, csv[i].score);
      assert.equal(row.adjusted, row.score);
      assert.equal(row.decision, row.score! >= 0.5 ? 1 : 0);
      assert.equal(row.group, rows[i].group);
    });
    const fairness = (await app.inject('/v1/fairness')).json();
    assert.equal(fairness.rows, 10);
    assert.equal(fairness.stream, null);
  });

  test('concurrent requests update the stream in one serial order: the state equals a FairStream fed the batches in id order', async () => {
    const app = await open({ modelDir: flayerDir, eta0: 0.5 });
    // 24 requests of 1 to 7 rows sent at once; sizes vary so single-group and mixed batches both occur.
    const batches = Array.from({ length: 24 }, (_, k) => records.slice(10 * k, 10 * k + 1 + (k % 7)));
    const answers = await Promise.all(batches.map((rows) => predict(app, rows)));
    const results = answers.map((answer) => answer.json().predictions as PredictionJson[]);
    // Ids are handed out as the stream applies batches: sort the batches by their first id to get that order.
    const order = results.map((rows, k) => ({ rows, k })).sort((a, b) => a.rows[0].id - b.rows[0].id);
    const reference = new FairStream({ epsilon: 0.05, eta0: 0.5, groups: 2 });
    for (const { rows, k } of order) {
      const groups = Int32Array.from(rows, (row) => (row.group === 'majority' ? 0 : 1));
      const adjusted = reference.update(rows.map((row) => logit(row.score!)), groups);
      rows.forEach((row, i) => assert.ok(Math.abs(logit(row.adjusted!) - adjusted[i]) < 1e-9, `batch ${k} row ${i}`));
      assert.deepEqual(rows.map((row) => row.group), batches[k].map((record) => record.group));
    }
    const { stream, rows } = (await app.inject('/v1/fairness')).json();
    const expected = reference.report();
    assert.equal(rows, expected.rows);
    assert.equal(stream.batches, 24);
    assert.ok(Math.abs(stream.lambda - expected.lambda) < 1e-9);
    assert.ok(stream.weightedAverageGap <= stream.bound);
  });

  test('outcomes joined by id give per-group TPR and FPR; unknown and repeated ids are reported, not counted', async () => {
    const app = await open({ modelDir: ermDir });
    const rows = records.slice(0, 40);
    const predictions = (await predict(app, rows)).json().predictions as PredictionJson[];
    const labels = predictions.map((_, i) => (i % 3 === 0 ? 0 : 1) as 0 | 1);
    const answer = await app.inject({ method: 'POST', url: '/v1/outcomes', payload: { outcomes: [...predictions.map(({ id }, i) => ({ id, label: labels[i] })), { id: 1, label: 1 }, { id: 999, label: 0 }] } });
    assert.equal(answer.statusCode, 200);
    assert.equal(answer.json().recorded, 40);
    assert.deepEqual(answer.json().ignored.map(({ id }: { id: number }) => id), [1, 999]);
    const report = (await app.inject('/v1/fairness')).json();
    for (const group of report.groups) {
      const mine = predictions.flatMap((p, i) => (p.group === group.group ? [{ decision: p.decision, label: labels[i] }] : []));
      const rate = (label: 0 | 1) => mine.filter((m) => m.label === label && m.decision === 1).length / mine.filter((m) => m.label === label).length;
      assert.equal(group.labelled, mine.length);
      assert.equal(group.tpr, rate(1));
      assert.equal(group.fpr, rate(0));
    }
    assert.equal(report.gaps.tpr, Math.abs(report.groups[0].tpr - report.groups[1].tpr));
    const metrics = (await app.inject('/metrics')).body;
    assert.match(metrics, /^fairkit_rows_scored_total 40$/m);
    assert.match(metrics, /^fairkit_http_request_duration_seconds_count\{route="\/v1\/predict"\} 1$/m);
    assert.match(metrics, new RegExp(`^fairkit_gap\\{metric="tpr"\\} ${report.gaps.tpr}$`, 'm'));
  });

  test('a bearer token guards predict and outcomes, not the read-only routes; the OpenAPI document lists every route', async () => {
    const app = await open({ modelDir: ermDir, token: TOKEN });
    assert.equal((await predict(app, records.slice(0, 1))).statusCode, 401);
    assert.equal((await predict(app, records.slice(0, 1), { authorization: 'Bearer wrong' })).statusCode, 401);
    assert.equal((await predict(app, records.slice(0, 1), { authorization: `Bearer ${TOKEN}` })).statusCode, 200);
    assert.equal((await app.inject({ method: 'POST', url: '/v1/outcomes', payload: { outcomes: [{ id: 1, label: 1 }] } })).statusCode, 401);
    assert.equal((await app.inject('/health')).statusCode, 200);
    const openapi = (await app.inject('/openapi.json')).json();
    assert.deepEqual(Object.keys(openapi.paths).sort(), ['/health', '/metrics', '/v1/fairness', '/v1/outcomes', '/v1/predict']);
    assert.deepEqual(openapi.paths['/v1/predict'].post.security, [{ bearer: [] }]);
  });

  test('bad input: a 4xx JSON error naming the problem, no stack trace, and the state unchanged', async () => {
    const app = await open({ modelDir: flayerDir, bodyLimit: 4096 });
    const good = records[0];
    const cases: [string, string, string, number, RegExp][] = [
      ['malformed JSON', 'application/json', '{"rows": [', 400, /not valid JSON/],
      ['no rows', 'application/json', '{"rows": []}', 400, /fewer than 1/],
      ['not an object', 'application/json', '[1, 2]', 400, /body must be object/],
      ['unknown column', 'application/json', JSON.stringify({ rows: [{ ...good, colour: 'red' }] }), 400, /row 1: unknown column "colour"/],
      ['missing column', 'application/json', JSON.stringify({ rows: [good, { ...good, income: undefined }] }), 400, /row 2: missing column income/],
      ['wrong type', 'application/json', JSON.stringify({ rows: [{ ...good, income: 'lots' }] }), 400, /"lots" is not a number.*income/],
      ['nested value', 'application/json', JSON.stringify({ rows: [{ ...good, income: [1] }] }), 400, /rows\/0\/income must be/],
      ['unknown group', 'application/json', JSON.stringify({ rows: [{ ...good, group: 'martian' }] }), 400, /row 1: .*martian.*needs a group seen in training/],
      ['ragged CSV', 'text/csv', 'group,income\nmajority', 400, /CSV body cannot be read/],
      ['too large', 'application/json', JSON.stringify({ rows: Array(200).fill(good) }), 413, /.+/],
      ['unsupported type', 'application/xml', '<rows/>', 415, /.+/],
    ];
    for (const [name, type, payload, status, message] of cases) {
      const answer = await app.inject({ method: 'POST', url: '/v1/predict', payload, headers: { 'content-type': type } });
      assert.equal(answer.statusCode, status, `${name}: ${answer.body}`);
      const body = answer.json();
      assert.match(body.message, message, name);
      assert.equal(typeof body.error, 'string');
      assert.doesNotMatch(answer.body, /\bat .*\.js:\d+/, name);
    }
    assert.equal((await app.inject({ method: 'POST', url: '/v1/outcomes', payload: { outcomes: [{ id: 1, label: 2 }] } })).statusCode, 400);
    assert.equal((await app.inject('/v1/nothing')).json().error, 'not_found');
    assert.equal((await app.inject('/v1/fairness')).json().rows, 0);
  });

  test('fuzz: 300 random bodies never crash the server nor answer 5xx, and it still scores afterwards', async () => {
    const app = await open({ modelDir: flayerDir });
    const cell = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.constant(null), fc.boolean(), fc.constant('majority'), fc.constant('minority'));
    const row = fc.oneof(fc.dictionary(fc.constantFrom(...Object.keys(records[0]), 'extra'), cell), fc.record(Object.fromEntries(Object.keys(records[0]).map((name) => [name, cell]))));
    const body = fc.oneof(
      fc.string().map((text) => ({ type: 'application/json', payload: text })),
      fc.json().map((text) => ({ type: 'application/json', payload: text })),
      fc.array(row, { maxLength: 5 }).map((rows) => ({ type: 'application/json', payload: JSON.stringify({ rows }) })),
      fc.array(fc.array(fc.string(), { maxLength: 4 }), { maxLength: 4 }).map((lines) => ({ type: 'text/csv', payload: lines.map((l) => l.join(',')).join('\n') })),
    );
    await fc.assert(
      fc.asyncProperty(body, async ({ type, payload }) => {
        const answer = await app.inject({ method: 'POST', url: '/v1/predict', payload, headers: { 'content-type': type } });
        assert.ok(answer.statusCode < 500, `${answer.statusCode} ${answer.body} for ${payload}`);
        if (answer.statusCode !== 200) assert.equal(typeof answer.json().message, 'string');
      }),
      { numRuns: 300, seed: 16 },
    );
    const after = await predict(app, records.slice(0, 3));
    assert.equal(after.statusCode, 200);
  });

  test('a state folder: a restarted server resumes ids, counters and the stream exactly where the closed one stopped', async () => {
    const stateDir = join(folder, 'state');
    const batches = [records.slice(0, 3), records.slice(3, 4), records.slice(4, 9), records.slice(9, 10)];
    const first = await open({ modelDir: flayerDir, stateDir });
    for (const rows of batches.slice(0, 2)) assert.equal((await predict(first, rows)).statusCode, 200);
    await first.close();
    const second = await open({ modelDir: flayerDir, stateDir });
    const resumed = [];
    for (const rows of batches.slice(2)) resumed.push(...((await predict(second, rows)).json().predictions as PredictionJson[]));
    const uninterrupted = await open({ modelDir: flayerDir });
    const straight = [];
    for (const rows of batches) straight.push(...((await predict(uninterrupted, rows)).json().predictions as PredictionJson[]));
    assert.deepEqual(resumed, straight.slice(4));
    assert.deepEqual((await second.inject('/v1/fairness')).json(), (await uninterrupted.inject('/v1/fairness')).json());
    // One server per state folder, and a state folder belongs to one model.
    await assert.rejects(buildServer({ modelDir: flayerDir, stateDir }), /state folder is in use by another fairkit serve \(process \d+\)/);
    await second.close();
    await assert.rejects(buildServer({ modelDir: ermDir, stateDir }), /state was written for another model/);
    // A logged change that does not fit the model (intact line, wrong content) stops the start, naming the line.
    const log = join(stateDir, 'log-0.jsonl');
    const lines = readFileSync(log, 'utf8').split('\n').length - 1;
    appendFileSync(log, logLine({ rows: [[7, 1, 0.5]], stream: null }));
    await assert.rejects(buildServer({ modelDir: flayerDir, stateDir }), new RegExp(`log-0\\.jsonl, line ${lines + 1}: a logged change has no stream state`));
  });

  test("a model with group thresholds: adjusted is its probability of a positive, the decision a draw keyed on the row's id", async () => {
    const state = JSON.parse(readFileSync(join(thresholdsDir, 'model.json'), 'utf8')).postprocessor;
    const app = await open({ modelDir: thresholdsDir });
    const response = await predict(app, records.slice(0, 200));
    assert.equal(response.statusCode, 200, response.body);
    const predictions = (response.json() as { predictions: PredictionJson[] }).predictions;
    for (const p of predictions) {
      assert.equal(p.adjusted, positiveProbability(state, p.group!, p.score!));
      assert.equal(p.decision, rowUniform(state.seed, p.id) < p.adjusted! ? 1 : 0);
    }
    const unknown = await predict(app, [{ ...records[0], group: 'nobody' }]);
    assert.equal(unknown.statusCode, 400);
    assert.match((unknown.json() as { message: string }).message, /group/);
  });

  test('the per-row draws are uniform: over 20,000 ids their mean and the share below 0.3 are within 4 standard errors', () => {
    const draws = Array.from({ length: 20_000 }, (_, id) => rowUniform(7, id + 1));
    const mean = draws.reduce((sum, u) => sum + u, 0) / draws.length;
    assert.ok(Math.abs(mean - 0.5) < 4 * Math.sqrt(1 / 12 / draws.length), `mean ${mean}`);
    const below = draws.filter((u) => u < 0.3).length / draws.length;
    assert.ok(Math.abs(below - 0.3) < 4 * Math.sqrt((0.3 * 0.7) / draws.length), `share ${below}`);
    assert.ok(draws.every((u) => u >= 0 && u < 1));
  });
});

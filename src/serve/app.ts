/**
 * `fairkit serve` as a Fastify app: buildServer() for tests (app.inject) and listen() for the command. Every change
 * of state (predict, outcomes) runs in one serial queue and is answered only once it is durable (see StateStore).
 * Every error answer is JSON { error, message } with a 4xx status for what the client can fix; a stack never leaves.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import swagger from '@fastify/swagger';
import { parse } from 'csv-parse/sync';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { FairkitError } from '../errors.js';
import { ensureWritableFolder } from '../io/atomic-write.js';
import { DEFAULT_ROW_POLICY, FittedModel, type RowPolicy } from '../model-folder/fitted-model.js';
import { fairkitVersion } from '../model-folder/folder.js';
import type { InputRecord } from '../model-folder/records.js';
import { fairnessReport, RequestMetrics } from './monitor.js';
import { healthSchema, outcomesSchema, predictSchema, fairnessSchema } from './route-schemas.js';
import { RequestError, Scorer } from './scorer.js';
import { SerialQueue, StateStore } from './state-store.js';

export interface ServeOptions {
  modelDir: string;
  /** Folder of the durable state; without it the state lives in memory only. */
  stateDir?: string;
  /** Bearer token guarding the endpoints that change state (predict, outcomes). */
  token?: string;
  /** Decision threshold on the adjusted score (classification). */
  threshold?: number;
  policy?: RowPolicy;
  /** Base dual step η0 of the online stream (F-Layer and projection models). */
  eta0?: number;
  /** Predictions kept waiting for their label (the oldest are dropped beyond). */
  maxPending?: number;
  /** Largest request body in bytes. */
  bodyLimit?: number;
}

export const SERVE_DEFAULTS = { threshold: 0.5, eta0: 0.5, maxPending: 10_000, bodyLimit: 1_048_576 } as const;

const STATUS_NAMES: Record<number, string> = { 400: 'bad_request', 401: 'unauthorized', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict', 413: 'body_too_large', 415: 'unsupported_media_type', 503: 'unavailable' };

/** Builds the app around a loaded model (TensorFlow.js must be initialised); closing the app disposes the model. */
export async function buildServer(options: ServeOptions): Promise<FastifyInstance> {
  const fitted = await FittedModel.load(options.modelDir);
  try {
    return await buildAround(fitted, options);
  } catch (error) {
    fitted.dispose();
    throw error;
  }
}

async function buildAround(fitted: FittedModel, options: ServeOptions): Promise<FastifyInstance> {
  if (fitted.needs.labelsAtPredict) throw new FairkitError(`method '${fitted.folder.method.name}' needs labels at prediction, which a prediction service does not have`, { where: options.modelDir });
  const scorer = new Scorer(fitted, { threshold: options.threshold ?? SERVE_DEFAULTS.threshold, policy: options.policy ?? DEFAULT_ROW_POLICY, eta0: options.eta0 ?? SERVE_DEFAULTS.eta0, maxPending: options.maxPending ?? SERVE_DEFAULTS.maxPending });
  const { state } = scorer;
  let store: StateStore | undefined;
  if (options.stateDir !== undefined) {
    ensureWritableFolder(options.stateDir, '--state');
    store = new StateStore(options.stateDir, () => state.toJSON());
    const saved = await store.open();
    try {
      if (saved.snapshot !== undefined) state.restore(saved.snapshot, store.path);
      saved.changes.forEach((change, index) => state.replay(change, `${store!.logPath}, line ${index + 1}`));
    } catch (error) {
      await store.close();
      throw error;
    }
    if (saved.cutBytes > 0) process.stderr.write(`fairkit serve: cut ${saved.cutBytes} bytes of an interrupted write (never acknowledged) from ${store.logPath}\n`);
  }
  const queue = new SerialQueue();
  const metrics = new RequestMetrics();
  const report = () => fairnessReport(state, scorer.groupKeys, scorer.regression, scorer.stream);
  const durable = async () => {
    if (!store) return;
    try {
      await store.commit();
    } catch {
      // The change stays in memory and goes out with the next snapshot; this request is not acknowledged.
      throw new RequestError(503, 'the state could not be saved; the request is not acknowledged, retry later');
    }
  };

  const app = Fastify({ bodyLimit: options.bodyLimit ?? SERVE_DEFAULTS.bodyLimit, logger: false, ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allowUnionTypes: true } } });
  app.addHook('onClose', async () => {
    await store?.close();
    fitted.dispose();
  });
  await app.register(swagger, { openapi: { info: { title: 'fairkit serve', version: fairkitVersion(), description: `Serves the ${fitted.folder.method.name} model from ${options.modelDir}.` }, components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } } });

  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, { rows: csvRecords(body as string) });
    } catch (error) {
      done(new RequestError(400, `the CSV body cannot be read: ${(error as Error).message}`), undefined);
    }
  });

  const started = new WeakMap<FastifyRequest, bigint>();
  app.addHook('onRequest', async (request) => void started.set(request, process.hrtime.bigint()));
  app.addHook('onResponse', async (request, reply) => {
    const start = started.get(request);
    if (start !== undefined) metrics.record(request.routeOptions.url ?? 'unmatched', reply.statusCode, Number(process.hrtime.bigint() - start) / 1e9);
  });

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, _request, reply) => {
    const status = error instanceof RequestError ? error.statusCode : error.validation ? 400 : error.statusCode;
    if (status !== undefined && status >= 400 && status < 600 && status !== 500) {
      return reply.code(status).send({ error: STATUS_NAMES[status] ?? 'error', message: error.message });
    }
    process.stderr.write(`fairkit serve: internal error: ${error.message}\n`);
    return reply.code(500).send({ error: 'internal', message: 'internal error (see the server log)' });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }));

  const guard = tokenGuard(options.token);
  app.post<{ Body: { rows: InputRecord[] } }>('/v1/predict', { schema: predictSchema(options.token !== undefined), onRequest: guard }, async (request) => {
    const { rows } = request.body;
    scorer.check(rows);
    const predictions = await queue.run(() => {
      const { predictions, change } = scorer.apply(rows);
      store?.append(change);
      return predictions;
    });
    await durable();
    return { predictions };
  });

  app.post<{ Body: { outcomes: { id: number; label: 0 | 1 }[] } }>('/v1/outcomes', { schema: outcomesSchema(options.token !== undefined), onRequest: guard }, async (request) => {
    if (scorer.regression) throw new RequestError(409, 'this is a regression model: outcomes (for TPR and FPR) apply to classifiers only');
    const result = await queue.run(() => {
      const outcomes = request.body.outcomes.map(({ id, label }): [number, 0 | 1] => [id, label]);
      const ignored = state.recordOutcomes(outcomes);
      store?.append({ outcomes });
      return { recorded: outcomes.length - ignored.length, ignored };
    });
    await durable();
    return result;
  });

  app.get('/v1/fairness', { schema: fairnessSchema }, async () => report());
  app.get('/health', { schema: healthSchema }, async () => ({ status: 'ok', method: fitted.folder.method.name, rows: state.rows, persistent: store !== undefined }));
  app.get('/metrics', { schema: { summary: 'Prometheus metrics (text format 0.0.4)', produces: ['text/plain'] } }, async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return metrics.render(report(), store ? store.writes : null);
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

/** Rejects (401) a request without `Authorization: Bearer <token>`; compares digests, in constant time. */
function tokenGuard(token: string | undefined) {
  if (token === undefined) return async () => undefined;
  const expected = createHash('sha256').update(token).digest();
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(createHash('sha256').update(given).digest(), expected)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'this endpoint needs the header Authorization: Bearer <token> with the server\'s token' });
    }
  };
}

/** A CSV body (header row first) as records: every field a string, an empty one null (numbers parsed per column later). */
function csvRecords(text: string): InputRecord[] {
  const rows: string[][] = parse(text, { skip_empty_lines: true, bom: true, trim: true });
  if (rows.length === 0) throw new Error('the body is empty');
  const [header, ...body] = rows;
  if (new Set(header).size !== header.length) throw new Error(`the header repeats a column name (${header.join(', ')})`);
  return body.map((fields) => Object.fromEntries(header.map((name, i) => [name, fields[i] === '' ? null : fields[i]])));
}

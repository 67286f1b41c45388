import { Redis } from 'ioredis';
import { FairkitError } from '../../errors.js';

/** Where a queue lives: a Redis server, and the BullMQ queue's name on it. */
export interface QueueAddress {
  host: string;
  port: number;
  /** The Redis database number (the URL's path, e.g. redis://host:6379/2); 0 by default. */
  db: number;
  url: string;
}

/** The BullMQ queue name every `fairkit bench --queue` and `fairkit worker` share. */
export const QUEUE_NAME = 'fairkit-bench';

/** Parses `redis://HOST:PORT[/DB]`; anything else is a FairkitError naming the flag. */
export function parseQueueUrl(text: string, flag = '--queue'): QueueAddress {
  const fix = 'Give the Redis server as redis://HOST:PORT, e.g. redis://127.0.0.1:6379';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FairkitError(`'${text}' is not a URL`, { where: flag, fix });
  }
  if (url.protocol !== 'redis:') throw new FairkitError(`'${text}' is not a redis:// URL`, { where: flag, fix });
  if (url.hostname === '') throw new FairkitError(`'${text}' names no host`, { where: flag, fix });
  const port = url.port === '' ? 6379 : Number(url.port);
  const path = url.pathname.replace(/^\//, '');
  const db = path === '' ? 0 : Number(path);
  if (!Number.isInteger(db) || db < 0) throw new FairkitError(`'${path}' in '${text}' is not a Redis database number`, { where: flag, fix });
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port, db, url: text };
}

/**
 * The connection options BullMQ is given. `maxRetriesPerRequest: null` is what BullMQ's workers require (a
 * blocking wait must not time out); a Redis that goes away later is reconnected to, not a failure.
 */
export function connectionOptions(address: QueueAddress) {
  return { host: address.host, port: address.port, db: address.db, maxRetriesPerRequest: null };
}

/**
 * Checks, within `timeoutMs`, that a Redis server answers at the address. BullMQ itself retries a refused
 * connection forever, which for a mistyped host looks like a hang: this turns it into a clear error first.
 */
export async function checkRedisReachable(address: QueueAddress, timeoutMs = 5000): Promise<void> {
  const client = new Redis({ host: address.host, port: address.port, db: address.db, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // The socket's own error (ECONNREFUSED, ENOTFOUND…) says more than connect()'s "Connection is closed".
  let socketError: NodeJS.ErrnoException | undefined;
  client.on('error', (error: NodeJS.ErrnoException) => (socketError ??= error));
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    await Promise.race([client.connect().then(() => client.ping()), timeout]);
  } catch (error) {
    const cause = socketError ?? (error as NodeJS.ErrnoException);
    const reason = cause.code ?? cause.message;
    throw new FairkitError(`cannot reach Redis at ${address.host}:${address.port} (${reason})`, {
      where: address.url,
      fix: 'Start a Redis server there (e.g. `redis-server --port 6379`) or correct the host and port',
    });
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

import { FairkitError } from '../errors.js';

/** The most threads the wasm backend is started with (Emscripten's pool holds 8 workers). */
export const MAX_THREADS = 8;

/** Checks a thread count given by a user; `where` names the option or argument. */
export function checkThreads(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_THREADS) return value;
  throw new FairkitError(`threads must be a whole number from 1 to ${MAX_THREADS}, got ${String(value)}`, { where });
}

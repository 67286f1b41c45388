/**
 * The primal–dual stream of a flayer/projection model folder (stream.json): `fairkit predict` at a batch size below
 * b_τ resumes it, updates it and writes it back, so successive calls are one stream. The file is FairStream.toJSON()
 * as is (FairStream.fromJSON reads it, in a server or a browser too), written whole or not at all.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FairkitError } from '../errors.js';
import { syncFolder, writeFileAtomic } from '../io/atomic-write.js';
import { FairStream } from '../stream/fair-stream.js';

export const STREAM_FILE = 'stream.json';

/** The saved stream of a model folder, or undefined when there is none; checked against the model's ε and groups. */
export function loadStream(modelDir: string, model: { epsilon: number; nGroups: number }): FairStream | undefined {
  const path = join(modelDir, STREAM_FILE);
  if (!existsSync(path)) return undefined;
  const fix = 'Give --reset-stream to start a new stream';
  let stream: FairStream;
  try {
    stream = FairStream.fromJSON(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FairkitError(`the saved stream is unreadable: ${(error as Error).message}`, { where: path, fix, cause: error });
  }
  if (stream.epsilon !== model.epsilon || stream.groups !== model.nGroups) {
    throw new FairkitError(`the saved stream has epsilon ${stream.epsilon} and ${stream.groups} groups, the model epsilon ${model.epsilon} and ${model.nGroups} groups`, { where: path, fix });
  }
  return stream;
}

/** Writes the stream atomically (temporary file, fsync, rename): a crash leaves the old state or the new, never half. */
export function saveStream(modelDir: string, stream: FairStream): void {
  writeFileAtomic(join(modelDir, STREAM_FILE), `${JSON.stringify(stream)}\n`);
}

/** Removes the saved stream (`--reset-stream` when no batch needed the stream): the next call starts at λ = 0. */
export function removeStream(modelDir: string): void {
  const path = join(modelDir, STREAM_FILE);
  if (!existsSync(path)) return;
  rmSync(path);
  syncFolder(modelDir);
}

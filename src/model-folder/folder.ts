/**
 * Reading and writing a model folder: model.json (schema.ts) and weights.bin (every weight as float32
 * little-endian, concatenated in manifest order), with the run's other files (metrics.json, contribution.json). A
 * save writes them all into a temporary folder beside the destination and swaps it in whole (src/io/folder-swap.ts):
 * the destination is the old complete folder or the new complete one, never a mix. model.json also carries
 * weights.bin's size and SHA-256, so a loader rejects a weights.bin from another save, and the run id shared with
 * metrics.json.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { EncoderSpec } from '../data/encoder.js';
import type { TargetScale } from '../data/targets.js';
import { FairkitError } from '../errors.js';
import { StagedFolder } from '../io/folder-swap.js';
import type { Model } from '../nn/model.js';
import { modelFromConfig } from '../nn/model-kinds.js';
import type { Needs } from '../train/method.js';
import {
  FORMAT,
  FORMAT_VERSION,
  fromVersion1,
  MODEL_FILE,
  modelFolderSchema,
  modelFolderV1Schema,
  READABLE_VERSIONS,
  WEIGHTS_FILE,
  type ManifestEntry,
  type ModelFolder,
  type Provenance,
  type SavedClusters,
  type SavedGroups,
} from './schema.js';

/** What a folder records beside the model; the writer adds the weights manifest and the version, backend and time. */
export interface ModelFolderContents {
  model: Model;
  method: { name: string; params: Record<string, unknown>; needs?: Needs };
  encoder: EncoderSpec;
  groups?: SavedGroups;
  clusters?: SavedClusters;
  targetScale?: TargetScale;
  provenance?: Omit<Provenance, 'fairkitVersion' | 'backend' | 'created'>;
  postprocessor?: z.core.util.JSONType | null;
}

export interface WriteModelFolderOptions {
  /** Replace a folder that already holds a run, whole (default: refuse it). A folder of other files is always refused. */
  force?: boolean;
  /** The run's other files (metrics.json, contribution.json), written into the folder in the same swap. */
  files?: { name: string; data: string | Uint8Array }[];
  /** The option that named the folder, for messages ('--out'). */
  option?: string;
}

/**
 * Writes a model folder whole: weights.bin, model.json and `options.files` go into a temporary folder beside `dir`,
 * which then replaces `dir` in one step. `dir` must be absent, empty, or (with `force`) a run folder. The run id is
 * `contents.provenance.runId`, or a new one.
 */
export async function writeModelFolder(dir: string, contents: ModelFolderContents, options: WriteModelFolderOptions = {}): Promise<ModelFolder> {
  const { model } = contents;
  const arrays = await Promise.all(model.weights.map((w) => w.variable.data() as Promise<Float32Array>));
  const bytes = new Uint8Array(4 * arrays.reduce((n, a) => n + a.length, 0));
  const view = new DataView(bytes.buffer);
  const manifest: ManifestEntry[] = [];
  let offset = 0;
  model.weights.forEach((w, i) => {
    manifest.push({ name: w.name, shape: w.variable.shape, offset });
    for (const value of arrays[i]) view.setFloat32(4 * offset++, value, true);
  });
  const folder: ModelFolder = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    model: { ...model.config },
    weights: { file: WEIGHTS_FILE, bytes: bytes.length, sha256: sha256(bytes), manifest },
    method: { name: contents.method.name, params: contents.method.params, needs: contents.method.needs ?? {} },
    encoder: contents.encoder,
    ...(contents.groups ? { groups: contents.groups } : {}),
    ...(contents.clusters ? { clusters: contents.clusters } : {}),
    ...(contents.targetScale ? { targetScale: contents.targetScale } : {}),
    provenance: { ...contents.provenance, fairkitVersion: fairkitVersion(), backend: tf.getBackend(), created: new Date().toISOString(), runId: contents.provenance?.runId ?? randomUUID() },
    postprocessor: contents.postprocessor ?? null,
  };
  // What is written must read back: a wrong shape fails here, at save time, not in a later `fairkit predict`.
  const checked = modelFolderSchema.safeParse(folder);
  if (!checked.success) throw new FairkitError(`refusing to write an invalid ${MODEL_FILE}: ${describeIssue(checked.error)}`, { where: dir });
  const reserved = [WEIGHTS_FILE, MODEL_FILE];
  for (const { name } of options.files ?? []) {
    if (reserved.includes(name) || name.includes('/') || name.includes('\\') || name.startsWith('.')) throw new FairkitError(`cannot add a file named ${JSON.stringify(name)} to a model folder`, { where: dir });
  }
  const staged = StagedFolder.open(dir, { force: options.force ?? false, ...(options.option ? { option: options.option } : {}) });
  try {
    staged.writeFile(WEIGHTS_FILE, bytes);
    staged.writeFile(MODEL_FILE, `${JSON.stringify(folder, null, 2)}\n`);
    for (const { name, data } of options.files ?? []) staged.writeFile(name, data);
    staged.commit();
  } finally {
    staged.discard();
  }
  return checked.data;
}

/** model.json of a folder, validated (and mapped from version 1); weights.bin is not read. */
export async function readModelFolder(dir: string): Promise<ModelFolder> {
  const path = join(dir, MODEL_FILE);
  return parseModelFolder(await readOrFail(path, 'utf8'), path);
}

/** The folder's model.json and its model, rebuilt from weights.bin (checked against model.json's size and hash). */
export async function loadModelFolder(dir: string): Promise<{ folder: ModelFolder; model: Model }> {
  const modelPath = join(dir, MODEL_FILE);
  const weightsPath = join(dir, WEIGHTS_FILE);
  const folder = await readModelFolder(dir);
  const bytes = await readOrFail(weightsPath);
  if (bytes.length !== folder.weights.bytes || sha256(bytes) !== folder.weights.sha256) {
    throw new FairkitError(`${WEIGHTS_FILE} does not match ${MODEL_FILE} (truncated, edited or from another save)`, { where: weightsPath, fix: 'Save the model again' });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const arrays = folder.weights.manifest.map(({ shape, offset }) => {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (4 * (offset + values.length) > bytes.length) throw new FairkitError('weight manifest points outside weights.bin', { where: modelPath });
    for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(4 * (offset + i), true);
    return values;
  });
  let model: Model;
  try {
    model = modelFromConfig(folder.model, arrays);
  } catch (error) {
    throw new FairkitError(`the saved architecture is invalid: ${(error as Error).message}`, { where: modelPath, cause: error });
  }
  const saved = folder.weights.manifest;
  const matches = model.weights.length === saved.length && model.weights.every((w, i) => w.name === saved[i].name && w.variable.shape.join('x') === saved[i].shape.join('x'));
  if (!matches) {
    model.dispose();
    throw new FairkitError(`weight names or shapes (${saved.map((w) => `${w.name} [${w.shape.join('×')}]`).join(', ')}) do not match the architecture`, { where: modelPath });
  }
  return { folder, model };
}

/** Parses model.json text; `where` names the file in every error. */
export function parseModelFolder(text: string, where: string): ModelFolder {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FairkitError(`not valid JSON (${(error as Error).message})`, { where, fix: 'Save the model again' });
  }
  const head = parsed as { format?: unknown; formatVersion?: unknown } | null;
  if (head === null || typeof head !== 'object' || Array.isArray(head) || head.format !== FORMAT) {
    throw new FairkitError(`not a fairkit model (missing "format": "${FORMAT}")`, { where });
  }
  const version = head.formatVersion;
  if (!(READABLE_VERSIONS as readonly unknown[]).includes(version)) {
    const newer = typeof version === 'number' && version > FORMAT_VERSION;
    throw new FairkitError(`${newer ? 'format version ' + version + ' is newer than this fairkit reads' : 'unknown format version ' + JSON.stringify(version)} (it reads versions ${READABLE_VERSIONS.join(' and ')})`, {
      where,
      fix: newer ? `Use the fairkit that saved it, or a newer one (this is ${fairkitVersion()})` : undefined,
    });
  }
  const result = version === 1 ? modelFolderV1Schema.safeParse(parsed) : modelFolderSchema.safeParse(parsed);
  if (!result.success) throw new FairkitError(`format version ${version}: ${describeIssue(result.error)}`, { where, fix: 'Save the model again' });
  return result.data.formatVersion === 1 ? fromVersion1(result.data) : result.data;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.map(String).join('.');
  return `${path === '' ? 'the top level' : path}: ${issue.message}`;
}

let version: string | undefined;

/** This fairkit's version, from its package.json. */
export function fairkitVersion(): string {
  if (version === undefined) {
    try {
      version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

async function readOrFail(path: string): Promise<Uint8Array>;
async function readOrFail(path: string, encoding: 'utf8'): Promise<string>;
async function readOrFail(path: string, encoding?: 'utf8'): Promise<Uint8Array | string> {
  try {
    return encoding === undefined ? new Uint8Array(await readFile(path)) : await readFile(path, encoding);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new FairkitError(missing ? 'file not found' : `cannot read (${(error as Error).message})`, {
      where: path,
      fix: missing ? 'Point to a folder written by `fairkit train --out` or saveFittedModel' : undefined,
      cause: error,
    });
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

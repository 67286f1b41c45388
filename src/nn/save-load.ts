import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FairkitError } from '../errors.js';
import type { Model, ModelConfig } from './model.js';
import { modelFromConfig } from './model-kinds.js';

/**
 * A fitted model on disk is a folder with two files, written without tfjs-node:
 * - model.json: format tag, architecture (the model's config: its kind and what that kind needs to rebuild it; see
 *   model-kinds.ts; GroupMixNorm's running statistics are saved among the weights), weight manifest (name, shape, offset), the SHA-256 and size of
 *   weights.bin, method name, parameters, encoder JSON and any extra JSON of the method;
 * - weights.bin: every weight as float32 little-endian, concatenated in manifest order.
 * Each file is written under a temporary name in the same folder and renamed into place, weights.bin
 * first; the hash in model.json makes a loader reject a weights.bin from another save.
 */

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
const FORMAT = 'fairkit-model';
const FORMAT_VERSION = 1;

export interface SavedModelContents {
  model: Model;
  encoder: unknown;
  method: string;
  params: Record<string, unknown>;
  extra?: unknown;
}

interface ManifestEntry {
  name: string;
  shape: number[];
  /** Offset in float32 values from the start of weights.bin. */
  offset: number;
}

interface ModelJson {
  format: typeof FORMAT;
  formatVersion: number;
  architecture: ModelConfig;
  weights: ManifestEntry[];
  weightsFile: { bytes: number; sha256: string };
  method: string;
  params: Record<string, unknown>;
  encoder: unknown;
  extra?: unknown;
}

export async function saveModel(dir: string, contents: SavedModelContents): Promise<void> {
  const { model } = contents;
  const arrays = await Promise.all(model.weights.map((w) => w.variable.data() as Promise<Float32Array>));
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  const manifest: ManifestEntry[] = [];
  let offset = 0;
  model.weights.forEach((w, i) => {
    manifest.push({ name: w.name, shape: w.variable.shape, offset });
    for (const value of arrays[i]) view.setFloat32(4 * offset++, value, true);
  });
  const modelJson: ModelJson = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    architecture: model.config,
    weights: manifest,
    weightsFile: { bytes: bytes.length, sha256: sha256(bytes) },
    method: contents.method,
    params: contents.params,
    encoder: contents.encoder,
    ...(contents.extra === undefined ? {} : { extra: contents.extra }),
  };
  await mkdir(dir, { recursive: true });
  await writeAtomically(join(dir, WEIGHTS_FILE), bytes);
  await writeAtomically(join(dir, MODEL_FILE), new TextEncoder().encode(JSON.stringify(modelJson, null, 2) + '\n'));
}

export async function loadModel(dir: string): Promise<SavedModelContents> {
  const modelPath = join(dir, MODEL_FILE);
  const weightsPath = join(dir, WEIGHTS_FILE);
  const json = parseModelJson(await readOrFail(modelPath, 'utf8'), modelPath);
  const bytes = await readOrFail(weightsPath);
  if (bytes.length !== json.weightsFile.bytes || sha256(bytes) !== json.weightsFile.sha256) {
    throw new FairkitError(`${WEIGHTS_FILE} does not match ${MODEL_FILE} (truncated, edited or from another save)`, {
      where: weightsPath,
      fix: 'Save the model again',
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const arrays = json.weights.map(({ shape, offset }) => {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (!Number.isInteger(offset) || offset < 0 || 4 * (offset + values.length) > bytes.length) {
      throw new FairkitError('weight manifest points outside weights.bin', { where: modelPath });
    }
    for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(4 * (offset + i), true);
    return values;
  });
  let model: Model;
  try {
    model = modelFromConfig(json.architecture, arrays);
  } catch (error) {
    throw new FairkitError(`the saved architecture is invalid: ${(error as Error).message}`, { where: modelPath, cause: error });
  }
  const names = model.weights.map((w) => w.name);
  const shapesMatch = model.weights.every((w, i) => json.weights[i] !== undefined && w.variable.shape.join('x') === json.weights[i].shape.join('x'));
  if (names.join() !== json.weights.map((w) => w.name).join() || !shapesMatch) {
    model.dispose();
    throw new FairkitError(`weight names or shapes (${json.weights.map((w) => `${w.name} [${w.shape.join('×')}]`).join(', ')}) do not match the architecture`, {
      where: modelPath,
    });
  }
  return { model, encoder: json.encoder, method: json.method, params: json.params, extra: json.extra };
}

function parseModelJson(text: string, where: string): ModelJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FairkitError(`not valid JSON (${(error as Error).message})`, { where, fix: 'Save the model again' });
  }
  const json = parsed as Partial<ModelJson> | null;
  if (json === null || typeof json !== 'object' || json.format !== FORMAT) {
    throw new FairkitError(`not a fairkit model (missing "format": "${FORMAT}")`, { where });
  }
  if (json.formatVersion !== FORMAT_VERSION) {
    throw new FairkitError(`unsupported model format version ${json.formatVersion} (this fairkit reads ${FORMAT_VERSION})`, {
      where,
    });
  }
  const complete =
    typeof json.architecture === 'object' &&
    Array.isArray(json.weights) &&
    json.weights.every((w) => typeof w?.name === 'string' && Array.isArray(w.shape) && w.shape.every((size) => Number.isInteger(size) && size >= 0)) &&
    typeof json.weightsFile?.bytes === 'number' &&
    typeof json.weightsFile.sha256 === 'string' &&
    typeof json.method === 'string' &&
    typeof json.params === 'object';
  if (!complete) {
    throw new FairkitError('model.json lacks architecture, weights (with whole-number shapes), weightsFile, method or params', { where });
  }
  return json as ModelJson;
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
      fix: missing ? 'Point to a folder written by saveModel / fairkit train --out' : undefined,
      cause: error,
    });
  }
}

/** Writes to a temporary name in the same folder, flushes, then renames over `path`. */
async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new FairkitError(`cannot write (${(error as Error).message})`, { where: path, cause: error });
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

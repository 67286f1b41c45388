import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { LoadedDataset, Table } from '../data/types.js';
import type { Provenance } from './trial.js';

let version: string | undefined;

/**
 * The version in fairkit's package.json, two folders up from this module both compiled (dist/bench/) and under
 * tsx (src/bench/), and in an installed copy (node_modules/fairkit/dist/bench/).
 */
export function fairkitVersion(): string {
  if (version === undefined) {
    try {
      const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name?: string; version?: string };
      version = manifest.name === 'fairkit' && typeof manifest.version === 'string' ? manifest.version : 'unknown';
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

const fingerprints = new WeakMap<Table, string>();

/**
 * A sha256 over the loaded table (column names, kinds and values in order), as `sha256:<hex>`. It hashes the
 * parsed values rather than the file, so the same data gives the same fingerprint whether it came from a .csv or a
 * .csv.gz, and the built-in synthetic data has one too. About 50 ms for Adult (45k rows); computed once per table.
 */
export function datasetFingerprint(table: Table): string {
  let fingerprint = fingerprints.get(table);
  if (fingerprint === undefined) {
    const hash = createHash('sha256');
    hash.update(`rows ${table.nRows}\n`);
    for (const name of table.names) {
      const column = table.columns.get(name);
      hash.update(`${JSON.stringify(name)} ${column?.kind ?? 'missing'}\n`);
      if (column?.kind === 'numeric') hash.update(littleEndianBytes(column.values));
      else if (column) hash.update(JSON.stringify(column.values));
    }
    fingerprint = `sha256:${hash.digest('hex')}`;
    fingerprints.set(table, fingerprint);
  }
  return fingerprint;
}

/** The float64 bytes in one byte order on every machine, so that fingerprints compare across machines. */
function littleEndianBytes(values: Float64Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (endianness() === 'LE') return bytes;
  const copy = new DataView(new ArrayBuffer(values.byteLength));
  values.forEach((value, index) => copy.setFloat64(index * 8, value, true));
  return new Uint8Array(copy.buffer);
}

/** The provenance of a result computed in this thread now, on `dataset`: call it after the backend is set up. */
export function trialProvenance(dataset: LoadedDataset): Provenance {
  return { fairkit: fairkitVersion(), backend: tf.getBackend(), node: process.version, data: datasetFingerprint(dataset.table) };
}

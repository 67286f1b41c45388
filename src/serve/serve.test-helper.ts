import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fairkit } from '../cli/run-cli.test-helper.js';
import type { InputRecord } from '../model-folder/records.js';

const example = fileURLToPath(new URL('../../examples/synthetic-loans.csv', import.meta.url));
/** The columns of the example that the tiny models read (the others are dropped at training). */
const DROPPED = ['id', 'approved', 'score', 'decision'];

/** Trains a tiny model on the example loans (3 epochs, seed 4) into `out`, as a user would; `extra`: more flags. */
export function trainTinyModel(out: string, method: 'flayer' | 'erm', extra: string[] = []): void {
  const run = fairkit('train', '--dataset', example, '--target', 'approved', '--sensitive', 'group', '--drop', DROPPED.join(','), '--method', method, '--epochs', '3', '--batch-size', '200', '--lr', '0.01', '--hidden', '16', '--seed', '4', ...extra, '--out', out, '--format', 'json');
  if (run.status !== 0) throw new Error(`training the tiny ${method} model failed: ${run.stderr}`);
}

/** The example's rows as request records (numbers for numeric cells), without the dropped columns. */
export function exampleRecords(): InputRecord[] {
  const [header, ...lines] = readFileSync(example, 'utf8').trim().split('\n').map((line) => line.split(','));
  return lines.map((fields) => Object.fromEntries(header.flatMap((name, i) => (DROPPED.includes(name) ? [] : [[name, Number.isNaN(Number(fields[i])) ? fields[i] : Number(fields[i])]]))));
}

/** The same records as a CSV body. */
export function csvBody(records: readonly InputRecord[]): string {
  const names = Object.keys(records[0]);
  return [names.join(','), ...records.map((record) => names.map((name) => String(record[name] ?? '')).join(','))].join('\n');
}

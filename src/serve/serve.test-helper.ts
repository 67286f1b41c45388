import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fairkitInProcess } from '../cli/run-cli.test-helper.js';
import type { InputRecord } from '../model-folder/records.js';

const example = fileURLToPath(new URL('../../examples/synthetic-loans.csv', import.meta.url));
/** The columns of the example that the tiny models read (the others are dropped at training). */
const DROPPED = ['id', 'approved', 'score', 'decision'];

/** Trains a tiny model on the example loans (3 epochs, seed 4) into `out`, as a user would; `extra`: more flags. */
export async function trainTinyModel(out: string, method: 'flayer' | 'erm', extra: string[] = []): Promise<void> {
  const run = await fairkitInProcess('train', '--dataset', example, '--target', 'approved', '--sensitive', 'group', '--drop', DROPPED.join(','), '--method', method, '--epochs', '3', '--batch-size', '200', '--lr', '0.01', '--hidden', '16', '--seed', '4', ...extra, '--out', out, '--format', 'json');
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

const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));

/** Starts `fairkit serve` in a child process on a free port; resolves with its URL once it listens. */
export function startServeProcess(modelDir: string, stateDir: string): Promise<{ child: ChildProcess; url: string; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [cli, 'serve', '--model', modelDir, '--state', stateDir, '--port', '0', '--backend', 'wasm'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url) resolve({ child, url, exited });
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening: ${stderr}`)));
  });
}

/** A tiny deterministic generator (the kill times must not depend on the run). */
export function lcg(seed: number) {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

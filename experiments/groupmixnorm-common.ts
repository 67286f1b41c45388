/**
 * Shared pieces of the GroupMixNorm experiment scripts: argument parsing, a resumable JSONL journal, the metrics
 * recorded per run, and data helpers (row filters by attribute value).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { getColumn, selectRows } from '../src/data/table.js';
import type { GroupIndex, LoadedDataset } from '../src/data/types.js';
import { eor } from '../src/methods/eor.js';
import { erm } from '../src/methods/erm.js';
import { fairMixup } from '../src/methods/fairmixup.js';
import { groupMixNorm } from '../src/methods/groupmixnorm.js';
import type { Method } from '../src/train/method.js';
import { evaluate } from '../src/metrics/compute.js';
import { parseRun as parseRunSpec, type Run } from './run-spec.js';

export const METHODS: Record<string, Method<any>> = { erm, groupmixnorm: groupMixNorm, fairmixup: fairMixup, eor }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A run of run-spec.ts whose method is one of METHODS. */
export function parseRun(text: string): Run {
  const run = parseRunSpec(text);
  if (!(run.method in METHODS)) throw new Error(`unknown method '${run.method}' (known: ${Object.keys(METHODS).join(', ')})`);
  return run;
}

/** `--flag value` pairs and bare words (runs). */
export function parseArgs(argv: string[]): { flags: Map<string, string>; words: string[] } {
  const flags = new Map<string, string>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) flags.set(argv[i].slice(2), argv[++i]);
    else words.push(argv[i]);
  }
  return { flags, words };
}

export const numberList = (text: string | undefined, fallback: number[]) => (text ? text.split(',').map(Number) : fallback);

/** Append-only JSONL results; a run whose key is already in the file is skipped, so a killed script resumes. */
export class Journal {
  private readonly done = new Set<string>();

  constructor(private readonly path: string) {
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) if (line.trim()) this.done.add(JSON.parse(line).key);
    }
  }

  has(key: string): boolean {
    return this.done.has(key);
  }

  write(record: { key: string } & Record<string, unknown>): void {
    appendFileSync(this.path, JSON.stringify(record) + '\n');
    this.done.add(record.key);
  }
}

export interface Outcome {
  ap: number | null;
  accuracy: number | null;
  /** Hard predictions at 0.5: max − min over groups. */
  dp: number | null;
  eoSum: number | null;
  /** Soft versions on the probabilities (FairMixup-style): gap of mean score, and its sum over the two labels. */
  softDp: number;
  softEo: number;
  selectionRates: (number | null)[];
}

export function outcomeOf(scores: Float32Array, data: { y: Uint8Array; groups: GroupIndex }): Outcome {
  const report = evaluate({ yTrue: data.y, scores, groupIds: data.groups.ids, groups: data.groups });
  return {
    ap: report.overall.ap ?? null,
    accuracy: report.overall.accuracy ?? null,
    dp: report.fairness.demographicParityDifference ?? null,
    eoSum: report.fairness.equalizedOddsSum ?? null,
    softDp: softGap(scores, data, -1),
    softEo: softGap(scores, data, 0) + softGap(scores, data, 1),
    selectionRates: report.groups.map((g) => g.selectionRate ?? null),
  };
}

/** max − min over groups of the mean score, among rows with label `label` (−1: all rows); groups without rows skipped. */
function softGap(scores: Float32Array, data: { y: Uint8Array; groups: GroupIndex }, label: number): number {
  const k = data.groups.keys.length;
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  data.groups.ids.forEach((g, i) => {
    if (label >= 0 && data.y[i] !== label) return;
    sums[g] += scores[i];
    counts[g]++;
  });
  const means = Array.from(sums, (s, g) => (counts[g] > 0 ? s / counts[g] : NaN)).filter((m) => !Number.isNaN(m));
  return Math.max(...means) - Math.min(...means);
}

/** The data set with only the rows whose `column` value is one of `values`. */
export function keepValues(dataset: LoadedDataset, column: string, values: string[]): LoadedDataset {
  const cells = getColumn(dataset.table, column).values as (string | null)[];
  const rows = Int32Array.from(cells.flatMap((v, i) => (v !== null && values.includes(v) ? [i] : [])));
  return { ...dataset, table: selectRows(dataset.table, rows) };
}

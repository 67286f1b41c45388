/**
 * Tables from gcm-sweep.ts output: one row per (dataset, run), mean ± sample sd over the seeds in the file(s).
 * −ΔEO is the negated equalizedOddsSum (higher is fairer) and EOP the equalOpportunityRatio (unprivileged TPR over
 * privileged TPR), as the GCM paper reports them; ΔDP the demographicParityDifference.
 *
 * Run: node --import tsx experiments/gcm-summary.ts FILE.jsonl [FILE.jsonl ...]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { SweepLine } from './gcm-sweep.js';

function meanSd(values: number[], digits = 3): string {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return `${mean.toFixed(digits)} ± ${sd.toFixed(digits)}`;
}

export function summarise(files: string[]): string {
  const lines = files.flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as SweepLine));
  const groups = new Map<string, SweepLine[]>();
  for (const line of lines) {
    const key = `${line.dataset}|${line.epochs}|${line.run}`;
    groups.set(key, [...(groups.get(key) ?? []), line]);
  }
  const rows = ['| dataset | run | seeds | AP | −ΔEO | EOP | ΔDP | accuracy | selected | s/epoch |', '|---|---|---|---|---|---|---|---|---|---|'];
  for (const [key, runs] of groups) {
    const [dataset, epochs, run] = key.split('|');
    const column = (pick: (line: SweepLine) => number | null | undefined, digits = 3) => {
      const values = runs.map(pick).filter((v): v is number => typeof v === 'number');
      return values.length === runs.length ? meanSd(values, digits) : values.length > 0 ? `${meanSd(values, digits)} (${values.length})` : '—';
    };
    rows.push(`| ${dataset} (${epochs} ep) | ${run} | ${runs.map((r) => r.seed).join(',')} | ${column((l) => l.ap)} | ${column((l) => -l.equalizedOddsSum)} | ${column((l) => l.equalOpportunityRatio)} | ${column((l) => l.demographicParityDifference)} | ${column((l) => l.accuracy)} | ${column((l) => l.selectionRate)} | ${column((l) => l.secondsPerEpoch, 2)} |`);
  }
  return rows.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(summarise(process.argv.slice(2)));
}

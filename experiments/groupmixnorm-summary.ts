/**
 * Markdown tables (mean ± sd over seeds) from the JSONL journals of the GroupMixNorm experiment scripts.
 *
 * Run: node --import tsx experiments/groupmixnorm-summary.ts results.jsonl [more.jsonl ...]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

type Row = Record<string, unknown> & { experiment: string; run: string; seed: number; dataset?: string };

const COLUMNS: Record<string, [string, (row: Row) => number | null][]> = {
  tabular: [
    ['AP', (r) => r.ap as number],
    ['ΔDP', (r) => r.dp as number],
    ['ΔEO', (r) => r.eoSum as number],
    ['soft ΔDP', (r) => r.softDp as number],
    ['soft ΔEO', (r) => r.softEo as number],
    ['s/epoch', (r) => r.secondsPerEpoch as number],
  ],
  debias: [
    ['AP', (r) => r.ap as number],
    ['ΔDP', (r) => r.dp as number],
    ['ΔEO', (r) => r.eoSum as number],
    ['soft ΔDP', (r) => r.softDp as number],
    ['soft ΔEO', (r) => r.softEo as number],
  ],
  unseen: [
    ['AP', (r) => r.ap as number],
    ['AP held out', (r) => r.heldOutAp as number],
    ['ΔDP (5 races)', (r) => r.dp as number],
    ['ΔEO (5 races)', (r) => r.eoSum as number],
    ['ΔDP seen/held out', (r) => (r.seenVsHeldOut as Row).dp as number],
    ['ΔEO seen/held out', (r) => (r.seenVsHeldOut as Row).eoSum as number],
  ],
  image: [
    ['AP', (r) => r.ap as number],
    ['accuracy', (r) => r.accuracy as number],
    ['ΔDP', (r) => r.dp as number],
    ['ΔEO', (r) => r.eoSum as number],
    ['s/epoch', (r) => r.secondsPerEpoch as number],
  ],
};

function meanSd(values: number[]): string {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
}

export function summarise(paths: string[]): string {
  const rows = paths.flatMap((path) => readFileSync(path, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as Row));
  const tables = new Map<string, Map<string, Row[]>>();
  for (const row of rows) {
    const table = `${row.experiment}${row.dataset ? ` / ${row.dataset}` : ''}`;
    if (!tables.has(table)) tables.set(table, new Map());
    const runs = tables.get(table)!;
    if (!runs.has(row.run)) runs.set(row.run, []);
    runs.get(row.run)!.push(row);
  }
  const out: string[] = [];
  for (const [table, runs] of tables) {
    const columns = COLUMNS[table.split(' / ')[0]];
    out.push(`### ${table}`, '', `| run | seeds | ${columns.map(([name]) => name).join(' | ')} |`, `|---|---|${columns.map(() => '---|').join('')}`);
    for (const [run, group] of runs) {
      const cells = columns.map(([, get]) => {
        const values = group.map(get).filter((v): v is number => typeof v === 'number');
        return values.length > 0 ? meanSd(values) : '—';
      });
      out.push(`| ${run} | ${group.map((r) => r.seed).join(',')} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(summarise(process.argv.slice(2)));
}

/**
 * Markdown tables (mean ± sd over seeds) from the JSONL journals of the GroupMixNorm experiment scripts.
 *
 * Run: node --import tsx src/bench-scripts/groupmixnorm-summary.ts results.jsonl [more.jsonl ...]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const COLUMNS = {
    tabular: [
        ['AP', (r) => r.ap],
        ['ΔDP', (r) => r.dp],
        ['ΔEO', (r) => r.eoSum],
        ['soft ΔDP', (r) => r.softDp],
        ['soft ΔEO', (r) => r.softEo],
        ['s/epoch', (r) => r.secondsPerEpoch],
    ],
    debias: [
        ['AP', (r) => r.ap],
        ['ΔDP', (r) => r.dp],
        ['ΔEO', (r) => r.eoSum],
        ['soft ΔDP', (r) => r.softDp],
        ['soft ΔEO', (r) => r.softEo],
    ],
    unseen: [
        ['AP', (r) => r.ap],
        ['AP held out', (r) => r.heldOutAp],
        ['ΔDP (5 races)', (r) => r.dp],
        ['ΔEO (5 races)', (r) => r.eoSum],
        ['ΔDP seen/held out', (r) => r.seenVsHeldOut.dp],
        ['ΔEO seen/held out', (r) => r.seenVsHeldOut.eoSum],
    ],
    image: [
        ['AP', (r) => r.ap],
        ['accuracy', (r) => r.accuracy],
        ['ΔDP', (r) => r.dp],
        ['ΔEO', (r) => r.eoSum],
        ['s/epoch', (r) => r.secondsPerEpoch],
    ],
};
function meanSd(values) {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
    return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
}
export function summarise(paths) {
    const rows = paths.flatMap((path) => readFileSync(path, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line)));
    const tables = new Map();
    for (const row of rows) {
        const table = `${row.experiment}${row.dataset ? ` / ${row.dataset}` : ''}`;
        if (!tables.has(table))
            tables.set(table, new Map());
        const runs = tables.get(table);
        if (!runs.has(row.run))
            runs.set(row.run, []);
        runs.get(row.run).push(row);
    }
    const out = [];
    for (const [table, runs] of tables) {
        const columns = COLUMNS[table.split(' / ')[0]];
        out.push(`### ${table}`, '', `| run | seeds | ${columns.map(([name]) => name).join(' | ')} |`, `|---|---|${columns.map(() => '---|').join('')}`);
        for (const [run, group] of runs) {
            const cells = columns.map(([, get]) => {
                const values = group.map(get).filter((v) => typeof v === 'number');
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
//# sourceMappingURL=groupmixnorm-summary.js.map
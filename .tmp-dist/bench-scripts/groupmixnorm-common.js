/**
 * Shared pieces of the GroupMixNorm experiment scripts: argument parsing, a resumable JSONL journal, the metrics
 * recorded per run, and data helpers (COMPAS restricted to two races, row filters by group value).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { getColumn, selectRows } from '../data/table.js';
import { eor } from '../methods/eor.js';
import { erm } from '../methods/erm.js';
import { fairMixup } from '../methods/fairmixup.js';
import { groupMixNorm } from '../methods/groupmixnorm.js';
import { evaluate } from '../metrics/compute.js';
export const METHODS = { erm, groupmixnorm: groupMixNorm, fairmixup: fairMixup, eor }; // eslint-disable-line @typescript-eslint/no-explicit-any
/** `method` or `method:key=value,key=value` (values read as JSON when they parse, e.g. numbers). */
export function parseRun(text) {
    const [method, rest] = text.split(':');
    if (!(method in METHODS))
        throw new Error(`unknown method '${method}' (known: ${Object.keys(METHODS).join(', ')})`);
    const params = Object.fromEntries((rest ? rest.split(',') : []).map((pair) => {
        const [key, value] = pair.split('=');
        try {
            return [key, JSON.parse(value)];
        }
        catch {
            return [key, value];
        }
    }));
    return { label: text, method, params };
}
/** `--flag value` pairs and bare words (runs). */
export function parseArgs(argv) {
    const flags = new Map();
    const words = [];
    for (let i = 0; i < argv.length; i++) {
        if (argv[i].startsWith('--'))
            flags.set(argv[i].slice(2), argv[++i]);
        else
            words.push(argv[i]);
    }
    return { flags, words };
}
export const numberList = (text, fallback) => (text ? text.split(',').map(Number) : fallback);
/** Append-only JSONL results; a run whose key is already in the file is skipped, so a killed script resumes. */
export class Journal {
    path;
    done = new Set();
    constructor(path) {
        this.path = path;
        if (existsSync(path)) {
            for (const line of readFileSync(path, 'utf8').split('\n'))
                if (line.trim())
                    this.done.add(JSON.parse(line).key);
        }
    }
    has(key) {
        return this.done.has(key);
    }
    write(record) {
        appendFileSync(this.path, JSON.stringify(record) + '\n');
        this.done.add(record.key);
    }
}
export function outcomeOf(scores, data) {
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
function softGap(scores, data, label) {
    const k = data.groups.keys.length;
    const sums = new Float64Array(k);
    const counts = new Float64Array(k);
    data.groups.ids.forEach((g, i) => {
        if (label >= 0 && data.y[i] !== label)
            return;
        sums[g] += scores[i];
        counts[g]++;
    });
    const means = Array.from(sums, (s, g) => (counts[g] > 0 ? s / counts[g] : NaN)).filter((m) => !Number.isNaN(m));
    return Math.max(...means) - Math.min(...means);
}
/** The data set with only the rows whose `column` value is one of `values`. */
export function keepValues(dataset, column, values) {
    const cells = getColumn(dataset.table, column).values;
    const rows = Int32Array.from(cells.flatMap((v, i) => (v !== null && values.includes(v) ? [i] : [])));
    return { ...dataset, table: selectRows(dataset.table, rows) };
}
/** COMPAS as usually studied for race: African-American vs Caucasian only (5,278 of 6,172 rows). */
export function compasTwoRaces(dataset) {
    return keepValues(dataset, 'race', ['African-American', 'Caucasian']);
}
/** The rows of an encoded data set (features, labels, groups) at the given indices. */
export function rowsOf(data, rows) {
    const d = data.nFeatures;
    const X = new Float32Array(rows.length * d);
    rows.forEach((row, i) => X.set(data.X.subarray(row * d, (row + 1) * d), i * d));
    return { ...data, X, nRows: rows.length, y: Uint8Array.from(rows, (r) => data.y[r]), groups: { ...data.groups, ids: Int32Array.from(rows, (r) => data.groups.ids[r]) } };
}
//# sourceMappingURL=groupmixnorm-common.js.map
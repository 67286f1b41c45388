/**
 * `fairkit audit` on files larger than memory: rows per second (end to end, process start to exit) and peak resident
 * memory of the DuckDB engine against the in-memory engine. Generates, in a temporary folder, 3-column files with a
 * fixed seed (DuckDB's setseed): group (4 values), label (0/1) and either a hard prediction (count-based metrics
 * only) or a score to 3 decimals (AP and ROC-AUC exact over 1,001 distinct scores), as CSV and Parquet. The
 * in-memory engine reads the first `--memory-rows` rows only (2 million by default): at 10 million it needs
 * gigabytes. The goal: ≥ 2 million rows/s and ≤ 300 MB peak on the 10-million-row CSV.
 *
 * Run: node --import tsx bench/perf/audit-scale.ts [--rows 10000000] [--memory-rows 2000000]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

// The compiled CLI when there is one (`npx tsc -p tsconfig.json`), so that compiling TypeScript at start-up is not
// counted; else the sources under tsx.
const compiled = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const cliArgs = existsSync(compiled) ? [compiled] : ['--import', 'tsx', fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))];
// Prints the process's peak resident memory (KiB on Linux) on exit, for the parent to read.
const reportPeak = 'data:text/javascript,process.on("exit",()=>process.stderr.write(`\\npeak-rss-kib ${process.resourceUsage().maxRSS}\\n`))';

const TARGET_ROWS_PER_SECOND = 2e6;
const TARGET_PEAK_MB = 300;

interface Run {
  label: string;
  rows: number;
  seconds: number;
  peakMb: number;
}

async function generate(folder: string, rows: number, memoryRows: number): Promise<Record<string, string>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const files = {
    predCsv: join(folder, 'pred.csv'),
    predParquet: join(folder, 'pred.parquet'),
    predCsvSmall: join(folder, 'pred-small.csv'),
    scoreCsv: join(folder, 'score.csv'),
    scoreParquet: join(folder, 'score.parquet'),
    scoreCsvSmall: join(folder, 'score-small.csv'),
  };
  // One random draw per row, so label, prediction and score are correlated with the group as a model's would be.
  await connection.run('SELECT setseed(0.18)');
  await connection.run(`CREATE TABLE t AS SELECT i, ['a','b','c','d'][1 + (i % 4)] AS "group", random() AS u FROM range(${rows}) r(i)`);
  await connection.run(`CREATE VIEW v AS SELECT i, "group", CAST(u < 0.4 + 0.05 * (i % 4) AS INTEGER) AS label,
    round(least(1, greatest(0, 0.3 * CAST(u < 0.4 + 0.05 * (i % 4) AS INTEGER) + 0.7 * ((u * 7919) % 1))), 3) AS score FROM t`);
  const copy = (select: string, file: string, format: string) => connection.run(`COPY (${select}) TO '${file}' (FORMAT ${format})`);
  const pred = `SELECT "group", label, CAST(score >= 0.5 AS INTEGER) AS pred FROM v`;
  const score = 'SELECT "group", label, score FROM v';
  await copy(`${pred} ORDER BY i`, files.predCsv, 'csv');
  await copy(`${pred} ORDER BY i`, files.predParquet, 'parquet');
  await copy(`${pred} WHERE i < ${memoryRows} ORDER BY i`, files.predCsvSmall, 'csv');
  await copy(`${score} ORDER BY i`, files.scoreCsv, 'csv');
  await copy(`${score} ORDER BY i`, files.scoreParquet, 'parquet');
  await copy(`${score} WHERE i < ${memoryRows} ORDER BY i`, files.scoreCsvSmall, 'csv');
  connection.closeSync();
  instance.closeSync();
  return files;
}

function audit(label: string, rows: number, file: string, engine: string, predictionColumn: string[]): Run {
  return timed(label, rows, ['audit', file, '--label', 'label', '--sensitive', 'group', ...predictionColumn, '--engine', engine, '--format', 'json']);
}

/** Runs the CLI in a child process: wall time from spawn to exit, and the child's peak resident memory. */
function timed(label: string, rows: number, fairkitArgs: string[]): Run {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', reportPeak, ...cliArgs, ...fairkitArgs], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${label} failed: ${result.stderr}`);
  const peak = /peak-rss-kib (\d+)/.exec(result.stderr);
  return { label, rows, seconds, peakMb: peak ? Number(peak[1]) / 1024 : NaN };
}

function format(run: Run, file: string): string {
  const rate = run.rows / run.seconds;
  const size = statSync(file).size / 2 ** 20;
  const goal = rate >= TARGET_ROWS_PER_SECOND && run.peakMb <= TARGET_PEAK_MB ? 'meets' : 'misses';
  return `audit-scale: ${run.label}: ${run.rows.toLocaleString('en-US')} rows (${size.toFixed(0)} MB): ${run.seconds.toFixed(2)} s, ` +
    `${(rate / 1e6).toFixed(2)} M rows/s, peak ${run.peakMb.toFixed(0)} MB (${goal} ≥ 2 M rows/s, ≤ 300 MB)`;
}

export async function benchmarkAuditScale(argv: string[] = []): Promise<void> {
  const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
  const rows = option('--rows', 10_000_000);
  const memoryRows = Math.min(rows, option('--memory-rows', 2_000_000));
  const folder = mkdtempSync(join(tmpdir(), 'fairkit-audit-scale-'));
  try {
    const files = await generate(folder, rows, memoryRows);
    const pred = ['--pred', 'pred'];
    const score = ['--score', 'score'];
    const runs: [Run, string][] = [
      [audit('duckdb, CSV, --pred', rows, files.predCsv, 'duckdb', pred), files.predCsv],
      [audit('duckdb, Parquet, --pred', rows, files.predParquet, 'duckdb', pred), files.predParquet],
      [audit('duckdb, CSV, --score', rows, files.scoreCsv, 'duckdb', score), files.scoreCsv],
      [audit('duckdb, Parquet, --score', rows, files.scoreParquet, 'duckdb', score), files.scoreParquet],
      [audit('memory, CSV, --pred', memoryRows, files.predCsvSmall, 'memory', pred), files.predCsvSmall],
      [audit('memory, CSV, --score', memoryRows, files.scoreCsvSmall, 'memory', score), files.scoreCsvSmall],
    ];
    for (const [run, file] of runs) console.log(format(run, file));
    const startup = timed('start-up', 0, ['--version']);
    console.log(`audit-scale: process start-up alone (counted in every run above): ${startup.seconds.toFixed(2)} s, peak ${startup.peakMb.toFixed(0)} MB (CLI: ${cliArgs.at(-1)})`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchmarkAuditScale(process.argv.slice(2));

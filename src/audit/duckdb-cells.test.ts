import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { readTable } from '../data/csv.js';
import type { AuditColumns } from './audit-cells.js';
import { assertSameAudit, tiedScores } from './audit-cells.test-helper.js';
import { auditFromCells } from './audit-from-cells.js';
import { auditTable } from './audit-table.js';
import { duckdbCells } from './duckdb-cells.js';

const folder = mkdtempSync(join(tmpdir(), 'fairkit-duckdb-'));
const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

function columnsOf(partial: Partial<AuditColumns> & Pick<AuditColumns, 'label' | 'sensitive'>): AuditColumns {
  return { pred: null, score: null, threshold: 0.5, categorical: [], ...partial };
}

/** The DuckDB audit of `file` against the in-memory audit of `csv` (the same rows). */
async function assertDuckdbEqualsMemory(file: string, csv: string, columns: AuditColumns, privileged?: string[]): Promise<void> {
  const options = { label: columns.label, pred: columns.pred ?? undefined, score: columns.score ?? undefined, sensitive: columns.sensitive, threshold: columns.threshold, privileged };
  const table = await readTable(csv, columns.score ? { types: { [columns.score]: 'numeric' } } : {});
  const inMemory = auditTable(table, { ...options, source: csv });
  const viaDuckdb = auditFromCells(await duckdbCells(file, columns), { privileged, source: file });
  assertSameAudit(viaDuckdb, inMemory, file);
}

async function duckdbRun(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(sql);
  connection.closeSync();
  instance.closeSync();
}

test('duckdb engine equals the in-memory engine on the shipped loans example (scores, predictions, two sensitive columns), plain and gzip', async () => {
  const loans = example('synthetic-loans.csv');
  const gz = join(folder, 'loans.csv.gz');
  writeFileSync(gz, gzipSync(await import('node:fs').then((fs) => fs.readFileSync(loans))));
  for (const columns of [
    columnsOf({ label: 'approved', score: 'score', sensitive: ['group', 'region'] }),
    columnsOf({ label: 'approved', pred: 'decision', sensitive: ['group'] }),
    columnsOf({ label: 'approved', pred: 'decision', score: 'score', sensitive: ['region'], threshold: 0.3 }),
  ]) {
    await assertDuckdbEqualsMemory(loans, loans, columns);
    await assertDuckdbEqualsMemory(gz, loans, columns);
  }
  await assertDuckdbEqualsMemory(loans, loans, columnsOf({ label: 'approved', pred: 'decision', sensitive: ['group'] }), ['majority']);
});

test('duckdb engine on generated tied scores, as CSV and as a Parquet file DuckDB wrote: the in-memory values, and scikit-learn AP/ROC-AUC', async () => {
  const { csv, expected } = tiedScores();
  const csvPath = join(folder, 'tied.csv');
  writeFileSync(csvPath, csv);
  const parquetPath = join(folder, 'tied.parquet');
  // Typed columns in the Parquet file (an integer label, double scores): typing must still match the CSV's text.
  await duckdbRun(`COPY (SELECT "group", CAST(label AS INTEGER) AS label, CAST(score AS DOUBLE) AS score FROM read_csv('${csvPath}')) TO '${parquetPath}' (FORMAT parquet)`);
  const columns = columnsOf({ label: 'label', score: 'score', sensitive: ['group'] });
  await assertDuckdbEqualsMemory(csvPath, csvPath, columns);
  await assertDuckdbEqualsMemory(parquetPath, csvPath, columns);
  const result = auditFromCells(await duckdbCells(parquetPath, columns), { source: parquetPath });
  assert.ok(Math.abs((result.overall.ap as number) - expected.ap) <= 1e-12);
  assert.ok(Math.abs((result.overall.rocAuc as number) - expected.rocAuc) <= 1e-12);
});

test('duckdb engine errors: unknown column with the list, missing and bad values with their data row, other encodings', async () => {
  const path = join(folder, 'bad.csv');
  writeFileSync(path, 'y,s,g\n1,0.5,a\n0,0.25,b\n1,abc,a\n0,NA,b\n');
  await assert.rejects(duckdbCells(path, columnsOf({ label: 'y', score: 'nope', sensitive: ['g'] })), /unknown column 'nope'.*Columns are: y, s, g/s);
  await assert.rejects(duckdbCells(path, columnsOf({ label: 'y', score: 's', sensitive: ['g'] })), /bad\.csv: DuckDB could not read the file: .*CSV Error on Line: 4.*Could not convert string "abc" to 'DOUBLE'/s);
  writeFileSync(path, 'y,s,g\n1,0.5,a\n0,0.25,b\n1,0.5,a\n0,,b\n1,inf,a\n');
  await assert.rejects(duckdbCells(path, columnsOf({ label: 'y', score: 's', sensitive: ['g'] })), /data row 4: column 's' has a missing value/);
  writeFileSync(path, 'y,s,g\n1,0.5,a\n0,0.25,b\n1,inf,a\n');
  await assert.rejects(duckdbCells(path, columnsOf({ label: 'y', score: 's', sensitive: ['g'] })), /data row 3: column 's' must hold finite numbers, but holds inf/);
  writeFileSync(path, 'y,p,g\n1,1,a\n0,0,b\n1,1,NA\n');
  await assert.rejects(duckdbCells(path, columnsOf({ label: 'y', pred: 'p', sensitive: ['g'] })), /data row 3: column 'g' has a missing value/);
  await assert.rejects(duckdbCells(path, columnsOf({ label: 'y', pred: 'p', sensitive: ['g'] }), { encoding: 'latin1' }), /UTF-8 files only/);
});

test('duckdb engine types columns as the in-memory reader does: "1.0" labels, "01" groups, --categorical', async () => {
  const path = join(folder, 'typed.csv');
  writeFileSync(path, 'y,p,g\n1.0,1,01\n0.0,0,2\n1.0,0,01\n0.0,1,2\n1.0,1,2\n');
  const columns = columnsOf({ label: 'y', pred: 'p', sensitive: ['g'] });
  await assertDuckdbEqualsMemory(path, path, columns);
  const categorical = { ...columns, categorical: ['g'] };
  const result = auditFromCells(await duckdbCells(path, categorical), { source: path });
  assert.deepEqual(result.groups.map((group) => group.key), ['01', '2']);
  assert.equal(result.positive, '1');
});

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DEFAULT_MISSING } from '../data/csv.js';
import { FairkitError } from '../errors.js';
import { AuditCells, textColumns, type AuditColumns } from './audit-cells.js';

export interface DuckdbReadOptions {
  /** More tokens that mean a missing value (--missing), besides DEFAULT_MISSING. */
  missing?: string[];
  /** The CSV file's encoding (--encoding); DuckDB reads UTF-8 only. */
  encoding?: string;
}

/**
 * The audit cells of a CSV (optionally gzip-compressed) or Parquet file, counted by DuckDB: one GROUP BY over the
 * text columns and the score, so only the distinct combinations reach JavaScript and memory is bounded by them, not
 * by the rows. The values are read as text, as the in-memory reader does, and typed by auditFromCells.
 */
export async function duckdbCells(file: string, columns: AuditColumns, options: DuckdbReadOptions = {}): Promise<AuditCells> {
  const encoding = options.encoding?.toLowerCase();
  if (encoding && encoding !== 'utf-8' && encoding !== 'utf8') {
    throw new FairkitError(`--engine duckdb reads UTF-8 files only, not ${options.encoding}`, { fix: 'convert the file to UTF-8 (iconv), or use --engine memory' });
  }
  const missing = [...DEFAULT_MISSING, ...(options.missing ?? [])];
  const parquet = /\.parquet$/i.test(file);
  const source = parquet
    ? `read_parquet(${literal(file)})`
    : `read_csv(${literal(file)}, header = true, all_varchar = true, nullstr = [${missing.map(literal).join(', ')}])`;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const names = await columnNames(connection, source, file);
    const texts = textColumns(columns);
    for (const name of [...texts, ...(columns.score === null ? [] : [columns.score])]) {
      if (!names.includes(name)) throw new FairkitError(`unknown column '${name}'`, { where: file, fix: `Columns are: ${names.join(', ')}` });
    }
    const text = (name: string) => `trim(CAST(${identifier(name)} AS VARCHAR))`;
    // Parquet scores are usually numbers already; a CSV score is text, as the in-memory reader sees it.
    const score = columns.score === null ? null : parquet ? `TRY_CAST(${identifier(columns.score)} AS DOUBLE)` : `TRY_CAST(${text(columns.score)} AS DOUBLE)`;
    const selected = [...texts.map(text), ...(score === null ? [] : [score])];
    const result = await connection.stream(`SELECT ${selected.join(', ')}, CAST(count(*) AS DOUBLE) FROM ${source} GROUP BY ALL`);
    const cells = new AuditCells(columns);
    const row = new Array<string>(texts.length);
    const missingSet = new Set(missing);
    for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const values = chunk.getColumns();
      const counts = values[selected.length] as number[];
      for (let i = 0; i < chunk.rowCount; i++) {
        for (let k = 0; k < texts.length; k++) {
          const value = values[k][i] as string | null;
          if (value === null || missingSet.has(value)) throw await missingValue(connection, source, file, texts[k], text(texts[k]), missing);
          row[k] = value;
        }
        let s = NaN;
        if (score !== null) {
          const value = values[texts.length][i] as number | null;
          if (value === null || !Number.isFinite(value)) throw await badScore(connection, source, file, columns.score!, score);
          s = value;
        }
        cells.add(row, s, counts[i]);
      }
    }
    return cells;
  } catch (error) {
    if (error instanceof FairkitError) throw error;
    throw new FairkitError(`DuckDB could not read the file: ${(error as Error).message}`, { where: file });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function columnNames(connection: DuckDBConnection, source: string, file: string): Promise<string[]> {
  try {
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    return described.getRowObjects().map((row) => String(row.column_name));
  } catch (error) {
    throw new FairkitError(`DuckDB could not read the file: ${(error as Error).message}`, { where: file });
  }
}

// The error paths scan the file once more to find the first offending row (only when there is one): the grouped
// counts say that a bad value exists, not where. Rows are numbered from 1 in file order, the header not counted.

async function missingValue(connection: DuckDBConnection, source: string, file: string, name: string, text: string, missing: string[]): Promise<FairkitError> {
  const where = await firstRow(connection, source, `${text} IS NULL OR ${text} IN (${missing.map(literal).join(', ')})`);
  return new FairkitError(`column '${name}' has a missing value`, { where: `${file}, data row ${where.row}`, fix: 'Drop rows with missing values in the audited columns first' });
}

async function badScore(connection: DuckDBConnection, source: string, file: string, name: string, score: string): Promise<FairkitError> {
  const where = await firstRow(connection, source, `${score} IS NULL OR NOT isfinite(${score})`, name);
  const raw = where.value;
  const what = raw === null || raw.trim() === '' ? 'has a missing value' : `must be numeric, but holds '${raw}'`;
  return new FairkitError(`column '${name}' ${what}`, { where: `${file}, data row ${where.row}` });
}

async function firstRow(connection: DuckDBConnection, source: string, condition: string, column?: string): Promise<{ row: number; value: string | null }> {
  const shown = column === undefined ? 'NULL' : `CAST(${identifier(column)} AS VARCHAR)`;
  const found = await connection.runAndReadAll(
    `SELECT CAST(r AS DOUBLE) AS r, ${shown} AS v FROM (SELECT row_number() OVER () AS r, * FROM ${source}) WHERE ${condition} ORDER BY r LIMIT 1`,
  );
  const [row] = found.getRowObjects();
  return { row: Number(row.r), value: row.v === null ? null : String(row.v) };
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function identifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

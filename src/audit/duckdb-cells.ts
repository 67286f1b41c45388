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
 * by the rows. Only the distinct values are turned into text, which auditFromCells types as the in-memory reader
 * types a whole file.
 */
export async function duckdbCells(file: string, columns: AuditColumns, options: DuckdbReadOptions = {}): Promise<AuditCells> {
  const encoding = options.encoding?.toLowerCase();
  if (encoding && encoding !== 'utf-8' && encoding !== 'utf8') {
    throw new FairkitError(`--engine duckdb reads UTF-8 files only, not ${options.encoding}`, { fix: 'convert the file to UTF-8 (iconv), or use --engine memory' });
  }
  const missing = [...DEFAULT_MISSING, ...(options.missing ?? [])];
  const parquet = /\.parquet$/i.test(file);
  const source = parquet ? `read_parquet(${literal(file)})` : csvSource(file, columns);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    // Named before reading with declared types, which DuckDB refuses for a column the file lacks.
    const names = await columnNames(connection, parquet ? source : `read_csv(${literal(file)}, header = true)`, file);
    const texts = textColumns(columns);
    for (const name of [...texts, ...(columns.score === null ? [] : [columns.score])]) {
      if (!names.includes(name)) throw new FairkitError(`unknown column '${name}'`, { where: file, fix: `Columns are: ${names.join(', ')}` });
    }
    // Grouped on the columns as DuckDB typed them (cheaper than on text), and only the groups turned into text.
    const inner = [...texts.map((name, k) => `${identifier(name)} AS c${k}`), ...(columns.score === null ? [] : [`CAST(${identifier(columns.score)} AS DOUBLE) AS s`])];
    const outer = [...texts.map((_, k) => `trim(CAST(c${k} AS VARCHAR))`), ...(columns.score === null ? [] : ['s']), 'n'];
    const result = await connection.stream(`SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')}, CAST(count(*) AS DOUBLE) AS n FROM ${source} GROUP BY ALL)`);
    const scoreIndex = columns.score === null ? -1 : texts.length;
    const cells = new AuditCells(columns);
    const row = new Array<string>(texts.length);
    const missingSet = new Set(missing);
    for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const values = chunk.getColumns();
      const counts = values[outer.length - 1] as number[];
      for (let i = 0; i < chunk.rowCount; i++) {
        for (let k = 0; k < texts.length; k++) {
          const value = values[k][i] as string | null;
          if (value === null || missingSet.has(value)) throw await missingValue(connection, source, file, texts[k], missing);
          row[k] = value;
        }
        let s = NaN;
        if (scoreIndex >= 0) {
          const value = values[scoreIndex][i] as number | null;
          if (value === null || !Number.isFinite(value)) throw await badScore(connection, source, file, columns.score!);
          s = value;
        }
        cells.add(row, s, counts[i]);
      }
    }
    return cells;
  } catch (error) {
    if (error instanceof FairkitError) throw error;
    throw new FairkitError(`DuckDB could not read the file: ${briefly(error)}`, { where: file });
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
    throw new FairkitError(`DuckDB could not read the file: ${briefly(error)}`, { where: file });
  }
}

/** DuckDB's message up to its first blank line: what failed and where, without the list of reader options. */
function briefly(error: unknown): string {
  return (error as Error).message.split('\n\n')[0];
}

// The error paths scan the file once more to find the first offending row (only when there is one): the grouped
// counts say that a bad value exists, not where. Rows are numbered from 1 in file order, the header not counted.

async function missingValue(connection: DuckDBConnection, source: string, file: string, name: string, missing: string[]): Promise<FairkitError> {
  const text = `trim(CAST(${identifier(name)} AS VARCHAR))`;
  const where = await firstRow(connection, source, `${text} IS NULL OR ${text} IN (${missing.map(literal).join(', ')})`);
  return new FairkitError(`column '${name}' has a missing value`, { where: `${file}, data row ${where.row}`, fix: 'Drop rows with missing values in the audited columns first' });
}

/** A score that is missing or not finite ('inf'): text that is not a number at all fails in DuckDB's reader. */
async function badScore(connection: DuckDBConnection, source: string, file: string, name: string): Promise<FairkitError> {
  const score = `CAST(${identifier(name)} AS DOUBLE)`;
  const where = await firstRow(connection, source, `${score} IS NULL OR NOT isfinite(${score})`, name);
  const what = where.value === null ? 'has a missing value' : `must hold finite numbers, but holds ${where.value}`;
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

/**
 * The CSV reader: types sniffed among integers, doubles and text only (a date typed as DATE would come back
 * rewritten), --categorical columns read as text, the score as a double (DuckDB names the line of a value that is
 * not a number, a missing token such as NA included). auditFromCells types the text of the others again, as the
 * in-memory reader does. Only empty cells are read as NULL: the missing tokens are looked for among the distinct
 * values instead, which costs nothing, where DuckDB's list of null strings slows every cell.
 */
function csvSource(file: string, columns: AuditColumns): string {
  const types = [...columns.categorical.map((name) => `${literal(name)}: 'VARCHAR'`), ...(columns.score === null ? [] : [`${literal(columns.score)}: 'DOUBLE'`])];
  return `read_csv(${literal(file)}, header = true, auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR']${types.length > 0 ? `, types = {${types.join(', ')}}` : ''})`;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function identifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { readTable } from '../data/csv.js';
import { decodeBytes } from '../data/decode.js';
import { csvOptionsFrom, type ReadFlags } from '../data/read-choices.js';
import { cellText } from '../data/table.js';
import type { Table } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { FittedModel } from '../model-folder/fitted-model.js';
import type { InputRecord } from '../model-folder/records.js';
import { DEFAULT_PREDICT_BATCH } from '../nn/predict.js';

export interface PredictOptions {
  modelDir: string;
  input: string;
  output: string;
  threshold: number;
  scoreColumn: string;
  predictionColumn: string;
  /** How to read the input (--encoding, --missing, --categorical); the model's feature types are declared regardless. */
  read?: ReadFlags;
}

/**
 * Scores the rows of a CSV file with a saved model (FittedModel.predictRecords) and writes them back with a score and
 * a prediction column added. The input's own fields are copied as they were written (not re-formatted). Each row gets
 * its training group and cluster when the file has those columns; notes say when rows fall back.
 */
export async function predictFile(options: PredictOptions): Promise<{ rows: number; method: string; notes: string[] }> {
  const fitted = await FittedModel.load(options.modelDir);
  try {
    const [header, ...rows] = readRecords(options.input, options.read?.encoding);
    // Column names as readTable sees them (trimmed); the fields themselves are copied as written.
    const columnNames = header.map((name) => name.trim());
    const missing = fitted.featureColumns.map(({ name }) => name).filter((name) => !columnNames.includes(name));
    if (missing.length > 0) throw new FairkitError(`the model needs column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, missing from the file`, { where: options.input });
    // A regression model's prediction is its value on the target's scale: there is no score to threshold.
    const regression = fitted.folder.targetScale !== undefined;
    const added = regression ? [options.predictionColumn] : [options.scoreColumn, options.predictionColumn];
    for (const column of added) {
      if (columnNames.includes(column)) throw new FairkitError(`the file already has a column '${column}'`, { where: options.input, fix: 'Choose other names with --score-column / --prediction-column' });
    }
    // The CSV reader's parsing (trimming, missing tokens, the encoder's column types); records carry its values.
    const table = await readTable(options.input, csvOptionsFrom(options.read ?? {}, Object.fromEntries(fitted.featureColumns.map(({ name, kind }) => [name, kind]))));
    const predicted = fitted.predictRecords(recordsOf(table), { batchSize: DEFAULT_PREDICT_BATCH, origin: table.origin });
    const output = [
      [...header, ...added],
      ...rows.map((row, i) => {
        const { score } = predicted.rows[i];
        return regression ? [...row, score.toPrecision(7)] : [...row, score.toPrecision(7), score >= options.threshold ? '1' : '0'];
      }),
    ];
    writeFileAtomic(options.output, stringify(output));
    return { rows: table.nRows, method: fitted.folder.method.name, notes: [...(table.notes ?? []), ...predicted.notes] };
  } finally {
    fitted.dispose();
  }
}

/** One record per row: numbers for numeric columns, strings for categorical ones, null where missing. */
function recordsOf(table: Table): InputRecord[] {
  const columns = table.names.map((name) => [name, table.columns.get(name)!] as const);
  return Array.from({ length: table.nRows }, (_, row) =>
    Object.fromEntries(columns.map(([name, column]) => [name, column.kind === 'numeric' ? (Number.isNaN(column.values[row]) ? null : column.values[row]) : cellText(column, row)])),
  );
}

/** The file's fields as written, header first (readTable has already validated its shape). */
function readRecords(path: string, encoding?: string): string[][] {
  let text: Buffer;
  try {
    text = readFileSync(path);
  } catch {
    throw new FairkitError('file not found or unreadable', { where: path });
  }
  // Decoded as strictly as readTable does, so the fields copied to the output are the values the model saw.
  const records: string[][] = parse(decodeBytes(path.endsWith('.gz') ? gunzipSync(text) : text, path, encoding), { skip_empty_lines: true, bom: true });
  if (records.length === 0) throw new FairkitError('the file is empty', { where: path });
  return records;
}

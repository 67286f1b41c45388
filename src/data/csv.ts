import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { CsvError, parse as parseStream, type Options as ParserOptions } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { FairkitError } from '../errors.js';
import { decodingStream, DEFAULT_ENCODING, encodingName } from './decode.js';
import { TableBuilder } from './table-builder.js';
import type { Table } from './types.js';

export { dropRowsWithMissing, selectRows } from './table.js';

export interface CsvOptions {
  /** Default true; if false, names come from `names` or are c0, c1, … */
  header?: boolean;
  /** Column names when there is no header, or to override the header's names. */
  names?: string[];
  /** Default ','. */
  delimiter?: string;
  /** Default '"'; false turns quoting off. */
  quote?: string | false;
  /** Tokens meaning missing (exact, compared after trimming and `transform`); replaces DEFAULT_MISSING. */
  missing?: string[];
  /** Trim whitespace around unquoted fields, default true (Adult uses ", " separators). */
  trim?: boolean;
  /** Lines to skip before the header/data (adult.test's first line). */
  skipLines?: number;
  /** Declared column types, instead of the rule of column-typing.ts; a declared-numeric column rejects any text cell. */
  types?: Record<string, 'numeric' | 'categorical'>;
  /** readTable: the file's encoding, a WHATWG label (default 'utf-8'; 'latin1' means windows-1252). Never lenient. */
  encoding?: string;
  /** Applied to every field before the missing check, e.g. to strip Adult's trailing '.' in test labels. */
  transform?: (value: string, column: string) => string;
  /** Default true. */
  skipEmptyLines?: boolean;
}

/** The tokens read as missing unless `missing` says otherwise (docs/datasets.md, "How files are read"). */
export const DEFAULT_MISSING: readonly string[] = ['', 'NA', 'N/A', 'n/a', 'NaN', 'null', '?', '-'];

/**
 * Streams a CSV file (gunzipped when the name ends in .gz) into a typed columnar table. The bytes are decoded
 * strictly (an undecodable byte is an error naming its line and offset), so distinct values never merge.
 */
export async function readTable(path: string, options: CsvOptions = {}): Promise<Table> {
  const encoding = encodingName(options.encoding ?? DEFAULT_ENCODING);
  const builder = newBuilder(path, options);
  const parser = parseStream(parserOptions(path, options, builder));
  const source = createReadStream(path);
  try {
    if (path.endsWith('.gz')) await pipeline(source, createGunzip(), decodingStream(path, encoding), parser);
    else await pipeline(source, decodingStream(path, encoding), parser);
  } catch (error) {
    throw asFairkitError(error, path);
  }
  return builder.finish();
}

/** The same as `readTable`, from text in memory (tests, small inputs); `source` names it in errors. */
export function parseTable(text: string, options: CsvOptions & { source?: string } = {}): Table {
  const source = options.source ?? '<text>';
  const builder = newBuilder(source, options);
  try {
    parseSync(text, parserOptions(source, options, builder));
  } catch (error) {
    throw asFairkitError(error, source);
  }
  return builder.finish();
}

function newBuilder(source: string, options: CsvOptions): TableBuilder {
  return new TableBuilder(source, {
    header: options.header ?? true,
    names: options.names,
    missing: new Set(options.missing ?? DEFAULT_MISSING),
    types: options.types ?? {},
    transform: options.transform,
  });
}

/** Records go straight into the builder (the parser emits nothing), so sync and streaming share one path. */
function parserOptions(source: string, options: CsvOptions, builder: TableBuilder): ParserOptions {
  const skipLines = options.skipLines ?? 0;
  if (!Number.isInteger(skipLines) || skipLines < 0) {
    throw new FairkitError(`skipLines must be a whole number >= 0, got ${skipLines}`, { where: source });
  }
  return {
    delimiter: options.delimiter ?? ',',
    quote: options.quote === false ? null : (options.quote ?? '"'),
    trim: options.trim ?? true,
    skip_empty_lines: options.skipEmptyLines ?? true,
    from_line: skipLines + 1,
    bom: true,
    relax_column_count: true, // the builder checks counts itself, to name expected and found
    on_record: (record: string[], context) => {
      builder.add(record, context.lines);
      return null;
    },
  };
}

function asFairkitError(error: unknown, source: string): FairkitError {
  if (error instanceof FairkitError) return error;
  if (error instanceof CsvError) {
    const line = typeof error.lines === 'number' ? `, line ${error.lines}` : '';
    return new FairkitError(`malformed CSV: ${error.message}`, { where: `${source}${line}`, cause: error });
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') {
    return new FairkitError('file not found', { where: source, cause: error });
  }
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') {
    return new FairkitError('not a valid gzip file', { where: source, fix: 'Remove the .gz suffix if the file is plain text', cause: error });
  }
  return new FairkitError(`cannot read the file: ${(error as Error)?.message ?? String(error)}`, { where: source, cause: error });
}

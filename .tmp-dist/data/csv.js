import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { CsvError, parse as parseStream } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { FairkitError } from '../errors.js';
import { TableBuilder } from './table-builder.js';
export { dropRowsWithMissing, selectRows } from './table.js';
const DEFAULT_MISSING = ['', 'NA', 'NaN', '?'];
/** Streams a CSV file (gunzipped when the name ends in .gz) into a typed columnar table. */
export async function readTable(path, options = {}) {
    const builder = newBuilder(path, options);
    const parser = parseStream(parserOptions(path, options, builder));
    const source = createReadStream(path);
    try {
        if (path.endsWith('.gz'))
            await pipeline(source, createGunzip(), parser);
        else
            await pipeline(source, parser);
    }
    catch (error) {
        throw asFairkitError(error, path);
    }
    return builder.finish();
}
/** The same as `readTable`, from text in memory (tests, small inputs); `source` names it in errors. */
export function parseTable(text, options = {}) {
    const source = options.source ?? '<text>';
    const builder = newBuilder(source, options);
    try {
        parseSync(text, parserOptions(source, options, builder));
    }
    catch (error) {
        throw asFairkitError(error, source);
    }
    return builder.finish();
}
function newBuilder(source, options) {
    return new TableBuilder(source, {
        header: options.header ?? true,
        names: options.names,
        missing: new Set(options.missing ?? DEFAULT_MISSING),
        types: options.types ?? {},
        transform: options.transform,
    });
}
/** Records go straight into the builder (the parser emits nothing), so sync and streaming share one path. */
function parserOptions(source, options, builder) {
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
        on_record: (record, context) => {
            builder.add(record, context.lines);
            return null;
        },
    };
}
function asFairkitError(error, source) {
    if (error instanceof FairkitError)
        return error;
    if (error instanceof CsvError) {
        const line = typeof error.lines === 'number' ? `, line ${error.lines}` : '';
        return new FairkitError(`malformed CSV: ${error.message}`, { where: `${source}${line}`, cause: error });
    }
    const code = error?.code;
    if (code === 'ENOENT') {
        return new FairkitError('file not found', { where: source, cause: error });
    }
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') {
        return new FairkitError('not a valid gzip file', { where: source, fix: 'Remove the .gz suffix if the file is plain text', cause: error });
    }
    return new FairkitError(`cannot read the file: ${error?.message ?? String(error)}`, { where: source, cause: error });
}
//# sourceMappingURL=csv.js.map
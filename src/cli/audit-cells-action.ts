import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readTable } from '../data/csv.js';
import { FairkitError } from '../errors.js';
import type { AuditCells, AuditColumns } from '../audit/audit-cells.js';
import { auditCellsFromJson, auditCellsToJson } from '../audit/audit-cells-json.js';
import { auditFromCells } from '../audit/audit-from-cells.js';
import { renderAudit } from '../audit/render.js';
import { cellReadTypes, cellsOfTable } from '../audit/table-cells.js';
import type { AuditFlags } from './audit.js';
import { csvOptionsFrom, printReadNotes } from './read-options.js';

export const auditEngines = ['auto', 'memory', 'duckdb'] as const;
export type AuditEngine = (typeof auditEngines)[number];

/** From this size on, --engine auto streams a CSV file through DuckDB rather than reading it into memory. */
const LARGE_FILE_BYTES = 200 * 1024 * 1024;

/** The engine --engine names; auto takes DuckDB for Parquet (which the in-memory reader cannot read) and large files. */
export function chooseEngine(files: string[], flags: AuditFlags, command: Command): 'memory' | 'duckdb' {
  if (flags.engine !== 'auto') return flags.engine;
  const [file] = files;
  if (file === undefined || flags.merge) return 'memory';
  if (/\.parquet$/i.test(file)) return 'duckdb';
  // Large files go to DuckDB only when nothing the in-memory audit alone can do was asked for.
  const onlyInMemory = flags.task === 'regression' || flags.bootstrap !== undefined || command.getOptionValueSource('encoding') === 'cli';
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    return 'memory'; // the reader names the missing file
  }
  return size >= LARGE_FILE_BYTES && !onlyInMemory ? 'duckdb' : 'memory';
}

export function singleFile(files: string[]): string {
  if (files.length !== 1) throw new FairkitError(`fairkit audit takes one file (got ${files.length})`, { fix: 'to combine shard states, pass --merge A.json B.json …' });
  return files[0];
}

/** --label and --sensitive, required unless the states given with --merge carry them. */
export function requireColumns(flags: AuditFlags): void {
  for (const [option, value] of [['--label <col>', flags.label], ['--sensitive <cols>', flags.sensitive]] as const) {
    if (value === undefined) throw new FairkitError(`required option '${option}' not specified`);
  }
}

/** Options fixed by the shards' states, so --merge refuses them rather than ignoring them. */
const setByShards = ['label', 'pred', 'score', 'sensitive', 'threshold', 'categorical', 'missing', 'encoding', 'engine'] as const;

/**
 * The audit through counted rows (cells): --partial writes them, --merge combines written ones, --engine duckdb
 * counts them in DuckDB. Classification only: the regression audit has no cell form yet, and the bootstrap
 * resamples rows.
 */
export async function auditByCells(files: string[], flags: AuditFlags, command: Command): Promise<void> {
  const why = flags.merge ? '--merge' : flags.partial ? '--partial' : flags.engine === 'duckdb' ? '--engine duckdb' : 'DuckDB (which --engine auto picks for Parquet and large files)';
  if (flags.task === 'regression') throw new FairkitError(`${why} audits classification only`, { fix: 'audit a regressor with --engine memory' });
  if (flags.bootstrap !== undefined) throw new FairkitError(`--bootstrap resamples rows, which ${why} does not keep`, { fix: 'drop --bootstrap, or use --engine memory on one file' });
  let cells: AuditCells;
  let source: string;
  if (flags.merge) {
    for (const flag of setByShards) {
      if (command.getOptionValueSource(flag) === 'cli') throw new FairkitError(`--${flag} cannot be used with --merge: the shards' states fix it`);
    }
    if (files.length === 0) throw new FairkitError('--merge needs the state files to combine', { fix: 'fairkit audit --merge a.json b.json' });
    cells = files.map(readState).reduce((all, shard) => all.merge(shard));
    source = files.join(', ');
  } else {
    source = singleFile(files);
    requireColumns(flags);
    if (!flags.pred && !flags.score) throw new FairkitError('give --pred COL or --score COL (or both)');
    cells = await countCells(source, flags, command);
  }
  if (flags.partial) {
    if (!flags.merge && (flags.positive !== undefined || flags.privileged !== undefined)) {
      throw new FairkitError('--positive and --privileged are applied when the states are merged', { fix: 'give them to fairkit audit --merge' });
    }
    writeFileSync(flags.partial, `${JSON.stringify(auditCellsToJson(cells))}\n`);
    process.stderr.write(`wrote the audit state of ${cells.rows} rows (${cells.size} cells) to ${flags.partial}\n`);
    return;
  }
  const result = auditFromCells(cells, { positive: flags.positive, privileged: flags.privileged, source });
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(renderAudit(result, flags.format));
}

async function countCells(file: string, flags: AuditFlags, command: Command): Promise<AuditCells> {
  const columns: AuditColumns = {
    label: flags.label!,
    pred: flags.pred ?? null,
    score: flags.score ?? null,
    sensitive: flags.sensitive!,
    threshold: flags.threshold,
    categorical: flags.categorical ?? [],
  };
  if (chooseEngine([file], flags, command) === 'duckdb') {
    // Loaded on demand: DuckDB is a native library that the other commands need not load.
    const { duckdbCells } = await import('../audit/duckdb-cells.js');
    return duckdbCells(file, columns, flags);
  }
  const table = await readTable(file, csvOptionsFrom(flags, cellReadTypes(columns)));
  printReadNotes(table.notes);
  return cellsOfTable(table, columns, file);
}

function readState(file: string): AuditCells {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new FairkitError(`cannot read the audit state: ${(error as Error).message}`, { where: file });
  }
  return auditCellsFromJson(text, file);
}

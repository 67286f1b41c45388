import { FairkitError } from '../errors.js';
import { typeColumn, type ColumnType } from './column-typing.js';
import { missingNotes } from './missing-notes.js';
import type { Column, Table } from './types.js';

export { parseDecimal, type ColumnType } from './column-typing.js';

export interface BuilderOptions {
  header: boolean;
  names?: string[];
  missing: Set<string>;
  types: Record<string, ColumnType>;
  transform?: (value: string, column: string) => string;
}

/**
 * Collects parsed records (already split into fields) into columns of strings, then types each column:
 * by the rule in column-typing.ts, and counts the cells each missing token emptied, for the table's notes.
 */
export class TableBuilder {
  private names: string[] | null = null;
  private cells: (string | null)[][] = [];
  /** Per column: how many cells each missing token stood for. */
  private missingCounts: Map<string, number>[] = [];
  private lines: number[] = [];
  /** csv-parse counts a CRLF inside a quoted field as two lines; every later line number is off by those. */
  private quotedCrlfs = 0;

  constructor(
    private readonly source: string,
    private readonly options: BuilderOptions,
  ) {
    if (!options.header && options.names) this.setNames(options.names);
  }

  /** `endLine` is the file line on which the record ends; quoted newlines move its start earlier. */
  add(fields: string[], endLine: number): void {
    for (const field of fields) for (let at = field.indexOf('\r\n'); at >= 0; at = field.indexOf('\r\n', at + 2)) this.quotedCrlfs++;
    let line = endLine - this.quotedCrlfs;
    for (const field of fields) for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) line--;
    if (this.names === null) {
      if (this.options.header) {
        if (this.options.names && this.options.names.length !== fields.length) {
          throw new FairkitError(
            `${this.options.names.length} column names were given but the header has ${fields.length} fields`,
            { where: `${this.source}, line ${line}` },
          );
        }
        this.setNames(this.options.names ?? fields);
        return;
      }
      this.setNames(fields.map((_, i) => `c${i}`));
    }
    const names = this.names!;
    if (fields.length !== names.length) {
      throw new FairkitError(`expected ${fieldCount(names.length)} but found ${fields.length}`, {
        where: `${this.source}, line ${line}`,
        fix: 'Check the delimiter and quoting of that line',
      });
    }
    const { missing, transform } = this.options;
    for (let i = 0; i < fields.length; i++) {
      const value = transform ? transform(fields[i], names[i]) : fields[i];
      if (missing.has(value)) {
        this.cells[i].push(null);
        this.missingCounts[i].set(value, (this.missingCounts[i].get(value) ?? 0) + 1);
      } else this.cells[i].push(value);
    }
    this.lines.push(line);
  }

  finish(): Table {
    if (this.names === null) {
      if (this.options.header) throw new FairkitError('the file is empty: no header line', { where: this.source });
      this.setNames([]);
    }
    const names = this.names!;
    const columns = new Map<string, Column>();
    const lineOf = (row: number) => this.lines[row];
    names.forEach((name, i) => columns.set(name, typeColumn(this.cells[i], this.options.types[name], { source: this.source, name, lineOf })));
    const nRows = this.lines.length;
    const notes = missingNotes(this.source, names, this.missingCounts, nRows);
    return { names, columns, nRows, origin: { source: this.source, lines: Int32Array.from(this.lines) }, ...(notes.length > 0 ? { notes } : {}) };
  }

  /**
   * A blank name becomes `c<index>` (as when there is no header). Duplicate names (COMPAS has them) keep
   * the first occurrence as is; later ones become `name_2`, `name_3`, … so every column stays addressable.
   */
  private setNames(raw: string[]): void {
    const taken = new Set<string>();
    const names = raw.map((name, i) => {
      const base = name.trim() === '' ? `c${i}` : name;
      let unique = base;
      for (let n = 2; taken.has(unique); n++) unique = `${base}_${n}`;
      taken.add(unique);
      return unique;
    });
    for (const name of Object.keys(this.options.types)) {
      if (!taken.has(name)) {
        throw new FairkitError(`unknown column '${name}' (named for reading as ${this.options.types[name]})`, {
          where: this.source,
          fix: `Columns: ${names.join(', ')}`,
        });
      }
    }
    this.names = names;
    this.cells = names.map(() => []);
    this.missingCounts = names.map(() => new Map());
  }
}

function fieldCount(n: number): string {
  return n === 1 ? '1 field' : `${n} fields`;
}

import { FairkitError } from '../errors.js';
import type { Column } from './types.js';

/**
 * How a column read from text gets its type. One stray token ('n/a', 'Infinity', 'unknown') in a column of numbers
 * used to turn the whole column categorical, so that training saw hundreds of one-hot inputs instead of one number,
 * with no message. The rule now (docs/datasets.md, "How files are read"):
 *
 * - declared categorical: categorical;
 * - every non-missing cell a finite decimal number: numeric (declared or not);
 * - declared numeric, and any other cell: an error naming that cell;
 * - a cell that names a number that is not finite ('Infinity', '-inf', '1e400') with only numbers otherwise: an error;
 * - at least MOSTLY_NUMERIC of the non-missing cells numbers, and the rest text: an error naming the first stray cell;
 * - otherwise categorical (a column of words, with a few numbers among them, is text).
 */

export type ColumnType = 'numeric' | 'categorical';

/** Share of numbers among the present cells from which text cells are taken for mistakes rather than categories. */
export const MOSTLY_NUMERIC = 0.9;

/** Plain decimal numbers only: no hex, no "Infinity", no empty string (which Number() would take as 0). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITE = /^[+-]?(inf|infinity)$/i;

/** The number a plain decimal stands for; NaN for anything else, and for decimals beyond float64 (1e400). */
export function parseDecimal(text: string): number {
  if (!DECIMAL.test(text)) return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

/** A token that spells a number a numeric column cannot hold. */
export function isNonFinite(text: string): boolean {
  return INFINITE.test(text) || (DECIMAL.test(text) && !Number.isFinite(Number(text)));
}

/** Where the column's cells came from, to name a bad one. */
export interface CellPlace {
  source: string;
  name: string;
  lineOf: (row: number) => number;
}

/** Types one column of cells (null = missing) by the rule above. */
export function typeColumn(cells: (string | null)[], declared: ColumnType | undefined, place: CellPlace): Column {
  if (declared === 'categorical') return { kind: 'categorical', values: cells };
  const values = new Float64Array(cells.length);
  const strays: number[] = [];
  let present = 0;
  for (let row = 0; row < cells.length; row++) {
    const cell = cells[row];
    if (cell === null) {
      values[row] = NaN;
      continue;
    }
    present++;
    const value = parseDecimal(cell);
    if (Number.isNaN(value)) strays.push(row);
    values[row] = value;
  }
  if (strays.length === 0) return { kind: 'numeric', values };
  const texts = strays.filter((row) => !isNonFinite(cells[row]!));
  const numbers = present - strays.length;
  if (declared === 'numeric') throw strayError(cells, strays, place, `column "${place.name}" was declared numeric`);
  if (texts.length === 0) throw strayError(cells, strays, place, 'a numeric column holds finite numbers only');
  if (numbers >= MOSTLY_NUMERIC * present) throw strayError(cells, strays, place, `${numbers} of the column's ${present} values are numbers`);
  return { kind: 'categorical', values: cells };
}

function strayError(cells: (string | null)[], strays: number[], place: CellPlace, why: string): FairkitError {
  const first = strays[0];
  const token = cells[first]!;
  const tokens = [...new Set(strays.map((row) => cells[row]!))];
  const shown = tokens.slice(0, 3).map((t) => `"${t}"`).join(', ') + (tokens.length > 3 ? `, … (${tokens.length} distinct)` : '');
  const count = strays.length === 1 ? '1 cell is not a number' : `${strays.length} cells are not numbers`;
  return new FairkitError(`"${token}" is not a number, but ${why} (${count}: ${shown})`, {
    where: `${place.source}, line ${place.lineOf(first)}, column "${place.name}"`,
    fix: isNonFinite(token)
      ? `Replace it with a finite number or a missing token, or declare the column categorical (--categorical ${place.name}, or readTable's types option)`
      : `If "${token}" means missing, list it (--missing ${token}, or readTable's missing option); if the column is categorical, declare it (--categorical ${place.name}, or readTable's types option)`,
  });
}

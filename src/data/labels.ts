import { FairkitError } from '../errors.js';
import { cellText, getColumn, rowPlace } from './table.js';
import type { Table } from './types.js';

const POSITIVE_WORDS = ['1', 'true', 'yes', 'y', '>50k', 'positive'];

/**
 * 0/1 labels from the target column; `positive` is compared as a string (numeric 1 → "1"). Without it, a
 * two-valued column takes the value that reads as positive ("1", "true", "yes", ">50K", …), else the
 * lexicographically larger one; the value used is returned.
 */
export function labelsFrom(table: Table, target: string, positive?: string): { y: Uint8Array; positive: string } {
  const column = getColumn(table, target, 'target column');
  const texts = Array.from({ length: table.nRows }, (_, row) => {
    const text = cellText(column, row);
    if (text === null) {
      throw new FairkitError(`the target "${target}" is missing`, {
        where: rowPlace(table, row),
        fix: 'Drop rows with a missing label first',
      });
    }
    return text;
  });
  const chosen = positiveLabel(target, [...new Set(texts)], positive);
  return { y: Uint8Array.from(texts, (text) => (text === chosen ? 1 : 0)), positive: chosen };
}

/** The positive value among a target's distinct values: `positive` when it occurs, else the rule of labelsFrom. */
export function positiveLabel(target: string, values: string[], positive?: string): string {
  const distinct = [...values].sort();
  const chosen = positive ?? inferPositive(target, distinct);
  if (!distinct.includes(chosen)) {
    throw new FairkitError(`the positive label "${chosen}" does not occur in the target "${target}"`, {
      fix: `Its values are: ${distinct.slice(0, 20).join(', ')}`,
    });
  }
  return chosen;
}

function inferPositive(target: string, distinct: string[]): string {
  if (distinct.length !== 2) {
    throw new FairkitError(`the target "${target}" has ${distinct.length} distinct values, so the positive one is ambiguous`, {
      fix: `Pass --positive with one of: ${distinct.slice(0, 20).join(', ')}`,
    });
  }
  const positiveLooking = distinct.filter((value) => POSITIVE_WORDS.includes(value.toLowerCase()));
  return positiveLooking.length === 1 ? positiveLooking[0] : distinct[1];
}

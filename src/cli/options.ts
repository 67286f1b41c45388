import { InvalidArgumentError } from 'commander';
import type { Binning } from '../data/binning.js';

/** Commander argument parsers that reject bad values with a message naming the option. */
export function numberOption(option: string, check?: { min?: number; max?: number; integer?: boolean }) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`${option} needs a number, got '${raw}'.`);
    if (check?.integer && !Number.isInteger(value)) throw new InvalidArgumentError(`${option} needs a whole number, got '${raw}'.`);
    if (check?.min !== undefined && value < check.min) throw new InvalidArgumentError(`${option} must be at least ${check.min}, got ${raw}.`);
    if (check?.max !== undefined && value > check.max) throw new InvalidArgumentError(`${option} must be at most ${check.max}, got ${raw}.`);
    return value;
  };
}

export function listOption(option: string) {
  return (raw: string): string[] => {
    const items = raw.split(',').map((item) => item.trim());
    if (items.some((item) => item === '')) throw new InvalidArgumentError(`${option} needs a comma-separated list without empty items, got '${raw}'.`);
    return items;
  };
}

export function choiceOption<T extends string>(option: string, choices: readonly T[]) {
  return (raw: string): T => {
    if (!(choices as readonly string[]).includes(raw)) throw new InvalidArgumentError(`${option} must be one of ${choices.join(', ')}, got '${raw}'.`);
    return raw as T;
  };
}

export function numberListOption(option: string, check?: { min?: number; max?: number; integer?: boolean }) {
  const items = listOption(option);
  const number = numberOption(option, check);
  return (raw: string): number[] => items(raw).map(number);
}

const SPLIT_PARTS = ['training', 'validation', 'test'] as const;

/**
 * `--split train,validation,test`: three fractions in [0, 1] that sum to 1 (within 1e-9), each part the command
 * needs above 0. Checked while the flags are parsed, before any data is loaded.
 */
export function splitOption(option: string, command: string, needs: readonly (typeof SPLIT_PARTS)[number][]) {
  const numbers = numberListOption(option, { min: 0, max: 1 });
  return (raw: string): number[] => {
    const fractions = numbers(raw);
    if (fractions.length !== 3) throw new InvalidArgumentError(`${option} needs three fractions (training, validation, test), got ${fractions.length}.`);
    const total = fractions.reduce((sum, fraction) => sum + fraction, 0);
    if (Math.abs(total - 1) > 1e-9) throw new InvalidArgumentError(`${option} fractions must sum to 1, got ${Number(total.toPrecision(12))}.`);
    const empty = SPLIT_PARTS.filter((part, i) => needs.includes(part) && fractions[i] === 0);
    if (empty.length > 0) {
      const parts = `${empty.join(' and ')} split${empty.length > 1 ? 's' : ''}`;
      throw new InvalidArgumentError(`${option} leaves the ${parts} empty, but ${command} needs ${empty.length > 1 ? 'them' : 'it'}: give ${empty.length > 1 ? 'each' : 'it'} a fraction above 0, e.g. 0.6,0.2,0.2.`);
    }
    return fractions;
  };
}

/**
 * `--bin COL=quantiles:Q` (Q equal-count bins) or `--bin COL=C1,C2,…` (cut points; a bin holds its lower cut),
 * repeatable, one per sensitive column.
 */
export function binOption(raw: string, previous: Binning[] = []): Binning[] {
  const match = /^\s*([^=]+?)\s*=\s*(.+?)\s*$/.exec(raw);
  const usage = `--bin needs COLUMN=quantiles:Q or COLUMN=CUT,CUT,…, got '${raw}'.`;
  if (!match) throw new InvalidArgumentError(usage);
  const [, column, rule] = match;
  const quantiles = /^quantiles:(.*)$/.exec(rule);
  let binning: Binning;
  if (quantiles) {
    const q = Number(quantiles[1]);
    if (quantiles[1].trim() === '' || !Number.isInteger(q) || q < 2) throw new InvalidArgumentError(`--bin ${column}: quantiles needs a whole number of bins >= 2, got '${quantiles[1]}'.`);
    binning = { column, quantiles: q };
  } else {
    const cuts = rule.split(',').map((item) => (item.trim() === '' ? Number.NaN : Number(item)));
    if (cuts.some((cut) => !Number.isFinite(cut))) throw new InvalidArgumentError(usage);
    if (cuts.some((cut, i) => i > 0 && cut <= cuts[i - 1])) throw new InvalidArgumentError(`--bin ${column}: cut points must be strictly increasing, got ${rule}.`);
    binning = { column, cuts };
  }
  if (previous.some((entry) => entry.column === column)) throw new InvalidArgumentError(`--bin names '${column}' twice.`);
  return [...previous, binning];
}

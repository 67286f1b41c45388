import { DEFAULT_MISSING, type CsvOptions } from './csv.js';
import type { ColumnType } from './column-typing.js';
import { FairkitError } from '../errors.js';

/**
 * How a command reads the CSV file it is given (docs/datasets.md, "How files are read"): --encoding, --missing
 * (added to DEFAULT_MISSING) and --categorical, the same for audit, train and predict.
 */
export interface ReadFlags {
  encoding?: string;
  missing?: string[];
  categorical?: string[];
}

/** The readTable options the flags stand for; `types` are the command's own declarations, which --categorical may not contradict. */
export function csvOptionsFrom(flags: ReadFlags, types: Record<string, ColumnType> = {}): CsvOptions {
  const declared = { ...types };
  for (const name of flags.categorical ?? []) {
    if (declared[name] === 'numeric') throw new FairkitError(`--categorical ${name}: this command needs column "${name}" as numbers`);
    declared[name] = 'categorical';
  }
  return {
    ...(flags.encoding ? { encoding: flags.encoding } : {}),
    ...(flags.missing ? { missing: [...DEFAULT_MISSING, ...flags.missing] } : {}),
    ...(Object.keys(declared).length > 0 ? { types: declared } : {}),
  };
}

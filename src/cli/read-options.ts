import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MISSING } from '../data/csv.js';
import { encodingName } from '../data/decode.js';
import { listOption } from './options.js';

// --encoding, --missing, --categorical: the flags the reader's errors name as fixes (docs/datasets.md, "How files are
// read"), one definition for audit, train and predict.
export { csvOptionsFrom, type ReadFlags } from '../data/read-choices.js';

export function encodingOption(): Option {
  return new Option('--encoding <name>', "the CSV file's text encoding, e.g. latin1, utf-16le (default utf-8; undecodable bytes are an error)").argParser((raw: string) => {
    try {
      return encodingName(raw);
    } catch (error) {
      throw new InvalidArgumentError(`--encoding: ${(error as Error).message}.`);
    }
  });
}

export function missingOption(): Option {
  return new Option('--missing <tokens>', `more tokens that mean a missing value, comma-separated (always: ${DEFAULT_MISSING.map((t) => `'${t}'`).join(' ')})`).argParser(listOption('--missing'));
}

export function categoricalOption(): Option {
  return new Option('--categorical <cols>', 'columns to read as categories even when they hold numbers, comma-separated').argParser(listOption('--categorical'));
}

/** What reading did to the values (cells read as missing), on stderr like the commands' other notes. */
export function printReadNotes(notes: string[] | undefined): void {
  for (const note of notes ?? []) process.stderr.write(`note: ${note}\n`);
}

import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, truncateSync, writeSync } from 'node:fs';
import { FairkitError } from '../errors.js';
import { journalEntrySchema, trialId, type JournalEntry } from './trial.js';

export interface JournalContents {
  entries: JournalEntry[];
  warnings: string[];
  /** Bytes of the file up to the end of its last complete entry. */
  validBytes: number;
  /** The file ends in an incomplete line (a run killed while writing), which `validBytes` leaves out. */
  tornTail: boolean;
}

const NEWLINE = 0x0a;

/**
 * Reads a JSONL journal (a missing file is an empty journal). Every line must be one entry, `{ trial, result }`,
 * whose trial id is the hash of its spec. A last line without its newline that does not parse is what a killed
 * run leaves behind: it is dropped with a warning. Any other bad line is a FairkitError naming file and line.
 */
export function readJournal(path: string): JournalContents {
  const contents: JournalContents = { entries: [], warnings: [], validBytes: 0, tornTail: false };
  if (!existsSync(path)) return contents;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new FairkitError(`cannot read the journal (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { where: path });
  }
  const seen = new Set<string>();
  let start = 0;
  for (let line = 1; start < bytes.length; line++) {
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline === -1 ? bytes.length : newline;
    const text = bytes.subarray(start, end).toString('utf8');
    if (text.trim() !== '') {
      const value = parseLine(text);
      if (value === undefined && newline === -1) {
        contents.tornTail = true;
        contents.warnings.push(`${path}: dropped the incomplete last line ${line}, left by an interrupted run`);
        break;
      }
      const entry = checkEntry(value, text, path, line);
      if (seen.has(entry.trial.id)) contents.warnings.push(`${path}: line ${line} repeats trial ${entry.trial.id}; the first record is kept`);
      else {
        seen.add(entry.trial.id);
        contents.entries.push(entry);
      }
    }
    contents.validBytes = end;
    start = end + 1;
  }
  return contents;
}

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function checkEntry(value: unknown, text: string, path: string, line: number): JournalEntry {
  const where = `${path}, line ${line}`;
  const fix = 'Repair or delete that line (every other line is a finished trial and is kept), then run again';
  if (value === undefined) throw new FairkitError(`not valid JSON: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`, { where, fix });
  const parsed = journalEntrySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FairkitError(`not a bench journal entry: ${issue.path.join('.') || '(top level)'}: ${issue.message}`, { where, fix });
  }
  const { id, ...spec } = parsed.data.trial;
  if (trialId(spec) !== id) throw new FairkitError(`trial id ${id} does not match the trial's spec (the line was edited or damaged)`, { where, fix });
  return parsed.data;
}

/**
 * Appends entries to a journal, one line each, flushed to disk (fsync) before `append` returns, so a finished
 * trial survives a crash. Opening repairs what a killed run left: the torn last line is cut off, and a missing
 * final newline is added.
 */
export class JournalWriter {
  private constructor(private readonly path: string, private fd: number | null) {}

  static open(path: string, existing: JournalContents = readJournal(path)): JournalWriter {
    try {
      if (existing.tornTail) truncateSync(path, existing.validBytes);
      const fd = openSync(path, 'a+');
      const size = fstatSync(fd).size;
      if (size > 0 && lastByte(fd, size) !== NEWLINE) writeSync(fd, '\n');
      return new JournalWriter(path, fd);
    } catch (error) {
      throw new FairkitError(`cannot open the journal for writing: ${(error as Error).message}`, { where: path, cause: error });
    }
  }

  append(entry: JournalEntry): void {
    if (this.fd === null) throw new Error(`journal ${this.path} is closed`);
    try {
      writeSync(this.fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(this.fd);
    } catch (error) {
      throw new FairkitError(`cannot append to the journal: ${(error as Error).message}`, { where: this.path, cause: error });
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function lastByte(fd: number, size: number): number {
  const byte = Buffer.alloc(1);
  readSync(fd, byte, 0, 1, size - 1);
  return byte[0];
}

import { type JournalEntry } from './trial.js';
export interface JournalContents {
    entries: JournalEntry[];
    warnings: string[];
    /** Bytes of the file up to the end of its last complete entry. */
    validBytes: number;
    /** The file ends in an incomplete line (a run killed while writing), which `validBytes` leaves out. */
    tornTail: boolean;
}
/**
 * Reads a JSONL journal (a missing file is an empty journal). Every line must be one entry, `{ trial, result }`,
 * whose trial id is the hash of its spec. A last line without its newline that does not parse is what a killed
 * run leaves behind: it is dropped with a warning. Any other bad line is a FairkitError naming file and line.
 */
export declare function readJournal(path: string): JournalContents;
/**
 * Appends entries to a journal, one line each, flushed to disk (fsync) before `append` returns, so a finished
 * trial survives a crash. Opening repairs what a killed run left: the torn last line is cut off, and a missing
 * final newline is added.
 */
export declare class JournalWriter {
    private readonly path;
    private fd;
    private constructor();
    static open(path: string, existing?: JournalContents): JournalWriter;
    append(entry: JournalEntry): void;
    close(): void;
}

/** The bench's journal and manifest inside an output folder. */
export declare const JOURNAL_FILE = "results.jsonl";
export declare const MANIFEST_FILE = "bench.json";
/** What the last bench run into a folder was asked to do (trials themselves are in the journal). */
export interface BenchManifest {
    command: string;
    finished: string;
    planned: number;
    ran: number;
    skipped: number;
    failed: number;
}
export declare function writeManifest(folder: string, manifest: BenchManifest): void;
/** The manifest, or null when there is none or it cannot be read (it is informative only). */
export declare function readManifest(folder: string): BenchManifest | null;

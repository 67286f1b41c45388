import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';

/** The bench's journal and manifest inside an output folder. */
export const JOURNAL_FILE = 'results.jsonl';
export const MANIFEST_FILE = 'bench.json';

/**
 * What the last bench run into a folder was asked to do (trials themselves are in the journal). Written when the run
 * starts (finished null) and again when it ends, so a report never quotes an earlier run, and can tell which planned
 * trials an interrupted run left out.
 */
export interface BenchManifest {
  command: string;
  /** Absent in manifests written before runs recorded their start. */
  started?: string;
  /** Null while the run is going (or after it was killed). */
  finished: string | null;
  planned: number;
  /** The planned trial ids (absent in older manifests). */
  plannedIds?: string[];
  ran: number;
  skipped: number;
  failed: number;
}

export function writeManifest(folder: string, manifest: BenchManifest): void {
  writeFileAtomic(join(folder, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The manifest, or null when there is none or it cannot be read (it is informative only). */
export function readManifest(folder: string): BenchManifest | null {
  const path = join(folder, MANIFEST_FILE);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BenchManifest;
  } catch {
    return null;
  }
}

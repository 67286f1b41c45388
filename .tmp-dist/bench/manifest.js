import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
/** The bench's journal and manifest inside an output folder. */
export const JOURNAL_FILE = 'results.jsonl';
export const MANIFEST_FILE = 'bench.json';
export function writeManifest(folder, manifest) {
    writeFileAtomic(join(folder, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}
/** The manifest, or null when there is none or it cannot be read (it is informative only). */
export function readManifest(folder) {
    const path = join(folder, MANIFEST_FILE);
    if (!existsSync(path))
        return null;
    try {
        return JSON.parse(readFileSync(path, 'utf8'));
    }
    catch {
        return null;
    }
}
//# sourceMappingURL=manifest.js.map
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOURNAL_FILE } from '../bench/manifest.js';
import { fakeEntry } from '../bench/test-entries.js';
/**
 * Writes a bench folder with a small made-up journal: a synthetic study (erm, eor at two λ, two seeds) and an
 * Adult study under the FFB protocol (erm, two seeds), so the report has every kind of chart and table.
 */
export function writeFakeBenchFolder(folder) {
    mkdirSync(folder, { recursive: true });
    const entries = [0, 1].flatMap((seed) => [
        fakeEntry({ seed }, { accuracy: 0.8 + 0.01 * seed, ap: 0.7, dp: 0.2, eo: 0.4 - 0.02 * seed }),
        fakeEntry({ seed, method: 'eor', params: { lambda: 0.5 } }, { accuracy: 0.79, ap: 0.69 + 0.01 * seed, dp: 0.1, eo: 0.15 }),
        fakeEntry({ seed, method: 'eor', params: { lambda: 5 } }, { accuracy: 0.7, ap: 0.6, dp: 0.05, eo: 0.05 + 0.01 * seed }),
        fakeEntry({ seed, dataset: 'adult', sensitive: ['sex'], protocol: 'ffb', training: {} }, { accuracy: 0.853 + 0.002 * seed, ap: 0.78, dp: 0.17, eo: 0.15, groups: { Female: [0.08, 0.55, 0.02], Male: [0.25, 0.62, 0.08] } }),
    ]);
    writeFileSync(join(folder, JOURNAL_FILE), entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
}
//# sourceMappingURL=test-report.js.map
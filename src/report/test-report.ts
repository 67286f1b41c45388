import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOURNAL_FILE } from '../bench/manifest.js';
import { fakeEntry } from '../bench/test-entries.js';
import { RUN_CONTRIBUTION_FILE, RUN_METRICS_FILE } from './run-files.js';

/**
 * Writes a bench folder with a small made-up journal: a synthetic study (erm, eor at two λ, two seeds) and an
 * Adult study under the FFB protocol (erm, two seeds), so the report has every kind of chart and table.
 */
export function writeFakeBenchFolder(folder: string): void {
  mkdirSync(folder, { recursive: true });
  const entries = [0, 1].flatMap((seed) => [
    fakeEntry({ seed }, { accuracy: 0.8 + 0.01 * seed, ap: 0.7, dp: 0.2, eo: 0.4 - 0.02 * seed }),
    fakeEntry({ seed, method: 'eor', params: { lambda: 0.5 } }, { accuracy: 0.79, ap: 0.69 + 0.01 * seed, dp: 0.1, eo: 0.15 }),
    fakeEntry({ seed, method: 'eor', params: { lambda: 5 } }, { accuracy: 0.7, ap: 0.6, dp: 0.05, eo: 0.05 + 0.01 * seed }),
    fakeEntry({ seed, dataset: 'adult', sensitive: ['sex'], protocol: 'ffb', training: {} }, { accuracy: 0.853 + 0.002 * seed, ap: 0.78, dp: 0.17, eo: 0.15, groups: { Female: [0.08, 0.55, 0.02], Male: [0.25, 0.62, 0.08] } }),
  ]);
  writeFileSync(join(folder, JOURNAL_FILE), entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
}

/** Writes a made-up `fairkit train --out` folder: metrics.json with 5 epochs of history and a contribution.json. */
export function writeFakeRunFolder(folder: string): void {
  mkdirSync(folder, { recursive: true });
  const group = (key: string, rates: [number, number, number]) => ({ key, values: { sex: key }, count: 500, selectionRate: rates[0], tpr: rates[1], fpr: rates[2] });
  const metrics = {
    dataset: 'adult', sensitive: ['sex'], method: 'gcm', params: { lambda: 3e-6, T: 2 }, seed: 0, epochs: 5, trainSeconds: 3.2, secondsPerEpoch: 0.64,
    test: { overall: { count: 1000, accuracy: 0.85, ap: 0.78 }, fairness: { equalizedOddsSum: 0.1, equalOpportunityRatio: null }, groups: [group('Female', [0.08, 0.55, 0.02]), group('Male', [0.25, 0.62, 0.08])] },
    history: [1, 2, 3, 4, 5].map((epoch) => ({ epoch, epochs: 5, loss: 0.5 - 0.02 * epoch, seconds: 0.6, validation: { accuracy: 0.8 + 0.01 * epoch, equalizedOddsSum: 0.2 - 0.01 * epoch } })),
  };
  const records = Array.from({ length: 20 }, (_, step) =>
    ([0, 1] as const).map((y) => ({ step, epoch: 1 + (step >> 2), y, group: 0, reference: 1, sizes: [70, 400], overall: 2, perLayer: { dense0: 2, dense1: 1 }, median: 0.2 + 0.01 * step + 0.3 * y, perLayerMedian: { dense0: 0.2, dense1: 0.3 + 0.01 * step } })),
  ).flat();
  writeFileSync(join(folder, RUN_METRICS_FILE), JSON.stringify(metrics));
  writeFileSync(join(folder, RUN_CONTRIBUTION_FILE), JSON.stringify({ groups: ['Female', 'Male'], reference: 1, records }));
}

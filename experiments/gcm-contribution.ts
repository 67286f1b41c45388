/**
 * The GCM paper's Sec. 3.1 on Adult: group contribution disparity (Eq. 8/9) over training for standard training
 * and oversampling (Fig. 2), the average subgroup sizes per batch (Table 1) and the final test −ΔEO, plus GCM for
 * comparison. Writes every record (per step, label and run) to a JSON file for plotting and prints per-epoch means.
 *
 * Run: node --import tsx experiments/gcm-contribution.ts [--seeds 0,1,2,3,4] [--out contribution.json]
 *        [run ...]   (default runs: erm oversample gcm:T=2; same run syntax as gcm-sweep.ts)
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { prepareDataset } from '../src/data/prepare.js';
import { ContributionTracker, type ContributionRecord } from '../src/methods/contribution.js';
import { eor } from '../src/methods/eor.js';
import { erm } from '../src/methods/erm.js';
import { gcm } from '../src/methods/gcm.js';
import type { Method } from '../src/train/method.js';
import { oversample } from '../src/methods/oversample.js';
import { evaluate } from '../src/metrics/compute.js';
import { initBackend } from '../src/nn/backend.js';
import { fit } from '../src/train/fit.js';
import { loadSweepDataset } from './gcm-sweep.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../src/nn/predict.js';

const METHODS: Method<any>[] = [erm, oversample, eor, gcm]; // eslint-disable-line @typescript-eslint/no-explicit-any

function parseRun(text: string) {
  const [name, rest] = text.split(':');
  const method = METHODS.find((m) => m.name === name);
  if (!method) throw new Error(`unknown method ${name}`);
  const params = Object.fromEntries((rest ? rest.split(',') : []).map((pair) => [pair.split('=')[0], Number(pair.split('=')[1])]));
  return { run: text, method, params };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export async function contributionOverTraining(argv: string[]): Promise<void> {
  let seeds = [0, 1, 2, 3, 4];
  let out = '';
  const runs: ReturnType<typeof parseRun>[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seeds') seeds = argv[++i].split(',').map(Number);
    else if (argv[i] === '--out') out = argv[++i];
    else runs.push(parseRun(argv[i]));
  }
  if (runs.length === 0) runs.push(...['erm', 'oversample', 'gcm:T=2'].map(parseRun));
  const backend = await initBackend();
  const dataset = await loadSweepDataset('adult');
  console.log(`adult, ${backend}, seeds ${seeds.join(',')}, 20 epochs; disparity = |g(Female, y)| / |g(Male, y)| per weight, summed-BCE cell gradients`);
  let groupKeys: string[] = [];
  const all: { run: string; seed: number; equalizedOddsSum: number; records: ContributionRecord[] }[] = [];
  for (const seed of seeds) {
    const { train, test } = prepareDataset(dataset, { seed });
    groupKeys = train.groups.keys;
    for (const { run, method, params } of runs) {
      const tracker = new ContributionTracker({ groups: train.groups });
      const fitted = fit({ method, params, train, callbacks: [tracker], options: { hidden: [200], batchSize: 2000, learningRate: 1e-3, epochs: 20, seed, progress: 'silent' } });
      const scores = predictProba(fitted.model, { X: test.X, nRows: test.nRows }, { batchSize: DEFAULT_PREDICT_BATCH });
      fitted.model.dispose();
      const report = evaluate({ yTrue: test.y, scores, groupIds: test.groups.ids, groups: test.groups });
      all.push({ run, seed, equalizedOddsSum: report.fairness.equalizedOddsSum!, records: tracker.records });
      console.log(`seed ${seed} ${run}: test −ΔEO ${(-report.fairness.equalizedOddsSum!).toFixed(3)}, AP ${report.overall.ap!.toFixed(3)}`);
    }
  }
  if (out) writeFileSync(out, `${JSON.stringify({ groups: groupKeys, runs: all })}\n`);

  for (const { run } of runs) {
    const mine = all.filter((r) => r.run === run);
    const records = mine.flatMap((r) => r.records);
    const of = (y: 0 | 1) => records.filter((r) => r.y === y);
    const sizes = [0, 1].map((y) => [0, 1].map((k) => mean(of(y as 0 | 1).map((r) => r.sizes[k])).toFixed(0)).join('/'));
    console.log(`\n${run}: test −ΔEO ${mean(mine.map((r) => -r.equalizedOddsSum)).toFixed(3)}; mean cell sizes per batch (Female/Male) y=0 ${sizes[0]}, y=1 ${sizes[1]}`);
    console.log('epoch | median y=0 | median y=1 | Eq. 8 mean y=0 | Eq. 8 mean y=1 | dense0 median y=1 | dense1 median y=1');
    for (let epoch = 1; epoch <= 20; epoch += epoch < 4 ? 1 : 4) {
      const at = (y: 0 | 1) => of(y).filter((r) => r.epoch === epoch);
      console.log(`${epoch} | ${mean(at(0).map((r) => r.median)).toFixed(3)} | ${mean(at(1).map((r) => r.median)).toFixed(3)} | ${mean(at(0).map((r) => r.overall)).toPrecision(3)} | ${mean(at(1).map((r) => r.overall)).toPrecision(3)} | ${mean(at(1).map((r) => r.perLayerMedian.dense0)).toFixed(3)} | ${mean(at(1).map((r) => r.perLayerMedian.dense1)).toFixed(3)}`);
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await contributionOverTraining(process.argv.slice(2));
}

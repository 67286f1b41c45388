/**
 * The GCM comparison (docs/methods/gcm.md): trains each run on each seed (split seed = training seed) and appends
 * one JSON line of test metrics per (run, seed) to the output file; runs already in the file are skipped, so an
 * interrupted sweep resumes. `gcm-summary.ts` turns the file into tables.
 *
 * Data: Adult with sex (as loaded by fairkit: sex is also an input), or COMPAS restricted to African-American and
 * Caucasian defendants with race as the sensitive attribute (the paper's binary COMPAS setting). Split 60/20/20
 * stratified by (label, group); MLP 200 ReLU, Adam 1e-3, batch 2000; metrics on the test split at threshold 0.5.
 *
 * Run: node --import tsx experiments/gcm-sweep.ts --dataset adult|compas --seeds 0,1,2,3,4 --out FILE.jsonl
 *        [--epochs 20] run ...      where a run is `method` or `method:key=value,key=value`
 *        (methods: erm, oversample, eor, gcm, iga, grad-align)
 * Example: node --import tsx experiments/gcm-sweep.ts --dataset adult --seeds 0,1 --out /tmp/a.jsonl erm gcm:T=2,lambda=1e-5
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolveDataDir } from '../src/data/data-dir.js';
import { loadDataset } from '../src/data/loaders/index.js';
import { prepareDataset } from '../src/data/prepare.js';
import { getColumn, selectRows } from '../src/data/table.js';
import type { LoadedDataset } from '../src/data/types.js';
import { eor } from '../src/methods/eor.js';
import { erm } from '../src/methods/erm.js';
import { gcm } from '../src/methods/gcm.js';
import { gradAlign } from '../src/methods/grad-align.js';
import { iga } from '../src/methods/iga.js';
import type { Method } from '../src/train/method.js';
import { oversample } from '../src/methods/oversample.js';
import { evaluate } from '../src/metrics/compute.js';
import { initBackend } from '../src/nn/backend.js';
import { fit } from '../src/train/fit.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../src/nn/predict.js';

const METHODS: Method<any>[] = [erm, oversample, eor, gcm, iga, gradAlign]; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface SweepLine {
  dataset: string;
  run: string;
  method: string;
  params: Record<string, unknown>;
  seed: number;
  epochs: number;
  ap: number;
  accuracy: number;
  /** Share of test rows predicted positive (0 flags a constant predictor, whose ΔEO sum is trivially 0). */
  selectionRate: number;
  equalizedOddsSum: number;
  equalOpportunityRatio: number | null;
  demographicParityDifference: number;
  secondsPerEpoch: number;
}

function parseRun(text: string): { run: string; method: Method<any>; params: Record<string, unknown> } { // eslint-disable-line @typescript-eslint/no-explicit-any
  const [name, rest] = text.split(':');
  const method = METHODS.find((m) => m.name === name);
  if (!method) throw new Error(`unknown method ${name}`);
  const params = Object.fromEntries((rest ? rest.split(',') : []).map((pair) => {
    const [key, value] = pair.split('=');
    return [key, value === 'true' || value === 'false' ? value === 'true' : Number.isNaN(Number(value)) ? value : Number(value)];
  }));
  return { run: text, method, params };
}

/** COMPAS with only African-American and Caucasian defendants (privileged Caucasian), as binary-race papers use. */
export async function loadSweepDataset(name: string): Promise<LoadedDataset> {
  const dataset = await loadDataset(name, resolveDataDir());
  if (name !== 'compas') return dataset;
  const race = getColumn(dataset.table, 'race');
  const rows = [...Array(dataset.table.nRows).keys()].filter((row) => race.kind === 'categorical' && (race.values[row] === 'African-American' || race.values[row] === 'Caucasian'));
  return { ...dataset, table: selectRows(dataset.table, rows) };
}

export async function sweep(argv: string[]): Promise<void> {
  let datasetName = 'adult';
  let seeds = [0, 1, 2, 3, 4];
  let epochs = 20;
  let out = '';
  const runs: ReturnType<typeof parseRun>[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dataset') datasetName = argv[++i];
    else if (argv[i] === '--seeds') seeds = argv[++i].split(',').map(Number);
    else if (argv[i] === '--epochs') epochs = Number(argv[++i]);
    else if (argv[i] === '--out') out = argv[++i];
    else runs.push(parseRun(argv[i]));
  }
  if (out === '') throw new Error('--out FILE.jsonl is required');
  const done = new Set(existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean).map((line) => {
    const parsed = JSON.parse(line) as SweepLine;
    return `${parsed.dataset} ${parsed.epochs} ${parsed.run} ${parsed.seed}`;
  }) : []);
  const backend = await initBackend();
  const dataset = await loadSweepDataset(datasetName);
  console.log(`${datasetName} (${dataset.table.nRows} rows), ${backend}, seeds ${seeds.join(',')}, ${epochs} epochs → ${out}`);
  for (const seed of seeds) {
    const { train, test } = prepareDataset(dataset, { seed });
    for (const { run, method, params } of runs) {
      if (done.has(`${datasetName} ${epochs} ${run} ${seed}`)) continue;
      const fitted = fit({ method, params, train, options: { hidden: [200], batchSize: 2000, learningRate: 1e-3, epochs, seed, progress: 'silent' } });
      const scores = predictProba(fitted.model, { X: test.X, nRows: test.nRows }, { batchSize: DEFAULT_PREDICT_BATCH });
      fitted.model.dispose();
      const report = evaluate({ yTrue: test.y, scores, groupIds: test.groups.ids, groups: test.groups });
      const line: SweepLine = {
        dataset: datasetName,
        run,
        method: method.name,
        params,
        seed,
        epochs,
        ap: report.overall.ap!,
        accuracy: report.overall.accuracy!,
        selectionRate: report.overall.selectionRate!,
        equalizedOddsSum: report.fairness.equalizedOddsSum!,
        equalOpportunityRatio: report.fairness.equalOpportunityRatio ?? null,
        demographicParityDifference: report.fairness.demographicParityDifference!,
        secondsPerEpoch: fitted.secondsPerEpoch,
      };
      appendFileSync(out, `${JSON.stringify(line)}\n`);
      console.log(`seed ${seed} ${run}: AP ${line.ap.toFixed(4)}, ΔEO sum ${line.equalizedOddsSum.toFixed(4)}, EOP ${line.equalOpportunityRatio?.toFixed(4)}, accuracy ${line.accuracy.toFixed(4)}, selected ${line.selectionRate.toFixed(3)}, ${line.secondsPerEpoch.toFixed(2)} s/epoch`);
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await sweep(process.argv.slice(2));
}

/**
 * The baseline methods on a standard data set (default Adult): for each seed (split and training seed alike) and each run,
 * fit on the train split (GCM protocol: MLP 200, Adam 1e-3, batch 2000, 20 epochs) and print test ΔEO sum,
 * ΔDP, AP and accuracy, then the mean ± sd over seeds.
 *
 * Run: node --import tsx experiments/baselines.ts [--dataset adult|compas|german|bank] [--seeds 0,1,2]
 *        [--epochs 20] [--no-sensitive-input] [run ...]
 *        where a run is `method` or `method:key=value,key=value` (default: erm eor adversarial).
 * Example: node --import tsx experiments/baselines.ts --seeds 0,1,2 erm eor eor:lambda=0.8
 */
import { pathToFileURL } from 'node:url';
import { resolveDataDir } from '../src/data/data-dir.js';
import { loadDataset } from '../src/data/loaders/index.js';
import { prepareDataset } from '../src/data/prepare.js';
import { getMethod } from '../src/methods/registry.js';
import { evaluate } from '../src/metrics/compute.js';
import { initBackend } from '../src/nn/backend.js';
import { fit } from '../src/train/fit.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../src/nn/predict.js';
import { parseRun, type Run } from './run-spec.js';

interface Outcome {
  equalizedOddsSum: number;
  demographicParity: number;
  ap: number;
  accuracy: number;
  secondsPerEpoch: number;
}

function parseArgs(argv: string[]): { dataset: string; seeds: number[]; epochs: number; sensitiveInput: boolean; runs: Run[] } {
  let dataset = 'adult';
  let seeds = [0, 1, 2];
  let epochs = 20;
  let sensitiveInput = true;
  const runs: Run[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dataset') dataset = argv[++i];
    else if (argv[i] === '--seeds') seeds = argv[++i].split(',').map(Number);
    else if (argv[i] === '--epochs') epochs = Number(argv[++i]);
    else if (argv[i] === '--no-sensitive-input') sensitiveInput = false;
    else runs.push(parseRun(argv[i]));
  }
  return { dataset, seeds, epochs, sensitiveInput, runs: runs.length > 0 ? runs : ['erm', 'eor', 'adversarial'].map(parseRun) };
}

const summary = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return `${mean.toFixed(4)} ± ${sd.toFixed(4)}`;
};

export async function benchmarkBaselines(argv: string[]): Promise<void> {
  const { dataset: name, seeds, epochs, sensitiveInput, runs } = parseArgs(argv);
  const backend = await initBackend();
  const dataset = await loadDataset(name, resolveDataDir());
  if (!sensitiveInput) dataset.spec = { ...dataset.spec, sensitiveAsFeature: false };
  console.log(`${name}, ${backend}, seeds ${seeds.join(',')}, ${epochs} epochs, ${dataset.spec.sensitive.join(',')} ${sensitiveInput ? 'is' : 'is not'} an input`);
  const results = new Map<string, Outcome[]>(runs.map((run) => [run.label, []]));
  for (const seed of seeds) {
    const { train, test } = prepareDataset(dataset, { seed });
    for (const run of runs) {
      const fitted = fit({ method: getMethod(run.method), params: run.params, train, options: { hidden: [200], batchSize: 2000, learningRate: 1e-3, epochs, seed, progress: 'silent' } });
      const scores = predictProba(fitted.model, { X: test.X, nRows: test.nRows }, { batchSize: DEFAULT_PREDICT_BATCH });
      fitted.model.dispose();
      const report = evaluate({ yTrue: test.y, scores, groupIds: test.groups.ids, groups: test.groups });
      const outcome = {
        equalizedOddsSum: report.fairness.equalizedOddsSum!,
        demographicParity: report.fairness.demographicParityDifference!,
        ap: report.overall.ap!,
        accuracy: report.overall.accuracy!,
        secondsPerEpoch: fitted.secondsPerEpoch,
      };
      results.get(run.label)!.push(outcome);
      console.log(`seed ${seed} ${run.label}: ΔEO sum ${outcome.equalizedOddsSum.toFixed(4)}, ΔDP ${outcome.demographicParity.toFixed(4)}, AP ${outcome.ap.toFixed(4)}, accuracy ${outcome.accuracy.toFixed(4)}, ${outcome.secondsPerEpoch.toFixed(2)} s/epoch`);
    }
  }
  console.log(`\nmean ± sd over seeds ${seeds.join(',')}:`);
  for (const [label, outcomes] of results) {
    const column = (key: keyof Outcome) => summary(outcomes.map((o) => o[key]));
    console.log(`${label}: ΔEO sum ${column('equalizedOddsSum')}, ΔDP ${column('demographicParity')}, AP ${column('ap')}, accuracy ${column('accuracy')}, ${column('secondsPerEpoch')} s/epoch`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkBaselines(process.argv.slice(2));
}

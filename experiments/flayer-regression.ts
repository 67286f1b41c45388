/**
 * The F-Layer paper's synthetic regression study, reduced (methods.md §3 (v), "Synthetic study"): data sets of the
 * paper's 32-set grid (fewer rows and features), a small MLP instead of the ≈3M-parameter network, and the paper's
 * (train batch, inference batch) pairs (2000, whole test split), (2000, 16) and (256, 16), with b_τ = 1000: a
 * batch of at least 1000 rows is projected exactly, smaller ones go through the primal–dual stream (η0 = 0.5,
 * η0/√max(1, count)), both with the data set's box. The constraint is ECP on the predictions (ε = 0.05 on the gap
 * between the groups' mean predictions), as in the paper's study; EER is not used there (it needs test labels).
 *
 * For each data set, seed (split and training seed alike) and train batch size, it fits erm, flayer, projection
 * and strict-penalty (λ 1000, abs) and prints test MSE and the pooled gap of mean predictions (standardised target
 * units), then mean ± sd over seeds per data set. erm and strict-penalty predict row by row (no inference batch).
 *
 * Run: node --import tsx experiments/flayer-regression.ts [--datasets 0,3] [--seeds 0,1,2] [--rows 4000] [--features 40] [--epochs 20]
 */
import { pathToFileURL } from 'node:url';
import { prepareDataset } from '../src/data/prepare.js';
import { F_LAYER_REGRESSION_GRID, fLayerRegressionDataset } from '../src/data/synthetic-regression.js';
import type { EncodedDataset } from '../src/data/types.js';
import { largestGap } from '../src/flayer/fair-inference.js';
import { fairPredict } from '../src/flayer/fair-predict.js';
import { getMethod } from '../src/methods/registry.js';
import { initBackend } from '../src/nn/backend.js';
import type { Model } from '../src/nn/model.js';
import { predictHead } from '../src/nn/predict.js';
import { fit } from '../src/train/fit.js';

const EPSILON = 0.05;
const THRESHOLD = 1000;
const SETTINGS = [
  { train: 2000, inference: 'whole' as const },
  { train: 2000, inference: 16 },
  { train: 256, inference: 16 },
];

interface Args {
  datasets: number[];
  seeds: number[];
  rows: number;
  features: number;
  epochs: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { datasets: [0, 3], seeds: [0, 1, 2], rows: 4000, features: 40, epochs: 20 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (argv[i] === '--datasets') args.datasets = value.split(',').map(Number);
    else if (argv[i] === '--seeds') args.seeds = value.split(',').map(Number);
    else if (argv[i] === '--rows') args.rows = Number(value);
    else if (argv[i] === '--features') args.features = Number(value);
    else if (argv[i] === '--epochs') args.epochs = Number(value);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return args;
}

function mse(predictions: ArrayLike<number>, targets: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < targets.length; i++) s += (predictions[i] - targets[i]) ** 2;
  return s / targets.length;
}

function scoreOf(model: Model, test: EncodedDataset, inference: number | 'whole' | 'rows'): { mse: number; gap: number } {
  const rows = { X: test.X, nRows: test.nRows, groups: test.groups.ids };
  const outputs =
    inference === 'rows'
      ? predictHead(model, rows, { batchSize: 4096, head: 'logits' })
      : fairPredict(model, rows, { batchSize: inference === 'whole' ? test.nRows : inference, threshold: inference === 'whole' ? Math.min(THRESHOLD, test.nRows) : THRESHOLD }).outputs;
  return { mse: mse(outputs, test.targets!), gap: largestGap(outputs, test.groups.ids, test.groups.keys.length) };
}

const meanSd = (values: number[]) => {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return `${mean.toFixed(4)} ± ${sd.toFixed(4)}`;
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  await initBackend('wasm');
  for (const index of args.datasets) {
    const entry = F_LAYER_REGRESSION_GRID[index];
    const box = `${entry.options.box[0]}:${entry.options.box[1]}`;
    const results = new Map<string, { mse: number[]; gap: number[] }>();
    const record = (label: string, score: { mse: number; gap: number }) => {
      const slot = results.get(label) ?? { mse: [], gap: [] };
      slot.mse.push(score.mse);
      slot.gap.push(score.gap);
      results.set(label, slot);
    };
    for (const seed of args.seeds) {
      const data = prepareDataset(fLayerRegressionDataset(index, { rows: args.rows, features: args.features }), { seed });
      for (const trainBatch of [...new Set(SETTINGS.map((s) => s.train))]) {
        const options = { epochs: args.epochs, batchSize: trainBatch, learningRate: 1e-3, hidden: [64, 32], progress: 'silent' as const, seed };
        const runs = [
          ['erm', {}],
          ['flayer', { epsilon: EPSILON, box }],
          ['projection', { epsilon: EPSILON, box }],
          ['strict-penalty', {}],
        ] as const;
        for (const [name, params] of runs) {
          const { model } = fit({ method: getMethod(name), params: params as Record<string, unknown>, train: data.train, options });
          const inferences = name === 'erm' || name === 'strict-penalty' ? (['rows'] as const) : SETTINGS.filter((s) => s.train === trainBatch).map((s) => s.inference);
          for (const inference of inferences) {
            const label = `${name} b_train ${trainBatch}${inference === 'rows' ? '' : ` b_inf ${inference}`}`;
            const score = scoreOf(model, data.test, inference);
            record(label, score);
            console.log(`${entry.name} seed ${seed} (${data.train.nRows}/${data.test.nRows} train/test rows) ${label}: mse ${score.mse.toFixed(4)} gap ${score.gap.toFixed(4)}`);
          }
          model.dispose();
        }
      }
    }
    console.log(`\n${entry.name} (box ${box}), mean ± sd over seeds ${args.seeds.join(', ')}:\n| run | test MSE | gap of mean predictions |\n|---|---|---|`);
    for (const [label, { mse: m, gap }] of results) console.log(`| ${label} | ${meanSd(m)} | ${meanSd(gap)} |`);
    console.log('');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();

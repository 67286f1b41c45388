/**
 * The F-Layer paper's synthetic regression study, reduced (methods.md §3 (v), "Synthetic study"): data sets of the
 * paper's 32-set grid (fewer rows and features), a small MLP instead of the ≈3M-parameter network, and the paper's
 * (train batch, inference batch) pairs (2000, 2000), (2000, 16) and (256, 16), with b_τ = 1000: a batch of at least
 * 1000 rows is projected exactly, smaller ones go through the primal–dual stream (η0 = 0.5, η0/√max(1, count)), both
 * with the data set's box. An inference batch of 2000 is the whole test split when that has fewer rows. The
 * constraint is ECP on the predictions (ε = 0.05 on the gap between the groups' mean predictions), as in the paper's
 * study; EER is not used there (it needs test labels).
 *
 * For each data set, seed (split and training seed alike) and train batch size it fits erm, flayer and
 * strict-penalty (λ 1000, abs); projection is erm's network (equal weights, tested in src/methods/flayer.test.ts)
 * with the projection at inference. Each row of --out holds one (data set, seed, method, train batch, inference
 * batch): test MSE, the MSE of the constant predictor (the training mean), the pooled gap of mean predictions and the
 * batch-weighted gap Σ n_t·g_t / N (for erm and strict-penalty, which predict row by row, measured on their outputs
 * cut into the same batches: unadjustedBatchGap). Standardised target units throughout.
 *
 * Run: node --import tsx experiments/flayer-regression.ts [--datasets 0,3,12,15,21,22,25,26] [--seeds 0,1,2,3,4]
 *        [--rows 4000] [--features 40] [--epochs 30] [--out rows.jsonl]
 *      node --import tsx experiments/flayer-regression.ts --from rows.jsonl[,more.jsonl]   (the tables, no training)
 */
import { appendFileSync, readFileSync } from 'node:fs';
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
import { fit, parseMethodParams } from '../src/train/fit.js';
import { unadjustedBatchGap } from './flayer-adult.js';

const EPSILON = 0.05;
const THRESHOLD = 1000;
/** Strict penalty "collapses" when its test MSE is at least this share of the constant predictor's. */
const COLLAPSE_SHARE = 0.9;
const SETTINGS = [
  { train: 2000, inference: 2000 },
  { train: 2000, inference: 16 },
  { train: 256, inference: 16 },
];
const METHODS = ['erm', 'flayer', 'projection', 'strict-penalty'] as const;
type MethodName = (typeof METHODS)[number];

/**
 * A 2^(5−2) fractional factorial of the grid (an orthogonal array of strength 2): group split, predictive power and
 * box fully crossed, noise = −(split × power) and shape = −(split × box) in ±1 coding, so every factor is at each
 * level in 4 sets and every pair of factors in each of its 4 level combinations in 2. It contains data sets 0 and 3,
 * the earlier reduced study's.
 */
export const DEFAULT_DATASETS = [0, 3, 12, 15, 21, 22, 25, 26];

interface Outcome {
  dataset: number;
  seed: number;
  method: MethodName;
  train: number;
  inference: number;
  testRows: number;
  mse: number;
  constantMse: number;
  pooledGap: number;
  weightedGap: number;
}

interface Args { datasets: number[]; seeds: number[]; rows: number; features: number; epochs: number; out?: string; from?: string[] }

function parseArgs(argv: string[]): Args {
  const args: Args = { datasets: DEFAULT_DATASETS, seeds: [0, 1, 2, 3, 4], rows: 4000, features: 40, epochs: 30 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (argv[i] === '--datasets') args.datasets = value.split(',').map(Number);
    else if (argv[i] === '--seeds') args.seeds = value.split(',').map(Number);
    else if (argv[i] === '--rows') args.rows = Number(value);
    else if (argv[i] === '--features') args.features = Number(value);
    else if (argv[i] === '--epochs') args.epochs = Number(value);
    else if (argv[i] === '--out') args.out = value;
    else if (argv[i] === '--from') args.from = value.split(',');
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  for (const index of args.datasets) if (!F_LAYER_REGRESSION_GRID[index]) throw new Error(`--datasets: no data set ${index} (0–31)`);
  return args;
}

function mse(predictions: ArrayLike<number>, targets: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < targets.length; i++) s += (predictions[i] - targets[i]) ** 2;
  return s / targets.length;
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const sd = (values: number[]) => Math.sqrt(values.reduce((s, v) => s + (v - mean(values)) ** 2, 0) / Math.max(1, values.length - 1));
const meanSd = (values: number[]) => `${mean(values).toFixed(4)} ± ${sd(values).toFixed(4)}`;

/** Test MSE and gaps of one model at every inference batch of its train batch. */
function scoresOf(model: Model, method: MethodName, test: EncodedDataset, inferences: number[]): { inference: number; mse: number; pooledGap: number; weightedGap: number }[] {
  const rows = { X: test.X, nRows: test.nRows, groups: test.groups.ids };
  const nGroups = test.groups.keys.length;
  if (method === 'erm' || method === 'strict-penalty') {
    const outputs = predictHead(model, rows, { batchSize: 4096, head: 'logits' });
    const pooledGap = largestGap(outputs, test.groups.ids, nGroups);
    return inferences.map((inference) => ({ inference, mse: mse(outputs, test.targets!), pooledGap, weightedGap: unadjustedBatchGap(outputs, test.groups.ids, nGroups, inference, THRESHOLD) }));
  }
  return inferences.map((inference) => {
    const batchSize = Math.min(inference, test.nRows);
    const result = fairPredict(model, rows, { batchSize, threshold: batchSize === test.nRows ? Math.min(THRESHOLD, batchSize) : THRESHOLD });
    return { inference, mse: mse(result.outputs, test.targets!), pooledGap: result.pooledGap, weightedGap: result.weightedAverageGap };
  });
}

async function runStudy(args: Args): Promise<Outcome[]> {
  await initBackend('wasm');
  const outcomes: Outcome[] = [];
  for (const dataset of args.datasets) {
    const entry = F_LAYER_REGRESSION_GRID[dataset];
    const box = `${entry.options.box[0]}:${entry.options.box[1]}`;
    for (const seed of args.seeds) {
      const started = Date.now();
      const { train, test } = prepareDataset(fLayerRegressionDataset(dataset, { rows: args.rows, features: args.features }), { seed });
      const trainMean = mean([...train.targets!]);
      const constantMse = mse(new Float64Array(test.nRows).fill(trainMean), test.targets!);
      for (const trainBatch of [...new Set(SETTINGS.map((s) => s.train))]) {
        const inferences = SETTINGS.filter((s) => s.train === trainBatch).map((s) => s.inference);
        const options = { epochs: args.epochs, batchSize: trainBatch, learningRate: 1e-3, hidden: [64, 32], progress: 'silent' as const, seed };
        const erm = fit({ method: getMethod('erm'), params: {}, train, options }).model;
        const projectionMethod = getMethod('projection');
        const models: [MethodName, Model][] = [
          ['erm', erm],
          ['flayer', fit({ method: getMethod('flayer'), params: { epsilon: EPSILON, box }, train, options }).model],
          ['projection', projectionMethod.model!(erm, parseMethodParams(projectionMethod, { epsilon: EPSILON, box }), train)],
          ['strict-penalty', fit({ method: getMethod('strict-penalty'), params: {}, train, options }).model],
        ];
        for (const [method, model] of models) {
          for (const score of scoresOf(model, method, test, inferences)) {
            const outcome: Outcome = { dataset, seed, method, train: trainBatch, testRows: test.nRows, constantMse, ...score };
            outcomes.push(outcome);
            if (args.out) appendFileSync(args.out, `${JSON.stringify(outcome)}\n`);
          }
        }
        // projection wraps erm's network, so disposing it disposes erm's.
        for (const [method, model] of models) if (method !== 'erm') model.dispose();
      }
      process.stderr.write(`${entry.name} seed ${seed}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
  }
  return outcomes;
}

const settingLabel = (s: { train: number; inference: number }) => `${s.train} / ${s.inference}`;

/** The tables and counts of docs/methods/flayer.md, "The paper's synthetic regression study". */
export function tables(outcomes: Outcome[]): string {
  const datasets = [...new Set(outcomes.map((o) => o.dataset))];
  const seeds = [...new Set(outcomes.map((o) => o.seed))].sort((a, b) => a - b);
  const cell = (dataset: number, setting: { train: number; inference: number }, method: MethodName) =>
    outcomes.filter((o) => o.dataset === dataset && o.method === method && o.train === setting.train && o.inference === setting.inference).sort((a, b) => a.seed - b.seed);
  const name = (dataset: number) => {
    const e = F_LAYER_REGRESSION_GRID[dataset];
    return `${dataset} (${e.groupSplit}, ${e.predictivePower}, ${e.noiseLevel}, ${e.constraint}, ${e.shape})`;
  };
  const out = [
    `Seeds ${seeds.join(',')}; test rows ${[...new Set(outcomes.map((o) => o.testRows))].join('/')}. Test MSE (standardised target), mean ± sd over seeds; constant = the training mean's MSE.`,
    '',
    '| data set | b_train / b_inf | erm | flayer | projection | strict-penalty | constant |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const dataset of datasets) {
    for (const setting of SETTINGS) {
      const mses = METHODS.map((method) => meanSd(cell(dataset, setting, method).map((o) => o.mse)));
      out.push(`| ${name(dataset)} | ${settingLabel(setting)} | ${mses.join(' | ')} | ${meanSd(cell(dataset, setting, 'erm').map((o) => o.constantMse))} |`);
    }
  }
  out.push('', 'Gaps of mean predictions, pooled over the test split / batch-weighted (Σ n_t·g_t / N), means over seeds (sd of the pooled gap in brackets):', '');
  out.push('| data set | b_train / b_inf | erm | flayer | projection | strict-penalty |', '|---|---|---|---|---|---|');
  for (const dataset of datasets) {
    for (const setting of SETTINGS) {
      const gaps = METHODS.map((method) => {
        const c = cell(dataset, setting, method);
        return `${mean(c.map((o) => o.pooledGap)).toFixed(4)} (${sd(c.map((o) => o.pooledGap)).toFixed(4)}) / ${mean(c.map((o) => o.weightedGap)).toFixed(4)}`;
      });
      out.push(`| ${dataset} | ${settingLabel(setting)} | ${gaps.join(' | ')} |`);
    }
  }
  // Counts over (data set, setting) cells on the seed means, and over (cell, seed) pairs.
  const cells = datasets.flatMap((dataset) => SETTINGS.map((setting) => ({ dataset, setting })));
  const flayerAtLeast = cells.filter(({ dataset, setting }) => mean(cell(dataset, setting, 'flayer').map((o) => o.mse)) <= mean(cell(dataset, setting, 'projection').map((o) => o.mse)));
  const pairs = cells.flatMap(({ dataset, setting }) => cell(dataset, setting, 'flayer').map((f, i) => ({ flayer: f, projection: cell(dataset, setting, 'projection')[i] })));
  const differences = pairs.map((p) => p.projection.mse - p.flayer.mse);
  const within = (method: MethodName, key: 'pooledGap' | 'weightedGap') => outcomes.filter((o) => o.method === method && o[key] <= EPSILON + 1e-6).length;
  const runs = (method: MethodName) => outcomes.filter((o) => o.method === method).length;
  const strictCells = datasets.flatMap((dataset) => [...new Set(SETTINGS.map((s) => s.train))].map((train) => cell(dataset, SETTINGS.find((s) => s.train === train)!, 'strict-penalty')));
  const collapsed = strictCells.filter((c) => mean(c.map((o) => o.mse)) >= COLLAPSE_SHARE * mean(c.map((o) => o.constantMse)));
  const ratio = strictCells.flatMap((c) => c.map((o) => o.mse / o.constantMse));
  out.push(
    '',
    `- flayer MSE ≤ projection MSE (seed means): ${flayerAtLeast.length} of ${cells.length} (data set, b_train / b_inf) settings; per seed ${differences.filter((d) => d >= 0).length} of ${pairs.length}; projection − flayer MSE ${meanSd(differences)} (over all pairs).`,
    `- strict-penalty collapsed (mean MSE ≥ ${COLLAPSE_SHARE} × constant MSE): ${collapsed.length} of ${strictCells.length} (data set, b_train) settings; its MSE / constant MSE ${meanSd(ratio)}, min ${Math.min(...ratio).toFixed(4)} (over ${ratio.length} runs).`,
    ...(['flayer', 'projection'] as const).map((method) => `- ${method} within ε = ${EPSILON} (+1e-6): pooled gap in ${within(method, 'pooledGap')} of ${runs(method)} runs, batch-weighted gap in ${within(method, 'weightedGap')}.`),
  );
  return out.join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const outcomes = args.from
    ? args.from.flatMap((file) => readFileSync(file, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as Outcome))
    : await runStudy(args);
  console.log(tables(outcomes));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();

/**
 * Steering an Adult MLP's representation (issue 13, methods.md §4): for each seed (split and training alike) train an
 * ERM MLP, take its last hidden layer on the train and test splits (predictLastHidden, what `fairkit predict
 * --embeddings` writes), steer it with each method (fitSteering on the train split; the train split steered with its
 * labels — for ideal also, as a second row, with the test-time map — and the test split with each group's test-time
 * map, its true group known), fit a new head on the steered train
 * embeddings — L2 logistic regression (C = 1, standardised inputs; the same Newton fit as the steering map's group
 * classifier) — and report the head's test accuracy, AP, ΔDP and ΔEO (equalised-odds difference: the larger of the
 * |ΔTPR| and |ΔFPR| between the two sexes). `raw` is a head on the unsteered embeddings, `mlp` the MLP's own output.
 *
 * Run: node --import tsx experiments/steer-adult.ts [--seeds 0,1,2] [--epochs 10] [--hidden 64]
 */
import { pathToFileURL } from 'node:url';
import { resolveDataDir } from '../src/data/data-dir.js';
import { loadDataset } from '../src/data/loaders/index.js';
import { prepareDataset } from '../src/data/prepare.js';
import type { EncodedDataset } from '../src/data/types.js';
import { getMethod } from '../src/methods/registry.js';
import type { MetricReport } from '../src/metrics/report-types.js';
import { initBackend } from '../src/nn/backend.js';
import { predictLastHidden } from '../src/nn/predict.js';
import { applySteering, fitGroupClassifier, fitSteering, groupProbabilities, type SteerMethod } from '../src/steer/index.js';
import { evaluateOn, outputsOn } from '../src/train/evaluation.js';
import { fit } from '../src/train/fit.js';

const METHODS: SteerMethod[] = ['ideal', 'ot', 'mean', 'leace'];
const METRICS = ['accuracy', 'ap', 'demographicParityDifference', 'equalizedOddsDifference'] as const;

function parseArgs(argv: string[]) {
  const args = { seeds: [0, 1, 2], epochs: 10, hidden: 64 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seeds') args.seeds = argv[++i].split(',').map(Number);
    else if (argv[i] === '--epochs') args.epochs = Number(argv[++i]);
    else if (argv[i] === '--hidden') args.hidden = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return args;
}

function metricsOf(split: EncodedDataset, scores: ArrayLike<number>): Record<string, number> {
  const report = evaluateOn(split, scores) as MetricReport;
  const values: Record<string, number | null | undefined> = { ...report.overall, ...report.fairness };
  return Object.fromEntries(METRICS.map((key) => [key, values[key] ?? Number.NaN]));
}

/** The logistic-regression head's test scores, fitted on the train embeddings. */
function headScores(train: Float64Array, trainLabels: Uint8Array, test: Float64Array, d: number): Float64Array {
  const head = fitGroupClassifier(train, d, trainLabels, ['0', '1'], { c: 1 });
  const n = test.length / d;
  return Float64Array.from({ length: n }, (_, i) => groupProbabilities(head, test.subarray(i * d, (i + 1) * d))[1]);
}

const summary = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return `${mean.toFixed(4)} ± ${sd.toFixed(4)}`;
};

export async function steerAdult(argv: string[]): Promise<void> {
  const { seeds, epochs, hidden } = parseArgs(argv);
  const backend = await initBackend();
  const dataset = await loadDataset('adult', resolveDataDir());
  console.log(`adult, ${backend}, seeds ${seeds.join(',')}, MLP [${hidden}], ${epochs} epochs, sensitive ${dataset.spec.sensitive.join(',')}`);
  const results = new Map<string, Record<string, number>[]>();
  const record = (label: string, seed: number, outcome: Record<string, number>) => {
    results.set(label, [...(results.get(label) ?? []), outcome]);
    console.log(`seed ${seed} ${label}: ${Object.entries(outcome).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}`);
  };
  for (const seed of seeds) {
    const { train, test } = prepareDataset(dataset, { seed });
    const fitted = fit({ method: getMethod('erm'), params: {}, train, options: { hidden: [hidden], batchSize: 2000, learningRate: 1e-3, epochs, seed, progress: 'silent' } });
    record('mlp', seed, metricsOf(test, outputsOn(fitted.model, test, test.nRows).scores));
    const [trainH, testH] = [train, test].map((split) => Float64Array.from(predictLastHidden(fitted.model, { X: split.X, nRows: split.nRows }, { batchSize: 8192 }).values));
    fitted.model.dispose();
    const d = trainH.length / train.nRows;
    record('raw', seed, metricsOf(test, headScores(trainH, train.y, testH, d)));
    const groupNames = train.groups.keys;
    if (test.groups.keys.join() !== groupNames.join()) throw new Error('the splits name their groups differently');
    const features = Array.from({ length: d }, (_, j) => `h${j}`);
    for (const method of METHODS) {
      const map = fitSteering({ rows: trainH, dim: d, groups: train.groups.ids, labels: train.y, features, groupNames, labelNames: ['0', '1'], sensitive: 'sex', label: 'income' }, { method });
      const steeredTest = Float64Array.from(testH);
      applySteering(map, steeredTest, Array.from(test.groups.ids, (g) => test.groups.keys[g]), null);
      // ideal: the train split steered with its labels (class-conditional maps) and, as a second row, with the same
      // per-group test-time map as the test split.
      for (const trainTestTime of method === 'ideal' ? [false, true] : [false]) {
        const steeredTrain = Float64Array.from(trainH);
        applySteering(map, steeredTrain, Array.from(train.groups.ids, (g) => groupNames[g]), Array.from(train.y, (y) => String(y)), { testTime: trainTestTime });
        record(trainTestTime ? `${method} (train: test-time map)` : method, seed, metricsOf(test, headScores(steeredTrain, train.y, steeredTest, d)));
      }
    }
  }
  console.log(`\n| representation | ${METRICS.join(' | ')} |\n| --- |${METRICS.map(() => ' --- |').join('')}`);
  for (const [label, outcomes] of results) console.log(`| ${label} | ${METRICS.map((key) => summary(outcomes.map((o) => o[key]))).join(' | ')} |`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await steerAdult(process.argv.slice(2));
}

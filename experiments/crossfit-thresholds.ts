/**
 * Issue 15's peer bar: does fitting the thresholds:eo post-processor on cross-fitted scores (train + validation,
 * 80% of the rows) instead of the validation split (20%) bring the test ΔEO sum down? Per seed, under the GCM
 * protocol's split (60/20/20 stratified on label and group, split seed = training seed) and training (MLP 200 ReLU,
 * Adam 1e-3, batch 2000, method erm):
 *
 * - `validation-fit`: one model on train, thresholds fitted on its validation scores (what `fairkit train` does);
 * - `crossfit-mean` / `crossfit-draw`: k models on the pooled train + validation rows (each on k−1 folds), thresholds
 *   fitted on every pooled row's out-of-fold score; test rows scored by the mean of the k models, resp. by one of
 *   them drawn per row (see src/postprocess/crossfit.ts).
 *
 * Each is reported with the sampled metrics (one seeded draw of the randomised classifier, as fairkit reports) and,
 * as separate columns, the expected accuracy and ΔEO sum (probability-weighted, src/postprocess/expected-rates.ts).
 * One JSON line per seed and configuration on stdout, then the mean ± sd over seeds.
 *
 * Run: node --import tsx experiments/crossfit-thresholds.ts [--dataset adult] [--sensitive sex] [--seeds 0,1,2,3,4]
 *        [--epochs 20] [--folds 5] [--hidden 200]
 */
import { pathToFileURL } from 'node:url';
import { getProtocol } from '../src/bench/protocols.js';
import { resolveDataDir } from '../src/data/data-dir.js';
import { loadDataset } from '../src/data/loaders/index.js';
import { prepareDataset } from '../src/data/prepare.js';
import type { EncodedDataset } from '../src/data/types.js';
import { getMethod } from '../src/methods/registry.js';
import { evaluate } from '../src/metrics/compute.js';
import { initBackend } from '../src/nn/backend.js';
import { concatSplits, crossFit, testScoresOf } from '../src/postprocess/crossfit.js';
import { expectedRates } from '../src/postprocess/expected-rates.js';
import { fitThresholds, predictWithThresholds } from '../src/postprocess/thresholds.js';
import { scoresOn } from '../src/train/evaluation.js';
import { fit } from '../src/train/fit.js';

interface Args { dataset: string; sensitive?: string[]; seeds: number[]; epochs: number; folds: number; hidden: number[] }

function parseArgs(argv: string[]): Args {
  const args: Args = { dataset: 'adult', seeds: [0, 1, 2, 3, 4], epochs: 20, folds: 5, hidden: [200] };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[++i];
    if (argv[i - 1] === '--dataset') args.dataset = value;
    else if (argv[i - 1] === '--sensitive') args.sensitive = value.split(',');
    else if (argv[i - 1] === '--seeds') args.seeds = value.split(',').map(Number);
    else if (argv[i - 1] === '--epochs') args.epochs = Number(value);
    else if (argv[i - 1] === '--folds') args.folds = Number(value);
    else if (argv[i - 1] === '--hidden') args.hidden = value.split(',').map(Number);
    else throw new Error(`unknown argument ${argv[i - 1]}`);
  }
  return args;
}

interface Outcome { accuracy: number; eo: number; expectedAccuracy: number; expectedEo: number; plainAccuracy: number }

/** Fits thresholds:eo on (fitScores, fitSplit) and reports it on the test split, sampled and expected. */
function thresholdsOutcome(fitSplit: EncodedDataset, fitScores: ArrayLike<number>, test: EncodedDataset, testScores: ArrayLike<number>, seed: number): Outcome {
  const state = fitThresholds({ scores: fitScores, labels: fitSplit.y, groupIds: fitSplit.groups.ids, keys: fitSplit.groups.keys }, { constraint: 'eo', randomised: true, seed });
  const { probabilities, predictions } = predictWithThresholds(state, testScores, Array.from(test.groups.ids, (id) => test.groups.keys[id]));
  const sampled = evaluate({ yTrue: test.y, yPred: predictions as number[], groupIds: test.groups.ids, groups: test.groups });
  const expected = expectedRates(probabilities as number[], test.y, test.groups.ids, test.groups.keys.length);
  const plain = Array.from(testScores).filter((s, i) => (s >= 0.5 ? 1 : 0) === test.y[i]).length / test.nRows;
  return { accuracy: 100 * sampled.overall.accuracy!, eo: 100 * (sampled.fairness.equalizedOddsSum as number), expectedAccuracy: 100 * expected.accuracy, expectedEo: 100 * expected.equalizedOddsSum!, plainAccuracy: 100 * plain };
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const backend = await initBackend();
  const protocol = getProtocol('gcm');
  const loaded = await loadDataset(args.dataset, resolveDataDir());
  if (args.sensitive) loaded.spec = { ...loaded.spec, sensitive: args.sensitive };
  const dataset = protocol.adaptDataset(loaded);
  console.error(`${args.dataset} (${dataset.spec.sensitive.join(',')}), ${backend}, seeds ${args.seeds.join(',')}, ${args.epochs} epochs, ${args.folds} folds, MLP ${args.hidden.join('-')}`);
  const results = new Map<string, Outcome[]>();
  const record = (config: string, seed: number, outcome: Outcome) => {
    results.set(config, [...(results.get(config) ?? []), outcome]);
    console.log(JSON.stringify({ config, seed, ...outcome }));
  };
  for (const seed of args.seeds) {
    const prepared = prepareDataset(dataset, { seed, split: (strata) => protocol.split(strata, { seed, fold: null }) });
    const { train, validation, test } = prepared;
    const options = { ...protocol.training(train.nRows), epochs: args.epochs, hidden: args.hidden, seed, progress: 'silent' as const };
    const trainModel = (rows: EncodedDataset) => fit({ method: getMethod('erm'), params: {}, train: rows, options }).model;

    const started = Date.now();
    const base = trainModel(train);
    record('validation-fit', seed, thresholdsOutcome(validation, scoresOn(base, validation), test, scoresOn(base, test), seed));
    base.dispose();
    console.error(`seed ${seed}: base model ${((Date.now() - started) / 1000).toFixed(0)} s`);

    const models: ReturnType<typeof trainModel>[] = [];
    const pool = concatSplits(train, validation);
    const crossFitted = crossFit(pool, args.folds, seed, (rows) => {
      const model = trainModel(rows);
      models.push(model);
      return (split) => scoresOn(model, split);
    });
    for (const how of ['mean', 'draw'] as const) {
      record(`crossfit-${how}`, seed, thresholdsOutcome(pool, crossFitted.outOfFold, test, testScoresOf(crossFitted.scorers, test, how, seed), seed));
    }
    models.forEach((model) => model.dispose());
    console.error(`seed ${seed}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const summary = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
    return `${mean.toFixed(2)} ± ${sd.toFixed(2)}`;
  };
  console.error(`\nmean ± sd over seeds ${args.seeds.join(',')} (×100): sampled accuracy / ΔEO sum | expected accuracy / ΔEO sum | base score accuracy at 0.5`);
  for (const [config, outcomes] of results) {
    const column = (key: keyof Outcome) => summary(outcomes.map((o) => o[key]));
    console.error(`${config}: ${column('accuracy')} / ${column('eo')} | ${column('expectedAccuracy')} / ${column('expectedEo')} | ${column('plainAccuracy')}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}

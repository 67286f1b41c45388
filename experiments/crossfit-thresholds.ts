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
 * Run: node --import tsx experiments/crossfit-thresholds.ts [--dataset adult|FILE.csv] [--target COLUMN] [--positive VALUE]
 *        [--sensitive sex] [--seeds 0,1,2,3,4]
 *        [--epochs 20] [--folds 5] [--hidden 200] [--crossfit no (validation-fit only)]
 * Each line also carries the test-sampling floors of both ΔEO sums (see `floors`; added after the first runs).
 */
import { pathToFileURL } from 'node:url';
import { getProtocol } from '../src/bench/protocols.js';
import { resolveDataDir } from '../src/data/data-dir.js';
import { openDataset } from '../src/data/open-dataset.js';
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

interface Args { dataset: string; target?: string; positive?: string; sensitive?: string[]; seeds: number[]; epochs: number; folds: number; hidden: number[]; crossFit: boolean }

function parseArgs(argv: string[]): Args {
  const args: Args = { dataset: 'adult', seeds: [0, 1, 2, 3, 4], epochs: 20, folds: 5, hidden: [200], crossFit: true };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[++i];
    if (argv[i - 1] === '--dataset') args.dataset = value;
    else if (argv[i - 1] === '--sensitive') args.sensitive = value.split(',');
    else if (argv[i - 1] === '--target') args.target = value;
    else if (argv[i - 1] === '--positive') args.positive = value;
    else if (argv[i - 1] === '--seeds') args.seeds = value.split(',').map(Number);
    else if (argv[i - 1] === '--epochs') args.epochs = Number(value);
    else if (argv[i - 1] === '--folds') args.folds = Number(value);
    else if (argv[i - 1] === '--hidden') args.hidden = value.split(',').map(Number);
    else if (argv[i - 1] === '--crossfit') args.crossFit = value !== 'no';
    else throw new Error(`unknown argument ${argv[i - 1]}`);
  }
  return args;
}

interface Outcome { accuracy: number; eo: number; expectedAccuracy: number; expectedEo: number; plainAccuracy: number; floorSampled: number; floorExpected: number }

/**
 * The test-sampling floors of the ΔEO sum (×100): E|ΔTPR| + E|ΔFPR| on a test split of this size for a classifier
 * whose true rates are equal in both groups, in the normal approximation E|N(0, s²)| = s·√(2/π). Sampled metric: a
 * group's rate is a binomial proportion at the pooled rate r, s² = r(1−r)(1/n₁ + 1/n₂). Expected metric: a group's
 * rate is the mean of its rows' probabilities p, s² = Var₁(p)/n₁ + Var₂(p)/n₂ (each group's own spread of p), which
 * leaves out the draw's part E[p(1−p)] of the binomial variance. Two groups only.
 */
function floors(probabilities: number[], test: EncodedDataset): { sampled: number; expected: number } {
  if (test.groups.keys.length !== 2) throw new Error('the floors are computed for two groups only');
  let sampled = 0;
  let expected = 0;
  for (const label of [1, 0]) {
    const byGroup = [0, 1].map((g) => probabilities.filter((_, i) => test.y[i] === label && test.groups.ids[i] === g));
    const n = byGroup.map((ps) => ps.length);
    const means = byGroup.map((ps) => ps.reduce((a, b) => a + b, 0) / ps.length);
    const variances = byGroup.map((ps, g) => ps.reduce((a, p) => a + (p - means[g]) ** 2, 0) / ps.length);
    const pooled = (means[0] * n[0] + means[1] * n[1]) / (n[0] + n[1]);
    sampled += Math.sqrt((2 / Math.PI) * pooled * (1 - pooled) * (1 / n[0] + 1 / n[1]));
    expected += Math.sqrt((2 / Math.PI) * (variances[0] / n[0] + variances[1] / n[1]));
  }
  return { sampled: 100 * sampled, expected: 100 * expected };
}

/** Fits thresholds:eo on (fitScores, fitSplit) and reports it on the test split, sampled and expected. */
function thresholdsOutcome(fitSplit: EncodedDataset, fitScores: ArrayLike<number>, test: EncodedDataset, testScores: ArrayLike<number>, seed: number): Outcome {
  const state = fitThresholds({ scores: fitScores, labels: fitSplit.y, groupIds: fitSplit.groups.ids, keys: fitSplit.groups.keys }, { constraint: 'eo', randomised: true, seed });
  const { probabilities, predictions } = predictWithThresholds(state, testScores, Array.from(test.groups.ids, (id) => test.groups.keys[id]));
  const sampled = evaluate({ yTrue: test.y, yPred: predictions as number[], groupIds: test.groups.ids, groups: test.groups });
  const expected = expectedRates(probabilities as number[], test.y, test.groups.ids, test.groups.keys.length);
  const plain = Array.from(testScores).filter((s, i) => (s >= 0.5 ? 1 : 0) === test.y[i]).length / test.nRows;
  const floor = floors(probabilities as number[], test);
  return { accuracy: 100 * sampled.overall.accuracy!, eo: 100 * (sampled.fairness.equalizedOddsSum as number), expectedAccuracy: 100 * expected.accuracy, expectedEo: 100 * expected.equalizedOddsSum!, plainAccuracy: 100 * plain, floorSampled: floor.sampled, floorExpected: floor.expected };
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const backend = await initBackend();
  const protocol = getProtocol('gcm');
  const dataset = protocol.adaptDataset(await openDataset({ dataset: args.dataset, dataDir: resolveDataDir(), target: args.target, positive: args.positive, sensitive: args.sensitive }));
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
    if (!args.crossFit) continue;

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
  console.error(`\nmean ± sd over seeds ${args.seeds.join(',')} (×100): sampled accuracy / ΔEO sum | expected accuracy / ΔEO sum | base score accuracy at 0.5 | floor of sampled / expected ΔEO sum`);
  for (const [config, outcomes] of results) {
    const column = (key: keyof Outcome) => summary(outcomes.map((o) => o[key]));
    console.error(`${config}: ${column('accuracy')} / ${column('eo')} | ${column('expectedAccuracy')} / ${column('expectedEo')} | ${column('plainAccuracy')} | floors ${column('floorSampled')} / ${column('floorExpected')}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}

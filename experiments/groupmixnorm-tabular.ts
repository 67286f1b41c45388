/**
 * GroupMixNorm against ERM, FairMixup and EOR on Adult (sex) and COMPAS (the loader's binary race: Caucasian vs
 * other, as FFB and GCM; --compas-two-races keeps only African-American and Caucasian rows instead).
 * Protocol (methods.md §1(d), GCM's Adult setup): prepareDataset 60/20/20 split stratified by (label, group) with
 * split seed = training seed; MLP hidden [200] ReLU, Adam 1e-3, batch 2000, 20 epochs; the sensitive attribute is
 * also an input (fairkit's default); test-split metrics at threshold 0.5, plus soft (score-mean) gaps.
 * One JSONL line per (dataset, seed, run); reruns skip what the journal already holds. GroupMixNorm runs are also
 * evaluated after calibrate() on the training split (run label '+calibrated').
 *
 * Run: node --import tsx experiments/groupmixnorm-tabular.ts --out results.jsonl [--datasets adult,compas]
 *        [--seeds 0,1,2,3,4] [--epochs 20] [--compas-two-races x] [run ...]    run = method or method:key=value,...
 * Default runs: erm groupmixnorm fairmixup eor.
 */
import { pathToFileURL } from 'node:url';
import { resolveDataDir } from '../src/data/data-dir.js';
import { loadDataset } from '../src/data/loaders/index.js';
import { prepareDataset } from '../src/data/prepare.js';
import type { LoadedDataset } from '../src/data/types.js';
import { initBackend } from '../src/nn/backend.js';
import { isGroupMixNormMlp } from '../src/nn/group-mix-norm-mlp.js';
import { fit } from '../src/train/fit.js';
import { Journal, keepValues, METHODS, numberList, outcomeOf, parseArgs, parseRun } from './groupmixnorm-common.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../src/nn/predict.js';

export async function loadTabular(name: string, compasTwoRaces = false): Promise<LoadedDataset> {
  const dataset = await loadDataset(name, resolveDataDir());
  return name === 'compas' && compasTwoRaces ? keepValues(dataset, 'race', ['African-American', 'Caucasian']) : dataset;
}

export async function runTabular(argv: string[]): Promise<void> {
  const { flags, words } = parseArgs(argv);
  const out = flags.get('out') ?? 'groupmixnorm-tabular.jsonl';
  const datasets = (flags.get('datasets') ?? 'adult,compas').split(',');
  const seeds = numberList(flags.get('seeds'), [0, 1, 2, 3, 4]);
  const epochs = Number(flags.get('epochs') ?? 20);
  const runs = (words.length > 0 ? words : ['erm', 'groupmixnorm', 'fairmixup', 'eor']).map(parseRun);
  const journal = new Journal(out);
  const backend = await initBackend();
  for (const name of datasets) {
    const dataset = await loadTabular(name, flags.has('compas-two-races'));
    // The two-race COMPAS is another data set: its own key and label, so one journal can hold both.
    const datasetLabel = name === 'compas' && flags.has('compas-two-races') ? 'compas-two-races' : name;
    for (const seed of seeds) {
      const { train, test } = prepareDataset(dataset, { seed });
      for (const run of runs) {
        const keyOf = (run: string) => `tabular|${datasetLabel}|${seed}|${epochs}|${run}`;
        // GroupMixNorm is also evaluated after calibrate(): running statistics recomputed exactly on the training split.
        const runLabels = run.method === 'groupmixnorm' ? [run.label, `${run.label}+calibrated`] : [run.label];
        if (runLabels.every((runLabel) => journal.has(keyOf(runLabel)))) continue;
        const fitted = fit({ method: METHODS[run.method], params: run.params, train, options: { hidden: [200], batchSize: 2000, learningRate: 1e-3, epochs, seed, progress: 'silent' } });
        for (const runLabel of runLabels) {
          if (runLabel.endsWith('+calibrated') && isGroupMixNormMlp(fitted.model)) fitted.model.calibrate(train.X, train.nRows, train.groups.ids);
          const outcome = outcomeOf(predictProba(fitted.model, { X: test.X, nRows: test.nRows, groups: test.groups.ids }, { batchSize: DEFAULT_PREDICT_BATCH }), test);
          if (!journal.has(keyOf(runLabel))) journal.write({ key: keyOf(runLabel), experiment: 'tabular', dataset: datasetLabel, seed, epochs, run: runLabel, method: run.method, params: run.params, backend, secondsPerEpoch: fitted.secondsPerEpoch, ...outcome });
          console.log(`${datasetLabel} seed ${seed} ${runLabel}: AP ${outcome.ap?.toFixed(4)} ΔDP ${outcome.dp?.toFixed(4)} ΔEO ${outcome.eoSum?.toFixed(4)} (${fitted.secondsPerEpoch.toFixed(2)} s/epoch)`);
        }
        fitted.model.dispose();
      }
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runTabular(process.argv.slice(2));
}

/**
 * Debiasing a pre-trained model with limited data. Per data set and seed: ERM trained on the full training split
 * with the tabular protocol (hidden [200], Adam 1e-3, batch 2000, 20 epochs); then a stratified 10% of the training
 * split (fineTuningSubset) is all that the debiasing step may use. Compared, all starting from the ERM weights and
 * fine-tuned with the same schedule (Adam 1e-3, batch --ft-batch, --ft-epochs epochs):
 *   pretrained            the ERM model as it is;
 *   erm-ft                fine-tuned on the task loss alone (does fine-tuning by itself change fairness?);
 *   eor-ft, fairmixup-ft  fine-tuned with those regularisers (default parameters);
 *   gmn-insert            GroupMixNorm layers inserted and calibrated on the 10%, no fine-tuning;
 *   gmn-debias            inserted, calibrated, fine-tuned (all weights);
 *   gmn-debias-frozen     the same with the dense weights frozen (only γ, β trained).
 * Test-split metrics as in groupmixnorm-tabular.ts.
 *
 * Run: node --import tsx experiments/groupmixnorm-debias.ts --out results.jsonl [--datasets adult,compas]
 *        [--seeds 0,1,2,3,4] [--fraction 0.1] [--ft-epochs 10] [--ft-batch 256]
 */
import { pathToFileURL } from 'node:url';
import { prepareDataset } from '../src/data/prepare.js';
import type { EncodedDataset } from '../src/data/types.js';
import { fineTuningSubset, groupMixNormDebias, startingFrom } from '../src/methods/debias.js';
import { eor } from '../src/methods/eor.js';
import { erm } from '../src/methods/erm.js';
import { fairMixup } from '../src/methods/fairmixup.js';
import { initBackend } from '../src/nn/backend.js';
import { insertGroupMixNorm } from '../src/nn/group-mix-norm-mlp.js';
import type { Model } from '../src/nn/model.js';
import { fit } from '../src/train/fit.js';
import { Journal, numberList, outcomeOf, parseArgs } from './groupmixnorm-common.js';
import { loadTabular } from './groupmixnorm-tabular.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../src/nn/predict.js';

type Variant = (pretrained: Model, subset: EncodedDataset, seed: number) => Model;

export async function runDebias(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv);
  const out = flags.get('out') ?? 'groupmixnorm-debias.jsonl';
  const datasets = (flags.get('datasets') ?? 'adult,compas').split(',');
  const seeds = numberList(flags.get('seeds'), [0, 1, 2, 3, 4]);
  const fraction = Number(flags.get('fraction') ?? 0.1);
  const ftEpochs = Number(flags.get('ft-epochs') ?? 10);
  const ftBatch = Number(flags.get('ft-batch') ?? 256);
  const journal = new Journal(out);
  await initBackend();

  const fineTune = (seed: number) => ({ hidden: [200], batchSize: ftBatch, learningRate: 1e-3, epochs: ftEpochs, seed, progress: 'silent' as const });
  const variants: Record<string, Variant> = {
    pretrained: (pretrained) => pretrained,
    'erm-ft': (pretrained, subset, seed) => fit({ method: erm, baseModel: startingFrom(pretrained), params: {}, train: subset, options: fineTune(seed) }).model,
    'eor-ft': (pretrained, subset, seed) => fit({ method: eor, baseModel: startingFrom(pretrained), params: {}, train: subset, options: fineTune(seed) }).model,
    'fairmixup-ft': (pretrained, subset, seed) => fit({ method: fairMixup, baseModel: startingFrom(pretrained), params: {}, train: subset, options: fineTune(seed) }).model,
    'gmn-insert': (pretrained, subset) => {
      const model = insertGroupMixNorm(pretrained, { nGroups: subset.groups.keys.length });
      model.calibrate(subset.X, subset.nRows, subset.groups.ids);
      return model;
    },
    'gmn-debias': (pretrained, subset, seed) => fit({ method: groupMixNormDebias, baseModel: startingFrom(pretrained), params: {}, train: subset, options: fineTune(seed) }).model,
    'gmn-debias-frozen': (pretrained, subset, seed) => fit({ method: groupMixNormDebias, baseModel: startingFrom(pretrained), params: { freezeBase: true }, train: subset, options: fineTune(seed) }).model,
  };

  for (const name of datasets) {
    const dataset = await loadTabular(name);
    for (const seed of seeds) {
      const keyOf = (variant: string) => `debias|${name}|${seed}|${fraction}|${ftEpochs}|${ftBatch}|${variant}`;
      if (Object.keys(variants).every((variant) => journal.has(keyOf(variant)))) continue;
      const { train, test } = prepareDataset(dataset, { seed });
      const pretrained = fit({ method: erm, params: {}, train, options: { hidden: [200], batchSize: 2000, learningRate: 1e-3, epochs: 20, seed, progress: 'silent' } }).model;
      const subset = fineTuningSubset(train, fraction, seed);
      for (const [variant, make] of Object.entries(variants)) {
        if (journal.has(keyOf(variant))) continue;
        const model = make(pretrained, subset, seed);
        const outcome = outcomeOf(predictProba(model, { X: test.X, nRows: test.nRows, groups: test.groups.ids }, { batchSize: DEFAULT_PREDICT_BATCH }), test);
        if (model !== pretrained) model.dispose();
        journal.write({ key: keyOf(variant), experiment: 'debias', dataset: name, seed, fraction, ftEpochs, ftBatch, fineTuneRows: subset.nRows, run: variant, ...outcome });
        console.log(`${name} seed ${seed} ${variant}: AP ${outcome.ap?.toFixed(4)} ΔDP ${outcome.dp?.toFixed(4)} ΔEO ${outcome.eoSum?.toFixed(4)}`);
      }
      pretrained.dispose();
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runDebias(process.argv.slice(2));
}

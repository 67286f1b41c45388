/**
 * The image case: Colored MNIST (src/data/colored-mnist.ts; colour is the sensitive attribute and agrees with the
 * label 90% of the time in training and test; 25% label noise; 14 × 14 × 2) with a small patch CNN
 * (src/nn/cnn.ts: conv 2×2/2 → 16, conv 1×1 → 32, ReLU each, dense head). GroupMixNorm sits after both conv
 * blocks; ERM, EOR and FairMixup train the same CNN without it. Adam 1e-3, batch 250, --epochs epochs on the
 * 10,000 training digits; metrics on the 10,000 test digits. The colouring seed is the run seed.
 *
 * Run: node --import tsx experiments/groupmixnorm-image.ts --out results.jsonl [--seeds 0,1,2,3,4]
 *        [--epochs 10] [run ...]      (default runs: erm groupmixnorm eor fairmixup)
 */
import { pathToFileURL } from 'node:url';
import { loadColoredMnist } from '../src/data/colored-mnist.js';
import { resolveDataDir } from '../src/data/data-dir.js';
import { groupMixNormOptions, type GroupMixNormParams } from '../src/methods/groupmixnorm.js';
import type { Method } from '../src/train/method.js';
import { initBackend } from '../src/nn/backend.js';
import { buildPatchCnn, type PatchCnnConfig } from '../src/nn/cnn.js';
import { fit, parseMethodParams, type FitInput } from '../src/train/fit.js';
import type { EncodedDataset } from '../src/data/types.js';
import { Journal, METHODS, numberList, outcomeOf, parseArgs, parseRun } from './groupmixnorm-common.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../src/nn/predict.js';

/** The method on the CNN (with GroupMixNorm in its blocks for the groupmixnorm method, instead of the MLP transform). */
function onCnn(method: Method<any>, params: Record<string, unknown>, train: EncodedDataset, shape: Pick<PatchCnnConfig, 'height' | 'width' | 'channels'>): Pick<FitInput<any>, 'method' | 'baseModel'> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const blocks = [{ patch: 2, filters: 16 }, { patch: 1, filters: 32 }];
  const gmn = method.name === 'groupmixnorm' ? groupMixNormOptions(parseMethodParams(method, params) as GroupMixNormParams, train) : undefined;
  return {
    method: { ...method, model: undefined },
    baseModel: (config) => buildPatchCnn({ ...shape, blocks, seed: config.seed, ...(gmn ? { groupMixNorm: { nGroups: gmn.nGroups, settings: gmn.settings } } : {}) }),
  };
}

export async function runImage(argv: string[]): Promise<void> {
  const { flags, words } = parseArgs(argv);
  const out = flags.get('out') ?? 'groupmixnorm-image.jsonl';
  const seeds = numberList(flags.get('seeds'), [0, 1, 2, 3, 4]);
  const epochs = Number(flags.get('epochs') ?? 10);
  const runs = (words.length > 0 ? words : ['erm', 'groupmixnorm', 'eor', 'fairmixup']).map(parseRun);
  const journal = new Journal(out);
  await initBackend();
  for (const seed of seeds) {
    const { train, test } = loadColoredMnist(resolveDataDir(), { seed });
    for (const run of runs) {
      const key = `image|colored-mnist|${seed}|${epochs}|${run.label}`;
      if (journal.has(key)) continue;
      const fitted = fit({ ...onCnn(METHODS[run.method], run.params, train, train), params: run.params, train, options: { batchSize: 250, learningRate: 1e-3, epochs, seed, progress: 'silent' } });
      const outcome = outcomeOf(predictProba(fitted.model, { X: test.X, nRows: test.nRows, groups: test.groups.ids }, { batchSize: DEFAULT_PREDICT_BATCH }), test);
      fitted.model.dispose();
      journal.write({ key, experiment: 'image', dataset: 'colored-mnist', seed, epochs, run: run.label, method: run.method, params: run.params, secondsPerEpoch: fitted.secondsPerEpoch, ...outcome });
      console.log(`seed ${seed} ${run.label}: AP ${outcome.ap?.toFixed(4)} accuracy ${outcome.accuracy?.toFixed(4)} ΔDP ${outcome.dp?.toFixed(4)} ΔEO ${outcome.eoSum?.toFixed(4)} (${fitted.secondsPerEpoch.toFixed(1)} s/epoch)`);
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runImage(process.argv.slice(2));
}

/**
 * Debiasing a trained model with GroupMixNorm (the paper's "pre-trained debiasing" experiment, methods.md §1(b)):
 * GroupMixNorm layers are inserted into a trained MLP, whose weights are kept, their running statistics set to the
 * exact statistics of the fine-tuning rows, and the result is fine-tuned on a small fraction of the training data
 * with the task loss alone.
 *
 * Not a registry method: it needs a trained model. `fit({ method: groupMixNormDebias, baseModel: startingFrom(pretrained) })`
 * fine-tunes it; `startingFrom(pretrained)` gives any other method the same warm start, for fair comparisons; and
 * `fineTuningSubset` draws the limited data, stratified by (group, label).
 */
import { z } from 'zod';
import type { EncodedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { insertGroupMixNorm } from '../nn/group-mix-norm-mlp.js';
import type { MlpArchitecture, MlpConfig } from '../nn/mlp.js';
import type { Model } from '../nn/model.js';
import { modelFromConfig } from '../nn/model-kinds.js';
import { Rng } from '../rng.js';
import { copyRows } from '../train/batches.js';
import type { Method } from '../train/method.js';
import { groupMixNorm, groupMixNormOptions, groupMixNormParamDocs, groupMixNormParams } from './groupmixnorm.js';

export const debiasParams = groupMixNormParams.extend({ freezeBase: z.boolean().default(false), calibrate: z.boolean().default(true) }).strict();
export type DebiasParams = z.infer<typeof debiasParams>;

export const groupMixNormDebias: Method<DebiasParams> = {
  ...(groupMixNorm as unknown as Method<DebiasParams>),
  name: 'groupmixnorm-debias',
  summary: 'GroupMixNorm layers inserted into a trained MLP, then fine-tuned (on limited data).',
  params: debiasParams,
  paramDocs: {
    ...groupMixNormParamDocs,
    freezeBase: 'Train only the GroupMixNorm scale and shift; the trained dense weights stay fixed.',
    calibrate: "Start the layers' running statistics at the exact statistics of the fine-tuning rows (else at mean 0, variance 1, which the momentum averages need many steps to forget).",
  },
  model: (base, params, train) => {
    const model = insertGroupMixNorm(base, { ...groupMixNormOptions(params, train), freezeBase: params.freezeBase });
    base.dispose();
    if (params.calibrate) model.calibrate(train.X, train.nRows, train.groups.ids);
    return model;
  },
};

/** fit's `baseModel`: training starts from a copy of `pretrained`'s weights instead of a fresh MLP. */
export function startingFrom(pretrained: Model): (config: MlpConfig) => Model {
  return (config) => {
    checkSameShape(config, pretrained);
    return modelFromConfig(pretrained.config, pretrained.weights.map((w) => w.variable.dataSync() as Float32Array));
  };
}

/** A random `fraction` of the rows, the same fraction of every (group, label) cell (at least one row of each). */
export function fineTuningSubset(data: EncodedDataset, fraction: number, seed: number): EncodedDataset {
  if (!(fraction > 0 && fraction <= 1)) throw new FairkitError(`the fine-tuning fraction must be in (0, 1], got ${fraction}`);
  const rng = new Rng(seed);
  const cells = new Map<number, number[]>();
  for (let row = 0; row < data.nRows; row++) {
    const cell = data.groups.ids[row] * 2 + data.y[row];
    if (!cells.has(cell)) cells.set(cell, []);
    cells.get(cell)!.push(row);
  }
  const rows = [...cells.values()].flatMap((members) => Array.from(rng.shuffle(Int32Array.from(members)).subarray(0, Math.max(1, Math.round(fraction * members.length)))));
  rows.sort((a, b) => a - b);
  return {
    ...data,
    X: copyRows(data.X, data.nFeatures, rows),
    nRows: rows.length,
    y: Uint8Array.from(rows, (row) => data.y[row]),
    groups: { ...data.groups, ids: Int32Array.from(rows, (row) => data.groups.ids[row]) },
    ...(data.clusters ? { clusters: Int32Array.from(rows, (row) => data.clusters![row]) } : {}),
  };
}

function checkSameShape(config: MlpConfig, pretrained: Model): void {
  if (pretrained.config.kind !== 'mlp') throw new FairkitError(`training can start from a trained MLP, not a '${pretrained.config.kind}' model`, { fix: 'Give the folder of a plain model' });
  const { inputDim, hidden } = pretrained.config as MlpArchitecture;
  if (config.inputDim !== inputDim || config.hidden.join() !== hidden.join()) {
    throw new FairkitError(`the trained model is ${inputDim}→[${hidden.join(', ')}], but training asks for ${config.inputDim}→[${config.hidden.join(', ')}]`, {
      fix: 'Fine-tune with the hidden sizes the model was trained with, on data encoded the same way',
    });
  }
}

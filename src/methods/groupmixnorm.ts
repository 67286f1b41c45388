import { z } from 'zod';
import type { EncodedDataset } from '../data/types.js';
import type { GroupMixNormOptions } from '../nn/group-mix-norm-mlp.js';
import { insertGroupMixNorm, PLACEMENTS } from '../nn/group-mix-norm-mlp.js';
import { DEFAULT_SETTINGS, INFERENCE_MODES } from '../nn/group-mix-norm-unit.js';
import type { Method } from '../train/method.js';
import { requireTwoGroups } from './group-cells.js';

export const groupMixNormParams = z
  .object({
    alpha: z.number().positive().default(DEFAULT_SETTINGS.alpha),
    positions: z.union([z.literal('all'), z.array(z.number().int().min(0)).min(1)]).default('all'),
    placement: z.enum(PLACEMENTS).default('postActivation'),
    momentum: z.number().gt(0).max(1).default(DEFAULT_SETTINGS.momentum),
    eps: z.number().positive().default(DEFAULT_SETTINGS.eps),
    minGroupSize: z.number().int().min(1).default(DEFAULT_SETTINGS.minGroupSize),
    mixPer: z.enum(['batch', 'row']).default(DEFAULT_SETTINGS.mixPer),
    multiGroupMix: z.enum(['dirichlet', 'pair']).default(DEFAULT_SETTINGS.multiGroupMix),
    detachStats: z.boolean().default(DEFAULT_SETTINGS.detachStats),
    affine: z.boolean().default(DEFAULT_SETTINGS.affine),
    inferenceMode: z.enum(INFERENCE_MODES).default(DEFAULT_SETTINGS.inferenceMode),
    inferenceMix: z.enum(['expected', 'running']).default(DEFAULT_SETTINGS.inferenceMix),
  })
  .strict();
export type GroupMixNormParams = z.infer<typeof groupMixNormParams>;

export const groupMixNormParamDocs: Record<keyof GroupMixNormParams, string> = {
  alpha: 'α of the mixing distribution: λ ~ Beta(α, α) for two groups, Dirichlet(α·1) for more (small α mixes little, α = 1 uniformly).',
  positions: "Hidden layers (0-based) followed by a GroupMixNorm layer, e.g. [0]; 'all' (default) = every hidden layer.",
  placement: "'postActivation' (default): after the hidden layer's activation; 'preActivation': between its dense map and its activation.",
  momentum: 'Weight of the newest batch in the running statistics used at inference.',
  eps: 'Added to the variance before the square root.',
  minGroupSize: 'A group with fewer rows in a batch is normalised with the whole batch\'s statistics and left out of the mix.',
  mixPer: "'batch': one mix of the group statistics per batch (default); 'row': one per row.",
  multiGroupMix: "For more than two groups: 'dirichlet' weights over all groups (default) or 'pair': two random groups mixed with Beta(α, α).",
  detachStats: 'Stop gradients through the batch statistics (MixStyle does; default false, as BatchNorm).',
  affine: 'Learnable per-channel scale and shift after the re-projection.',
  inferenceMode: "Statistics that normalise a row at prediction: 'groupRunning' (its group's running statistics; unseen or unknown groups and predictions without group ids use the overall ones), 'globalRunning' (overall running statistics, no group ids needed), 'batch' (its group's statistics in the prediction batch).",
  inferenceMix: "What rows are re-projected onto at prediction: 'expected' (equal-weight mix of the groups' running statistics, the mean of the training mix) or 'running' (running average of the drawn mixes).",
};

/** The model options a GroupMixNorm parameter set describes. */
export function groupMixNormOptions(params: GroupMixNormParams, train: EncodedDataset): GroupMixNormOptions {
  const { positions, placement, ...settings } = params;
  return { nGroups: train.groups.keys.length, positions: positions === 'all' ? undefined : positions, placement, settings };
}

/**
 * GroupMixNorm (Pandey et al., arXiv 2312.11969; methods.md §1): an MLP with a GroupMixNorm layer after each hidden
 * layer (or where configured) trained on the task loss alone. The fairness comes from the architecture: in every
 * batch, each group's features are normalised with that group's statistics and re-projected onto a random convex mix
 * of the groups' statistics, so the layers after it see groups with equal first and second moments.
 */
export const groupMixNorm: Method<GroupMixNormParams> = {
  name: 'groupmixnorm',
  summary: 'GroupMixNorm layers (Pandey et al. 2023): per-group normalisation re-projected onto mixed group statistics.',
  params: groupMixNormParams,
  paramDocs: groupMixNormParamDocs,
  needs: { groups: true },
  check: (train) => requireTwoGroups('groupmixnorm', train),
  // A copy of the base MLP's seeded weights with the layers inserted: the same model a fresh build would give.
  model: (base, params, train) => {
    const model = insertGroupMixNorm(base, groupMixNormOptions(params, train));
    base.dispose();
    return model;
  },
};

import { z } from 'zod';
import type { EncodedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { CONSTRAINT_KINDS, marginalAttributes, withProjection } from '../flayer/projected-model.js';
import type { Method } from '../train/method.js';
import { requireTwoGroups } from './group-cells.js';

export const projectionParams = z
  .object({
    epsilon: z.number().min(0).default(0.05),
    constraint: z.enum([...CONSTRAINT_KINDS, 'eer']).default('intersection'),
    box: z.string().default('none'),
  })
  .strict();
export type ProjectionParams = z.infer<typeof projectionParams>;

const constraintDoc =
  "'intersection' (ECP: every pair of intersectional groups, e.g. race|sex, has mean outputs within epsilon), 'marginal' (ECP on each attribute's groups separately, solved by Dykstra with an exact active-set polish; the same with one attribute) or 'eer' (regression: every group's mean residual, output − target, within ±epsilon, per attribute; it needs the targets, so it acts in training only and a prediction is only boxed).";
const epsilonDoc =
  'Largest allowed gap between the mean outputs of any two groups in a batch (ECP; logits, or standard deviations of the training target for regression), or largest |mean residual| of a group (EER). Each prediction batch is projected on its own, so the result depends on the prediction batch size.';
const boxDoc = "'none' (default) or, for regression, 'lower:upper': every output kept in [lower, upper] (standard deviations of the training target, as the outputs), e.g. -3.5:3.5, with the constraint, in training and at prediction.";

/** The box of `--param box=lower:upper`, checked; undefined for 'none'. */
export function parseBox(text: string): { lower: number; upper: number } | undefined {
  if (text === 'none') return undefined;
  const parts = text.split(':');
  const [lower, upper] = parts.map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
  if (parts.length !== 2 || !Number.isFinite(lower) || !Number.isFinite(upper) || !(lower < upper)) {
    throw new FairkitError(`box must be 'lower:upper' with finite numbers lower < upper, got '${text}'`, { where: '--param box', fix: "e.g. --param box=-3.5:3.5, or 'none'" });
  }
  return { lower, upper };
}

function checkParams(name: string, train: EncodedDataset, params: ProjectionParams): void {
  requireTwoGroups(name, train);
  const regression = train.targets !== undefined;
  if (params.constraint === 'eer' && !regression) {
    throw new FairkitError(`method '${name}': constraint=eer bounds each group's mean residual (output − target) and needs a regression task; this run is classification`, {
      fix: 'Use constraint=intersection or constraint=marginal (equal mean logits), or train a regression target',
    });
  }
  if (params.box !== 'none') {
    if (!regression) throw new FairkitError(`method '${name}': box bounds regression outputs; this run is classification`, { fix: 'Drop --param box' });
    parseBox(params.box);
    // Small prediction batches go through the stream, whose boxed projection is exact for one pair of groups only.
    if (params.constraint !== 'eer' && train.groups.keys.length !== 2) {
      throw new FairkitError(`method '${name}': a box with equal mean outputs (ECP) needs exactly two groups, got ${train.groups.keys.length}`, { fix: 'Drop --param box, or use constraint=eer' });
    }
  }
}

/** A method whose model is wrapped in the projection, applied as `during` says. */
function projectionMethod(name: string, summary: string, during: 'always' | 'inference'): Method<ProjectionParams> {
  return {
    name,
    summary,
    params: projectionParams,
    paramDocs: { epsilon: epsilonDoc, constraint: constraintDoc, box: boxDoc },
    tasks: ['classification', 'regression'],
    needs: { groups: true },
    check: (train, params) => checkParams(name, train, params),
    model: (base, params, train) => {
      const several = train.groups.attributes.length > 1;
      return withProjection(base, {
        nGroups: train.groups.keys.length,
        epsilon: params.epsilon,
        during,
        // One attribute: marginal is the intersection, so keep the exact closed form. EER is marginal per attribute
        // (the paper's employee study constrains each protected column separately).
        ...((params.constraint === 'marginal' || params.constraint === 'eer') && several ? { marginal: marginalAttributes(train.groups) } : {}),
        ...(params.constraint === 'eer' ? { eer: true as const } : {}),
        ...(params.box !== 'none' ? { box: parseBox(params.box) } : {}),
      });
    },
  };
}

/**
 * The F-Layer (Troxell, Roemer & Montúfar, ICML 2026; methods.md §3; docs/methods/flayer.md): the network's outputs
 * are projected onto the set where every pairwise gap between the groups' mean outputs in the batch is at most ε
 * (or, for regression with constraint=eer, every group's mean residual is within ±ε), and the loss is taken on the
 * projected outputs, so training learns through the projection. Predictions are projected batch by batch with the
 * rows' groups.
 */
export const flayer = projectionMethod('flayer', 'F-Layer (Troxell et al. 2026): outputs projected onto the group mean-output gap ≤ epsilon (or |mean residual| ≤ epsilon) in training and at prediction.', 'always');

/** The F-Layer paper's Projection baseline: plain training, then the same projection at prediction only. */
export const projection = projectionMethod('projection', 'Erm, then the F-Layer projection (group mean-output gap ≤ epsilon) applied to each prediction batch.', 'inference');

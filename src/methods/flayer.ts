import { z } from 'zod';
import { CONSTRAINT_KINDS, marginalAttributes, withProjection } from '../flayer/projected-model.js';
import type { Method } from '../train/method.js';
import { requireTwoGroups } from './group-cells.js';

export const projectionParams = z
  .object({
    epsilon: z.number().min(0).default(0.05),
    constraint: z.enum(CONSTRAINT_KINDS).default('intersection'),
  })
  .strict();
export type ProjectionParams = z.infer<typeof projectionParams>;

const constraintDoc =
  "With several sensitive attributes: 'intersection' (every pair of intersectional groups, e.g. race|sex, within epsilon) or 'marginal' (each attribute's groups within epsilon separately, solved by Dykstra with an exact active-set polish). The same with one attribute.";
const epsilonDoc = 'Largest allowed gap between the mean logits of any two groups in a batch (ECP, in logits). Each prediction batch is projected on its own, so the result depends on the prediction batch size.';

/** A method whose model is wrapped in the projection, applied as `during` says. */
function projectionMethod(name: string, summary: string, during: 'always' | 'inference'): Method<ProjectionParams> {
  return {
    name,
    summary,
    params: projectionParams,
    paramDocs: { epsilon: epsilonDoc, constraint: constraintDoc },
    tasks: ['classification', 'regression'],
    needs: { groups: true },
    check: (train) => requireTwoGroups(name, train),
    model: (base, params, train) =>
      withProjection(base, {
        nGroups: train.groups.keys.length,
        epsilon: params.epsilon,
        during,
        // One attribute: marginal is the intersection, so keep the exact closed form.
        ...(params.constraint === 'marginal' && train.groups.attributes.length > 1 ? { marginal: marginalAttributes(train.groups) } : {}),
      }),
  };
}

/**
 * The F-Layer (Troxell, Roemer & Montúfar, ICML 2026; methods.md §3; docs/methods/flayer.md): the network's logits
 * are projected onto the set where every pairwise gap between the groups' mean logits in the batch is at most ε,
 * and the loss is taken on the projected logits, so training learns through the projection. Predictions are
 * projected batch by batch with the rows' groups.
 */
export const flayer = projectionMethod('flayer', 'F-Layer (Troxell et al. 2026): logits projected onto the group mean-logit gap ≤ epsilon in training and at prediction.', 'always');

/** The F-Layer paper's Projection baseline: plain training, then the same projection at prediction only. */
export const projection = projectionMethod('projection', 'Erm, then the F-Layer projection (group mean-logit gap ≤ epsilon) applied to each prediction batch.', 'inference');

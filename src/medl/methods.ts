/**
 * Fair MEDL and its ablations as methods (Nguyen, Wang & Montillo, arXiv 2310.03146, on ARMED; methods.md §2;
 * docs/methods/fair-medl.md):
 * - `medl`: mixed effects (fixed-effects MLP, cluster adversary, Bayesian random effects mixed in logit space), no fairness;
 * - `fair-medl`: medl plus fairness adversaries on the fixed- and mixed-effects outputs;
 * - `fair-da`: the fixed-effects MLP with the cluster adversary and the fairness adversary, no random effects.
 * `fairness=abscorr` on fair-medl and fair-da puts the absolute-correlation loss in place of the fairness adversaries
 * (the paper's "fair DA-ACL" ablation is fair-da with it). A parameter rather than more method names: everything
 * else (model, schedule, λ weights, what `fairkit bench` sweeps) is the same, so a bench grid can compare the two.
 */
import { z } from 'zod';
import type { EncodedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { requireTwoGroups } from '../methods/group-cells.js';
import type { Mlp } from '../nn/mlp.js';
import type { Method } from '../train/method.js';
import { clusterCount, requireClusters, seenClusters } from './clusters.js';
import { withRandomEffects } from './mixed-effects-model.js';
import { FAIRNESS_FORMS } from './composite-loss.js';
import { medlStep } from './step.js';

const armed = {
  lambdaCluster: z.number().min(0).default(1),
  clusterAdversaryHidden: z.array(z.number().int().positive()).default([8, 8, 4]),
  adversaryLearningRate: z.number().positive().default(1e-3),
  adversarySteps: z.number().int().min(1).default(1),
};
const randomEffects = {
  lambdaMixed: z.number().min(0).default(1),
  lambdaFixed: z.number().min(0).default(1),
  klWeight: z.number().min(0).default(0.001),
  priorSd: z.number().positive().default(0.1),
};
const fairness = {
  fairness: z.enum(FAIRNESS_FORMS).default('adversary'),
  lambdaFairness: z.number().min(0).default(1),
  lambdaFE: z.number().min(0).default(1),
  lambdaME: z.number().min(0).default(1),
  fairnessHidden: z.number().int().min(0).default(10),
  ratioTerm: z.boolean().default(false),
};

const medlParams = z.object({ ...armed, ...randomEffects }).strict();
const fairMedlParams = z.object({ ...armed, ...randomEffects, ...fairness }).strict();
// fair-da has no mixed-effects output, so no λ_ME.
const { lambdaME: _noMixed, ...fixedOnlyFairness } = fairness;
const fairDaParams = z.object({ ...armed, ...fixedOnlyFairness }).strict();
type Params = z.infer<typeof fairMedlParams>;

const docs: Record<keyof Params, string> = {
  lambdaCluster: 'λ_g: how hard the fixed effects work against the cluster adversary (their hidden activations should not reveal the cluster).',
  clusterAdversaryHidden: 'Hidden ReLU layers of the cluster adversary (ARMED: [8, 8, 4]); it reads every hidden activation of the fixed-effects MLP.',
  adversaryLearningRate: "Learning rate of the adversaries' Adam optimisers.",
  adversarySteps: 'Updates of each adversary per main-network update (ARMED alternates one and one).',
  lambdaMixed: 'λ_M: weight of the cross-entropy of the mixed-effects prediction.',
  lambdaFixed: 'λ_F: weight of the cross-entropy of the fixed-effects prediction.',
  klWeight: 'λ_K: weight of KL(posterior ‖ prior) of the random slopes and intercepts (ARMED: 0.001).',
  priorSd: 'Standard deviation of the normal prior of every random slope and intercept (ARMED: 0.1).',
  fairness: "'adversary': fairness adversaries on (ŷ, y); 'abscorr': the absolute correlation of ŷ with each sensitive value within each label class, as a penalty (fair DA-ACL).",
  lambdaFairness: 'λ_D: how hard the predictions work against the fairness adversaries (the strength a sweep varies).',
  lambdaFE: 'Relative weight of the adversary on the fixed-effects prediction.',
  lambdaME: 'Relative weight of the adversary on the mixed-effects prediction.',
  fairnessHidden: 'ReLU units of each fairness head, which reads (ŷ, y) and predicts one sensitive attribute (0 = softmax regression).',
  ratioTerm: "Also add L_pred / L_fair to the main loss (Yang et al.'s extra adversarial term; off by default).",
};

interface Variant {
  name: string;
  summary: string;
  randomEffects: boolean;
  fairness: boolean;
}

function medlMethod<P extends Partial<Params>>(variant: Variant, params: z.ZodType<P>): Method<P> {
  const paramDocs = Object.fromEntries(Object.keys(params.parse({}) as object).map((key) => [key, docs[key as keyof Params]])) as Record<keyof P & string, string>;
  return {
    name: variant.name,
    summary: variant.summary,
    params,
    paramDocs,
    ...(variant.fairness ? { strength: 'lambdaFairness' as keyof P & string } : {}),
    needs: { clusters: true },
    // One fairness head per attribute, over the attribute's own values (attributeGroups).
    trainingGroups: 'marginal',
    // Regression: MSE per output, random effects on the output, heads on (ŷ, t) (composite-loss.ts).
    tasks: ['classification', 'regression'],
    // Fairness adversaries compare groups: refuse one group before training. Clusters are checked by every variant
    // where the model is built (still before any training).
    ...(variant.fairness
      ? {
          check: (train: EncodedDataset, params: P) => {
            requireTwoGroups(variant.name, train);
            const flat = train.groups.attributes.filter((attribute) => new Set(train.groups.values.map((value) => value[attribute])).size < 2);
            if (flat.length > 0) throw new FairkitError(`method '${variant.name}': sensitive attribute ${flat.join(', ')} has one value in the training split`, { fix: 'A fairness adversary needs at least two values to tell apart' });
            const p = params as Partial<Params>;
            if (p.fairness === 'abscorr' && p.ratioTerm) throw new FairkitError(`method '${variant.name}': ratioTerm divides by the adversaries' loss, which fairness=abscorr does not have`, { fix: 'Drop --param ratioTerm=true, or use fairness=adversary' });
          },
        }
      : {}),
    model: (base, params, train) => {
      if (base.config.kind !== 'mlp') throw new FairkitError(`method '${variant.name}' builds on an MLP, got a '${base.config.kind}' model`);
      requireClusters(variant.name, train);
      const fixed = base as Mlp;
      // ARMED's initialisation; its seed derives from the FE MLP's, so the run's one seed still fixes every weight.
      const settings = variant.randomEffects ? { nClusters: clusterCount(train.clusters!), seen: seenClusters(train.clusters!), priorSd: (params as Partial<Params>).priorSd!, meanInitSd: 0.1, scaleInit: [0.05, 0.1] as [number, number], seed: fixed.config.seed ^ 0x2545f491 } : undefined;
      return withRandomEffects(fixed, settings);
    },
    step: (context) => {
      const p = context.params as Partial<Params>;
      return medlStep(context, {
        weights: {
          lambdaMixed: p.lambdaMixed ?? 0,
          lambdaFixed: p.lambdaFixed ?? 1,
          lambdaCluster: p.lambdaCluster!,
          klWeight: p.klWeight ?? 0,
          lambdaFairness: p.lambdaFairness ?? 0,
          lambdaFE: p.lambdaFE ?? 0,
          lambdaME: p.lambdaME ?? 0,
          ratioTerm: p.ratioTerm ?? false,
          fairness: variant.fairness ? p.fairness! : 'none',
        },
        clusterAdversaryHidden: p.clusterAdversaryHidden!,
        fairnessHidden: p.fairnessHidden ?? 0,
        adversaryLearningRate: p.adversaryLearningRate!,
        adversarySteps: p.adversarySteps!,
      });
    },
  };
}

export const medl = medlMethod(
  { name: 'medl', summary: 'ARMED mixed effects (Nguyen et al.): fixed-effects MLP with a cluster adversary plus Bayesian random slopes and intercepts per cluster; no fairness term.', randomEffects: true, fairness: false },
  medlParams,
);

export const fairMedl = medlMethod(
  { name: 'fair-medl', summary: 'Fair MEDL (Nguyen, Wang & Montillo): medl plus fairness adversaries on the fixed- and mixed-effects outputs, one per sensitive attribute (equalised odds).', randomEffects: true, fairness: true },
  fairMedlParams,
);

export const fairDa = medlMethod(
  { name: 'fair-da', summary: 'Fair MEDL ablation: fixed-effects MLP with the cluster adversary and a fairness adversary per sensitive attribute; no random effects.', randomEffects: false, fairness: true },
  fairDaParams,
);

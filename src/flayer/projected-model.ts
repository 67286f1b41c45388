/**
 * A model whose logits are projected onto the ECP constraint set of each forward batch (model kind
 * 'fair-projection'): the F-Layer (projection in training and at inference) and post-hoc projection (at inference
 * only). For regression the constraint may instead be EER (each group's mean residual within ε of 0, given the
 * targets), and an optional box bounds every output. The base model's `logits` stay available as the `raw` head. A batch without group ids is not projected: the
 * constraint is defined on the groups of the rows in the batch, so the result depends on the batch (and its size).
 *
 * The rows' group ids are intersectional (one id per combination of the sensitive attributes' values). The
 * constraint is either on those groups (every pair of intersectional groups' means within ε: the closed form of
 * ecp.ts) or marginal (for each attribute separately, every pair of its values' means within ε, as in the paper's
 * loan study: the Dykstra + active-set solver of project.ts). With one attribute the two coincide.
 *
 * EER needs the targets, which exist in training and in a labelled audit but not when predicting (methods.md §3 (v):
 * the authors pass the labels to the layer in training and in their in-sample audit; "a deployable EER needs
 * labels"). A forward pass without targets therefore applies only the part of the set that needs none: the box (a
 * clip), or nothing.
 */
import type * as tf from '@tensorflow/tfjs';
import type { GroupIndex } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { inputsOf, type ApplyOptions, type ForwardOptions, type Model, type ModelConfig, type ModelInputs } from '../nn/model.js';
import { attributeGroups } from './constraints.js';
import { projectEcp } from './ecp.js';
import { projectEer } from './eer.js';
import { projectFair } from './project.js';

export const CONSTRAINT_KINDS = ['intersection', 'marginal'] as const;
export type ConstraintKind = (typeof CONSTRAINT_KINDS)[number];

/** One sensitive attribute seen through the intersectional ids: the index of its value in each group. */
export interface MarginalAttribute {
  attribute: string;
  /** valueOf[g]: the attribute's value index in intersectional group g. */
  valueOf: number[];
  nValues: number;
}

export interface ProjectedModelConfig extends ModelConfig {
  kind: 'fair-projection';
  base: ModelConfig;
  nGroups: number;
  /** The largest allowed gap between group means of the logits. */
  epsilon: number;
  /** 'always' (the F-Layer: the training loss sees projected logits) or 'inference' (post-hoc projection). */
  during: 'always' | 'inference';
  /** Marginal constraints, one per attribute; absent (older folders too): the intersectional groups. */
  marginal?: MarginalAttribute[];
  /** Regression: EER (|mean_g(output − target)| ≤ ε per group, per attribute when marginal) instead of ECP. */
  eer?: true;
  /** Every output in [lower, upper] (output units: standardised targets for regression). */
  box?: { lower: number; upper: number };
}

type ProjectionSettings = Pick<ProjectedModelConfig, 'nGroups' | 'epsilon' | 'marginal' | 'eer' | 'box'>;

/** The marginal view of a group index: for each attribute, its values (in order of first use) per group. */
export function marginalAttributes(groups: Pick<GroupIndex, 'attributes' | 'values'>): MarginalAttribute[] {
  return groups.attributes.map((attribute) => {
    const values: string[] = [];
    const valueOf = groups.values.map((record) => {
      const value = record[attribute];
      if (value === undefined) throw new FairkitError(`a group has no value for the sensitive attribute '${attribute}'`, { where: 'fair projection' });
      if (!values.includes(value)) values.push(value);
      return values.indexOf(value);
    });
    return { attribute, valueOf, nValues: values.length };
  });
}

/**
 * Projects raw outputs of one batch as `config` says (its groups: the batch's intersectional ids; targets: the
 * batch's targets on the output scale, which EER needs and which only training and a labelled audit have).
 */
export function projectBatch(raw: tf.Tensor, groups: Int32Array, config: ProjectionSettings, targets?: ArrayLike<number>): tf.Tensor {
  const { nGroups, epsilon, marginal, eer, box } = config;
  for (const g of groups) if (!(g < nGroups)) throw new FairkitError(`group id ${g} is out of range for ${nGroups} groups`, { where: 'fair projection' });
  const attributes = attributeGroups(groups, nGroups, marginal);
  if (eer) {
    if (targets === undefined) return box ? projectFair(raw, { epsilon, box }) : raw.clone();
    if (!box && attributes.length === 1) return projectEer(raw, targets, groups, nGroups, epsilon);
    return projectFair(raw, { epsilon, eer: { attributes, targets: Float64Array.from(targets) }, ...(box ? { box } : {}) });
  }
  if (!box && !marginal) return projectEcp(raw, groups, nGroups, epsilon);
  return projectFair(raw, { epsilon, ecp: attributes, ...(box ? { box } : {}) });
}

/** Wraps `base` (which it then owns) with the projection. */
export function withProjection(base: Model, settings: ProjectionSettings & Pick<ProjectedModelConfig, 'during'>): Model<ProjectedModelConfig> {
  const where = 'fair projection';
  if (base.config.outputDim !== 1) throw new FairkitError(`the projection takes a model with one output, got ${base.config.outputDim}`, { where });
  if (!(settings.epsilon >= 0) || !Number.isFinite(settings.epsilon)) throw new FairkitError(`epsilon must be a finite number ≥ 0, got ${settings.epsilon}`, { where });
  if (!Number.isInteger(settings.nGroups) || settings.nGroups < 1) throw new FairkitError(`nGroups must be a positive integer, got ${settings.nGroups}`, { where });
  const { nGroups, epsilon, during, marginal, eer, box } = settings;
  if (box && !(Number.isFinite(box.lower) && Number.isFinite(box.upper) && box.lower < box.upper)) {
    throw new FairkitError(`the box needs finite lower < upper, got [${box.lower}, ${box.upper}]`, { where });
  }
  for (const attr of marginal ?? []) {
    if (attr.valueOf.length !== nGroups || attr.valueOf.some((v) => !(Number.isInteger(v) && v >= 0 && v < attr.nValues))) {
      throw new FairkitError(`the marginal constraint of '${attr.attribute}' needs a value index in [0, ${attr.nValues}) for each of the ${nGroups} groups`, { where });
    }
  }
  const config: ProjectedModelConfig = { kind: 'fair-projection', inputDim: base.config.inputDim, outputDim: 1, base: base.config, nGroups, epsilon, during, ...(marginal ? { marginal } : {}), ...(eer ? { eer } : {}), ...(box ? { box } : {}) };
  return new ProjectedModel(config, base);
}

class ProjectedModel implements Model<ProjectedModelConfig> {
  constructor(
    readonly config: ProjectedModelConfig,
    private readonly base: Model,
  ) {}

  get weights() {
    return this.base.weights;
  }

  get variables() {
    return this.base.variables;
  }

  forward(inputs: ModelInputs, options: ForwardOptions = {}): { logits: tf.Tensor2D; raw: tf.Tensor2D } {
    const raw = this.base.forward(inputs, options).logits;
    const project = inputs.groups !== undefined && (this.config.during === 'always' || options.training !== true);
    const logits = project ? (projectBatch(raw, inputs.groups!, this.config, inputs.targets) as tf.Tensor2D) : raw;
    return { logits, raw };
  }

  apply(x: tf.Tensor2D, options: ApplyOptions = {}): tf.Tensor2D {
    return this.forward(inputsOf(x, options), options).logits;
  }

  /** The projection acts on the outputs only, so the last hidden layer is the base model's (absent if it has none). */
  get lastHidden(): Model['lastHidden'] {
    return this.base.lastHidden?.bind(this.base);
  }

  get lastHiddenUnits(): number | undefined {
    return this.base.lastHiddenUnits;
  }

  get lastHiddenNeedsGroups(): boolean | undefined {
    return this.base.lastHiddenNeedsGroups;
  }

  dispose(): void {
    this.base.dispose();
  }
}

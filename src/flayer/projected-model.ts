/**
 * A model whose logits are projected onto the ECP constraint set of each forward batch (model kind
 * 'fair-projection'): the F-Layer (projection in training and at inference) and post-hoc projection (at inference
 * only). The base model's `logits` stay available as the `raw` head. A batch without group ids is not projected: the
 * constraint is defined on the groups of the rows in the batch, so the result depends on the batch (and its size).
 *
 * The rows' group ids are intersectional (one id per combination of the sensitive attributes' values). The
 * constraint is either on those groups (every pair of intersectional groups' means within ε: the closed form of
 * ecp.ts) or marginal (for each attribute separately, every pair of its values' means within ε, as in the paper's
 * loan study: the Dykstra + active-set solver of project.ts). With one attribute the two coincide.
 */
import type * as tf from '@tensorflow/tfjs';
import type { GroupIndex } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { inputsOf, type ApplyOptions, type ForwardOptions, type Model, type ModelConfig, type ModelInputs } from '../nn/model.js';
import type { AttributeGroups } from './constraints.js';
import { projectEcp } from './ecp.js';
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
}

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

/** Projects raw outputs of one batch as `config` says (its groups: the batch's intersectional ids). */
export function projectBatch(raw: tf.Tensor, groups: Int32Array, config: Pick<ProjectedModelConfig, 'nGroups' | 'epsilon' | 'marginal'>): tf.Tensor {
  if (config.marginal === undefined) return projectEcp(raw, groups, config.nGroups, config.epsilon);
  for (const g of groups) if (!(g >= 0 && g < config.nGroups)) throw new FairkitError(`group id ${g} is out of range for ${config.nGroups} groups`, { where: 'fair projection' });
  const ecp: AttributeGroups[] = config.marginal.map(({ valueOf, nValues }) => ({ groups: Int32Array.from(groups, (g) => valueOf[g]), nGroups: nValues }));
  return projectFair(raw, { epsilon: config.epsilon, ecp });
}

/** Wraps `base` (which it then owns) with the projection. */
export function withProjection(base: Model, settings: Pick<ProjectedModelConfig, 'nGroups' | 'epsilon' | 'during' | 'marginal'>): Model<ProjectedModelConfig> {
  const where = 'fair projection';
  if (base.config.outputDim !== 1) throw new FairkitError(`the projection takes a model with one output, got ${base.config.outputDim}`, { where });
  if (!(settings.epsilon >= 0) || !Number.isFinite(settings.epsilon)) throw new FairkitError(`epsilon must be a finite number ≥ 0, got ${settings.epsilon}`, { where });
  if (!Number.isInteger(settings.nGroups) || settings.nGroups < 1) throw new FairkitError(`nGroups must be a positive integer, got ${settings.nGroups}`, { where });
  const { nGroups, epsilon, during, marginal } = settings;
  for (const attr of marginal ?? []) {
    if (attr.valueOf.length !== nGroups || attr.valueOf.some((v) => !(Number.isInteger(v) && v >= 0 && v < attr.nValues))) {
      throw new FairkitError(`the marginal constraint of '${attr.attribute}' needs a value index in [0, ${attr.nValues}) for each of the ${nGroups} groups`, { where });
    }
  }
  const config: ProjectedModelConfig = { kind: 'fair-projection', inputDim: base.config.inputDim, outputDim: 1, base: base.config, nGroups, epsilon, during, ...(marginal ? { marginal } : {}) };
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
    const logits = project ? (projectBatch(raw, inputs.groups!, this.config) as tf.Tensor2D) : raw;
    return { logits, raw };
  }

  apply(x: tf.Tensor2D, options: ApplyOptions = {}): tf.Tensor2D {
    return this.forward(inputsOf(x, options), options).logits;
  }

  dispose(): void {
    this.base.dispose();
  }
}

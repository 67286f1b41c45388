/**
 * A model whose logits are projected onto the ECP constraint set of each forward batch (model kind
 * 'fair-projection'): the F-Layer (projection in training and at inference) and post-hoc projection (at inference
 * only). The base model's `logits` stay available as the `raw` head. A batch without group ids is not projected: the
 * constraint is defined on the groups of the rows in the batch, so the result depends on the batch (and its size).
 */
import type * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { inputsOf, type ApplyOptions, type ForwardOptions, type Model, type ModelConfig, type ModelInputs } from '../nn/model.js';
import { projectEcp } from './ecp.js';

export interface ProjectedModelConfig extends ModelConfig {
  kind: 'fair-projection';
  base: ModelConfig;
  nGroups: number;
  /** The largest allowed gap between group means of the logits. */
  epsilon: number;
  /** 'always' (the F-Layer: the training loss sees projected logits) or 'inference' (post-hoc projection). */
  during: 'always' | 'inference';
}

/** Wraps `base` (which it then owns) with the projection. */
export function withProjection(base: Model, settings: Pick<ProjectedModelConfig, 'nGroups' | 'epsilon' | 'during'>): Model<ProjectedModelConfig> {
  const where = 'fair projection';
  if (base.config.outputDim !== 1) throw new FairkitError(`the projection takes a model with one output, got ${base.config.outputDim}`, { where });
  if (!(settings.epsilon >= 0) || !Number.isFinite(settings.epsilon)) throw new FairkitError(`epsilon must be a finite number ≥ 0, got ${settings.epsilon}`, { where });
  if (!Number.isInteger(settings.nGroups) || settings.nGroups < 1) throw new FairkitError(`nGroups must be a positive integer, got ${settings.nGroups}`, { where });
  const { nGroups, epsilon, during } = settings;
  const config: ProjectedModelConfig = { kind: 'fair-projection', inputDim: base.config.inputDim, outputDim: 1, base: base.config, nGroups, epsilon, during };
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
    const logits = project ? (projectEcp(raw, inputs.groups!, this.config.nGroups, this.config.epsilon) as tf.Tensor2D) : raw;
    return { logits, raw };
  }

  apply(x: tf.Tensor2D, options: ApplyOptions = {}): tf.Tensor2D {
    return this.forward(inputsOf(x, options), options).logits;
  }

  dispose(): void {
    this.base.dispose();
  }
}

/**
 * Model kinds by name: how a saved config (with its weights) becomes a model again. Save/load and prediction
 * never switch on kinds; a new kind is one `registerModelKind` call.
 */
import { FairkitError } from '../errors.js';
import { withProjection, type ProjectedModelConfig } from '../flayer/projected-model.js';
import { createMedlModel, type MedlModelConfig } from '../medl/mixed-effects-model.js';
import { createPatchCnn, type PatchCnnArchitecture } from './cnn.js';
import { createGroupMixNormMlp, type GroupMixNormMlpArchitecture } from './group-mix-norm-mlp.js';
import { buildMlp, createMlp, type MlpArchitecture } from './mlp.js';
import type { Model, ModelConfig } from './model.js';

export interface ModelKind<C extends ModelConfig = ModelConfig> {
  kind: string;
  /** The model of `config`: with `arrays` (saved weights in `weights` order), or freshly initialised from its seed. */
  create(config: C, arrays?: Float32Array[]): Model;
}

const kinds = new Map<string, ModelKind<any>>([ // eslint-disable-line @typescript-eslint/no-explicit-any
  ['mlp', { kind: 'mlp', create: (config: MlpArchitecture, arrays?: Float32Array[]) => (arrays ? createMlp(config, arrays) : buildMlp(config)) }],
  ['groupmixnorm-mlp', { kind: 'groupmixnorm-mlp', create: (config: GroupMixNormMlpArchitecture, arrays?: Float32Array[]) => createGroupMixNormMlp(config, arrays) }],
  ['patch-cnn', { kind: 'patch-cnn', create: (config: PatchCnnArchitecture, arrays?: Float32Array[]) => createPatchCnn(config, arrays) }],
  ['fair-projection', { kind: 'fair-projection', create: (config: ProjectedModelConfig, arrays?: Float32Array[]) => withProjection(modelFromConfig(config.base, arrays), config) }],
  ['medl', { kind: 'medl', create: (config: MedlModelConfig, arrays?: Float32Array[]) => createMedlModel(config, arrays) }],
]);

export function registerModelKind<C extends ModelConfig>(kind: ModelKind<C>): void {
  if (kinds.has(kind.kind)) throw new FairkitError(`model kind '${kind.kind}' is already registered`);
  kinds.set(kind.kind, kind);
}

export function modelKinds(): string[] {
  return [...kinds.keys()];
}

/** Rebuilds a model from its config (and saved weights); an unknown kind is a clear error. */
export function modelFromConfig(config: ModelConfig, arrays?: Float32Array[]): Model {
  const kind = kinds.get(config?.kind);
  if (!kind) throw new FairkitError(`unknown model kind '${config?.kind}'`, { fix: `Known kinds: ${modelKinds().join(', ')}` });
  return kind.create(config, arrays);
}

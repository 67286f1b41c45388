/**
 * Whether a model's forward pass is buildMlp's own (not a wrapper's that reuses an MLP's config): methods that
 * replace part of that pass, or call it differently, by its known structure check it with this.
 */
import { buildMlp, type MlpArchitecture } from '../nn/mlp.js';
import type { Model } from '../nn/model.js';

let plainForward: Model['forward'] | undefined;

/** buildMlp's model with dropout 0: its forward pass is a fixed function of the weights and x alone. */
export function isPlainMlp(model: Model): model is Model<MlpArchitecture> {
  if (plainForward === undefined) {
    // Every buildMlp model shares its class's forward method; take it from a one-weight MLP built once.
    const probe = buildMlp({ inputDim: 1, hidden: [], activation: 'relu', seed: 0 });
    plainForward = probe.forward;
    probe.dispose();
  }
  return model.forward === plainForward && (model.config as Partial<MlpArchitecture>).dropout === 0;
}

/** A plain MLP with ReLU units and one output: the network the hand-written passes (gcm's cells, adversarial) compute. */
export function isPlainReluMlp(model: Model): model is Model<MlpArchitecture> {
  return isPlainMlp(model) && model.config.activation === 'relu' && model.config.outputDim === 1;
}

import { createMlp, type Mlp } from '../nn/mlp.js';
import type { SensitiveAttribute } from './adversaries.js';
import { createMedlModel, type MedlModel, type MedlModelConfig } from './mixed-effects-model.js';

/** The model config of a fixture case: a ReLU fixed-effects MLP and random effects for `nClusters` clusters. */
export function medlConfig(inputDim: number, hidden: number[], nClusters: number, priorSd: number, seen = Array.from({ length: nClusters }, (_, i) => i)): MedlModelConfig {
  return {
    kind: 'medl',
    inputDim,
    outputDim: 1,
    fixed: { kind: 'mlp', inputDim, hidden, activation: 'relu', dropout: 0, outputDim: 1, seed: 0 },
    randomEffects: { nClusters, seen, priorSd, meanInitSd: 0.1, scaleInit: [0.05, 0.1], seed: 0 },
  };
}

export function medlWithWeights(config: MedlModelConfig, arrays: number[][]): MedlModel {
  return createMedlModel(config, arrays.map((values) => new Float32Array(values)));
}

/** A ReLU MLP with given weights in `weights` order. */
export function reluMlp(inputDim: number, hidden: number[], outputDim: number, arrays: number[][]): Mlp {
  return createMlp({ kind: 'mlp', inputDim, hidden, activation: 'relu', dropout: 0, outputDim, seed: 0 }, arrays.map((values) => new Float32Array(values)));
}

/** Attributes whose values are given per row: each row is its own group, so valueOfGroup is the row's value. */
export function perRowAttributes(values: number[][], sizes: number[]): { attributes: SensitiveAttribute[]; groups: Int32Array } {
  const rows = values[0].length;
  return {
    groups: Int32Array.from({ length: rows }, (_, i) => i),
    attributes: values.map((column, a) => ({ name: `s${a}`, values: Array.from({ length: sizes[a] }, (_, k) => String(k)), valueOfGroup: Int32Array.from(column) })),
  };
}

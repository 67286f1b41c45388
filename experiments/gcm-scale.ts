/**
 * Size of GCM's matching loss on Adult or COMPAS for each weight selection, at initialisation and after erm training: the
 * λ that balances it against the task loss scales with 1 / this size (docs/methods/gcm.md, choosing λ).
 *
 * Run: node --import tsx experiments/gcm-scale.ts [--dataset adult|compas] [--epochs 5]
 */
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { prepareDataset } from '../src/data/prepare.js';
import { erm } from '../src/methods/erm.js';
import { gcmPenalty } from '../src/methods/gcm.js';
import { cellGradients, disposeCells, inferenceLogits, selectWeights, splitIntoCells } from '../src/methods/subgroup-gradients.js';
import { initBackend } from '../src/nn/backend.js';
import { buildMlp } from '../src/nn/mlp.js';
import type { Model } from '../src/nn/model.js';
import { makeBatch, disposeBatch } from '../src/train/batches.js';
import { fit } from '../src/train/fit.js';
import { loadSweepDataset } from './gcm-sweep.js';

const SELECTIONS = ['all', 'weight0', 'bias0', 'weight1', 'bias1', 'weight0+weight1'];

export async function gcmLossScale(argv: string[]): Promise<void> {
  const epochs = argv.includes('--epochs') ? Number(argv[argv.indexOf('--epochs') + 1]) : 5;
  await initBackend();
  const dataset = argv.includes('--dataset') ? argv[argv.indexOf('--dataset') + 1] : 'adult';
  const { train } = prepareDataset(await loadSweepDataset(dataset), { seed: 0 });
  console.log(`${dataset}: ${train.nRows} training rows, ${train.nFeatures} features`);
  const rows = Int32Array.from({ length: 2000 }, (_, i) => i);
  const report = (label: string, model: Model) => {
    const batch = makeBatch(train, rows, 0);
    const cells = splitIntoCells(batch, 2);
    const values = SELECTIONS.map((spec) => {
      const penalty = (T: number) => tf.tidy(() => gcmPenalty(cellGradients(cells, selectWeights(model, spec), inferenceLogits(model)), { T, mismatch: 'abs', reduction: 'sum' })!.dataSync()[0]);
      return `${spec} ${penalty(0).toExponential(2)} / ${penalty(2).toExponential(2)}`;
    });
    console.log(`${label}: L_fair (T=0 / T=2) on 2000 rows: ${values.join('; ')}`);
    disposeCells(cells);
    disposeBatch(batch);
  };
  const initial = buildMlp({ inputDim: train.nFeatures, hidden: [200], activation: 'relu', seed: 1 });
  report('initial weights', initial);
  initial.dispose();
  const fitted = fit({ method: erm, params: {}, train, options: { hidden: [200], epochs, seed: 0, progress: 'silent' } });
  report(`after ${epochs} erm epochs`, fitted.model);
  fitted.model.dispose();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await gcmLossScale(process.argv.slice(2));
}

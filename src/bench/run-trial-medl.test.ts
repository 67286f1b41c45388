import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTable } from '../data/csv.js';
import { prepareDataset } from '../data/prepare.js';
import type { EncodedDataset, LoadedDataset } from '../data/types.js';
import { initBackend } from '../nn/backend.js';
import { predictProba } from '../nn/predict.js';
import { trainAndEvaluate } from '../pipeline/train-and-evaluate.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { getProtocol } from './protocols.js';
import { runTrial } from './run-trial.js';
import { makeTrial, trialResultSchema } from './trial.js';

/** 360 rows: two numeric inputs, sensitive inputs s1 (A/B) and s2 (P/Q/R), 4 sites (the clusters), label y. */
function dataset(): LoadedDataset {
  const lines = ['x1,x2,s1,s2,site,y'];
  for (let i = 0; i < 360; i++) {
    const x1 = Math.sin(i * 1.7);
    const x2 = Math.cos(i * 0.9);
    const s1 = i % 3 === 0 ? 'A' : 'B';
    const s2 = ['P', 'Q', 'R'][(i * 7) % 3 === 0 ? 0 : i % 2 === 0 ? 1 : 2];
    const site = `site${i % 4}`;
    const y = x1 + 0.5 * x2 + (s1 === 'A' ? 0.4 : 0) + (site === 'site1' ? 0.3 : 0) > 0.2 ? 'yes' : 'no';
    lines.push([x1.toFixed(4), x2.toFixed(4), s1, s2, site, y].join(','));
  }
  return { name: 'fixture', table: parseTable(lines.join('\n')), spec: { target: 'y', positive: 'yes', sensitive: ['s1', 's2'], cluster: 'site', sensitiveAsFeature: true }, description: 'test fixture' };
}

const populationSd = (values: number[]) => {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
};

/** SD over the attribute's values of TPR and of FPR, from counts of the rows' decisions (p ≥ 0.5). */
function spreadsFromCounts(test: EncodedDataset, attribute: string, scores: Float32Array): { tprStd: number; fprStd: number } {
  const counts = new Map<string, { tp: number; p: number; fp: number; n: number }>();
  for (let row = 0; row < test.nRows; row++) {
    const value = test.groups.values[test.groups.ids[row]][attribute];
    const count = counts.get(value) ?? { tp: 0, p: 0, fp: 0, n: 0 };
    const decision = scores[row] >= 0.5;
    if (test.y[row] === 1) {
      count.p++;
      if (decision) count.tp++;
    } else {
      count.n++;
      if (decision) count.fp++;
    }
    counts.set(value, count);
  }
  const all = [...counts.values()];
  return { tprStd: populationSd(all.filter((c) => c.p > 0).map((c) => c.tp / c.p)), fprStd: populationSd(all.filter((c) => c.n > 0).map((c) => c.fp / c.n)) };
}

describe('a mixed-effects bench trial', async () => {
  await initBackend('wasm');

  test('reports each output\'s SD-TPR, SD-FPR per attribute and the flip rates of its own model, as counted here', () => {
    const data = dataset();
    const trial = makeTrial({ dataset: 'fixture', sensitive: ['s1', 's2'], protocol: 'gcm', method: 'medl', params: {}, seed: 0, fold: { index: 0, of: 3, clusterSplit: 'seen' }, training: { epochs: 2, batchSize: 64, hidden: [8] }, groups: 'marginal' });
    const result = trialResultSchema.parse(runTrial(trial, data));
    const medl = result.test.medl!;
    assert.ok(medl, 'test.medl is reported');

    // The same model again, as runTrial trains it (seeded, so identical), to count its decisions here.
    const protocol = getProtocol('gcm');
    const prepared = prepareDataset(protocol.adaptDataset(data), { seed: 0, split: (strata, clusters) => protocol.split(strata, trial, clusters), trainingGroups: 'marginal' });
    const options = { ...protocol.training(prepared.train.nRows), ...trial.training, seed: 0, progress: 'silent' } as TrainingOptionsInput;
    const { fitted } = trainAndEvaluate({ prepared, method: 'medl', params: {}, options });
    const { test: split } = prepared;
    try {
      const scoresOf = (X: Float32Array, head: string) => predictProba(fitted.model, { X, nRows: split.nRows, clusters: split.clusters }, { batchSize: 1024, head });
      const outputs = { fe: scoresOf(split.X, 'fe'), me: scoresOf(split.X, 'logits') };
      assert.notDeepEqual(Array.from(outputs.fe), Array.from(outputs.me), 'seen clusters: the random effects move the ME output');
      for (const output of ['fe', 'me'] as const) {
        assert.deepEqual(medl.outputs[output].spreads.map((s) => s.attribute), ['s1', 's2']);
        for (const spread of medl.outputs[output].spreads) {
          const counted = spreadsFromCounts(split, spread.attribute, outputs[output]);
          assert.ok(Math.abs(spread.tprStd! - counted.tprStd) < 1e-12, `${output} ${spread.attribute} SD-TPR ${spread.tprStd} vs ${counted.tprStd}`);
          assert.ok(Math.abs(spread.fprStd! - counted.fprStd) < 1e-12, `${output} ${spread.attribute} SD-FPR ${spread.fprStd} vs ${counted.fprStd}`);
        }
      }
      // s1's flip rate: every row moved to the other value (its one-hot pair swapped); a flip is a changed decision.
      const [a, b] = ['s1=A', 's1=B'].map((name) => split.featureNames.indexOf(name));
      const swapped = split.X.slice();
      for (let row = 0; row < split.nRows; row++) {
        const base = row * split.nFeatures;
        [swapped[base + a], swapped[base + b]] = [split.X[base + b], split.X[base + a]];
      }
      const s1 = medl.counterfactual.find((entry) => entry.attribute === 's1')!;
      for (const [output, head] of [['fe', 'fe'], ['me', 'logits']] as const) {
        const moved = scoresOf(swapped, head);
        const flips = outputs[output].reduce((count, p, row) => count + ((p >= 0.5) !== (moved[row] >= 0.5) ? 1 : 0), 0);
        assert.equal(s1.flipRate![output], flips / split.nRows, `${output} flip rate`);
      }
    } finally {
      fitted.model.dispose();
    }
  });
});

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import { generateRegressionSynthetic } from '../data/synthetic-regression.js';
import { FairkitError } from '../errors.js';
import { initBackend } from '../nn/backend.js';
import { fit } from '../train/fit.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { sensitiveAttributes } from './adversaries.js';
import { getMethod } from '../methods/registry.js';
import { fairDa, fairMedl, medl } from './methods.js';

const options: TrainingOptionsInput = { epochs: 1, batchSize: 200, learningRate: 0.01, hidden: [8], progress: 'silent', seed: 2 };
const refuses = (pattern: RegExp) => (error: unknown) => error instanceof FairkitError && pattern.test(error.message);

describe('medl, fair-medl and fair-da', () => {
  let clustered: PreparedSplits;
  let plain: PreparedSplits;
  before(async () => {
    await initBackend();
    const synthetic = generateSynthetic({ rows: 900, seed: 8 });
    const features = synthetic.spec.features!.filter((name) => name !== 'region');
    clustered = prepareDataset({ ...synthetic, spec: { ...synthetic.spec, sensitive: ['group', 'region'], features, cluster: 'region' } }, { seed: 8 });
    plain = prepareDataset(synthetic, { seed: 8 });
  });

  test("one fairness head per sensitive attribute, each over that attribute's values", () => {
    const attributes = sensitiveAttributes(clustered.train.groups);
    assert.deepEqual(attributes.map((a) => [a.name, a.values]), [['group', ['majority', 'minority']], ['region', ['east', 'north', 'south']]]);
    clustered.train.groups.values.forEach((value, g) => attributes.forEach((a) => assert.equal(a.values[a.valueOfGroup[g]], value[a.name])));
  });

  test('no cluster column, a single cluster, or rows without a cluster are refused before training, naming the method', () => {
    for (const method of ['medl', 'fair-medl', 'fair-da'].map(getMethod)) {
      assert.throws(() => fit({ method, params: {}, train: plain.train, options }), refuses(new RegExp(`method '${method.name}' needs cluster ids`)));
      const oneCluster = { ...clustered.train, clusters: new Int32Array(clustered.train.nRows) };
      assert.throws(() => fit({ method, params: {}, train: oneCluster, options }), refuses(new RegExp(`'${method.name}' needs at least two clusters`)));
      const unknown = { ...clustered.train, clusters: Int32Array.from(clustered.train.clusters!, (id, i) => (i === 5 ? -1 : id)) };
      assert.throws(() => fit({ method, params: {}, train: unknown, options }), refuses(/rows without a cluster id/));
    }
  });

  test('fair-da has no random effects: its mixed output is its fixed-effects output, and its log has no KL or ME adversary', () => {
    const result = fit({ method: fairDa, params: {}, train: clustered.train, options });
    assert.ok(result.model.weights.every((w) => w.name.startsWith('fe/')));
    assert.equal(result.history[0].losses!.kl, 0);
    assert.equal(result.history[0].losses!.fairME, 0);
    assert.ok(result.history[0].losses!.fairFE > 0);
    result.model.dispose();
  });

  test('medl has random effects and no fairness adversaries', () => {
    const result = fit({ method: medl, params: {}, train: clustered.train, options });
    assert.deepEqual(result.model.weights.filter((w) => w.name.startsWith('re/')).map((w) => w.variable.shape), [[3, clustered.train.nFeatures], [3, clustered.train.nFeatures], [3, 1], [3, 1]]);
    assert.ok(result.history[0].losses!.kl > 0);
    assert.equal(result.history[0].losses!.fairFE, 0);
    result.model.dispose();
  });

  test('fairness=abscorr trains fair-medl with the correlation penalty and no heads; ratioTerm with it is refused', () => {
    const result = fit({ method: fairMedl, params: { fairness: 'abscorr' }, train: clustered.train, options });
    const losses = result.history[0].losses!;
    // Two attributes × up to two label classes, each a mean of |corr| ≤ 1.
    for (const part of ['fairFE', 'fairME']) assert.ok(losses[part] > 0 && losses[part] <= 4, `${part} ${losses[part]}`);
    result.model.dispose();
    assert.throws(() => fit({ method: fairMedl, params: { fairness: 'abscorr', ratioTerm: true }, train: clustered.train, options }), refuses(/method 'fair-medl': ratioTerm divides by the adversaries' loss/));
    assert.throws(() => fit({ method: fairDa, params: { fairness: 'correlation' }, train: clustered.train, options }), /fairness/);
  });

  test('regression: fair-medl fits MSE per output with random effects,; both training MSEs fall', () => {
    const data = generateRegressionSynthetic({ rows: 600, seed: 5 });
    const site: (string | null)[] = Array.from({ length: data.table.nRows }, (_, i) => ['a', 'b', 'c'][i % 3]);
    const table = { ...data.table, names: [...data.table.names, 'site'], columns: new Map([...data.table.columns, ['site', { kind: 'categorical' as const, values: site }]]) };
    const { train } = prepareDataset({ ...data, table, spec: { ...data.spec, cluster: 'site' } }, { seed: 5 });
    const result = fit({ method: fairMedl, params: {}, train, options: { ...options, epochs: 3 } });
    const [first, last] = [result.history[0].losses!, result.history[2].losses!];
    // The standardised target has variance 1: MSE starts near it and falls; the heads read (ŷ, t).
    assert.ok(last.fixed < first.fixed && last.mixed < first.mixed, `${first.fixed} → ${last.fixed}`);
    assert.ok(first.fairFE > 0 && first.kl > 0);
    result.model.dispose();
  });
});

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import { FairkitError } from '../errors.js';
import { evaluate } from '../metrics/compute.js';
import { initBackend } from '../nn/backend.js';
import { fit } from '../train/fit.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { eor } from './eor.js';
import { erm } from './erm.js';
import type { Method } from '../train/method.js';
import { listMethods } from './registry.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../nn/predict.js';

const quick: TrainingOptionsInput = { epochs: 2, batchSize: 300, learningRate: 0.01, hidden: [16], progress: 'silent', seed: 3 };

/** Trains, returns per-epoch tensor counts, and checks the count is back to its start once the model is disposed. */
function fitWithoutLeaks(method: Method, params: Record<string, unknown>, data: PreparedSplits): { counts: number[]; losses: number[] } {
  const start = tf.memory().numTensors;
  const counts: number[] = [];
  const result = fit({ method, params, train: data.train, options: quick, callbacks: [{ onEpochEnd: () => counts.push(tf.memory().numTensors) }] });
  result.model.dispose();
  assert.equal(tf.memory().numTensors, start, `${method.name}: tensors left after fit and model.dispose()`);
  return { counts, losses: result.history.map((h) => h.loss) };
}

describe('every baseline trains through fit()', () => {
  let binary: PreparedSplits;
  let intersectional: PreparedSplits;
  before(async () => {
    await initBackend();
    const dataset = generateSynthetic({ rows: 3000, seed: 11 });
    // Four sites as clusters, for the mixed-effects methods (the others ignore cluster ids).
    dataset.table.names.push('site');
    dataset.table.columns.set('site', { kind: 'categorical', values: Array.from({ length: dataset.table.nRows }, (_, i) => `site${i % 4}`) });
    dataset.spec = { ...dataset.spec, cluster: 'site' };
    binary = prepareDataset(dataset, { seed: 11 });
    intersectional = prepareDataset({ ...dataset, spec: { ...dataset.spec, sensitive: ['group', 'region'] } }, { seed: 11 });
  });

  for (const method of listMethods()) {
    test(`${method.name}: finite losses and a flat tensor count, with two groups and with six intersectional groups`, () => {
      assert.equal(intersectional.train.groups.keys.length, 6);
      for (const data of [binary, intersectional]) {
        const { counts, losses } = fitWithoutLeaks(method, {}, data);
        assert.equal(new Set(counts).size, 1, `${method.name}: per-epoch tensor counts ${counts}`);
        assert.ok(losses.every(Number.isFinite), `${method.name}: losses ${losses}`);
      }
    });
  }

  test('the dp forms train and leak nothing either', () => {
    // The methods with an eo/dp form (penalty's `form` is abs/squared, covered by the strength test above).
    const withDp = listMethods().filter((m) => m.params.safeParse({ form: 'dp' }).success);
    assert.ok(withDp.length >= 2, withDp.map((m) => m.name).join());
    for (const method of withDp) fitWithoutLeaks(method, { form: 'dp' }, intersectional);
  });

  test('eor with a large lambda shrinks the equalised-odds gap that erm leaves (same seed), without collapsing', (t) => {
    const options: TrainingOptionsInput = { ...quick, epochs: 8, batchSize: 200 };
    const outcome = <P extends Record<string, unknown>>(method: Method<P>, params: Record<string, unknown>) => {
      const result = fit({ method, params, train: binary.train, options });
      const reportOn = (split: PreparedSplits['train']) =>
        evaluate({ yTrue: split.y, scores: predictProba(result.model, { X: split.X, nRows: split.nRows }, { batchSize: DEFAULT_PREDICT_BATCH }), groupIds: split.groups.ids, groups: split.groups });
      const [train, test] = [reportOn(binary.train), reportOn(binary.test)];
      result.model.dispose();
      return { train: train.fairness.equalizedOddsSum!, test: test.fairness.equalizedOddsSum!, selection: test.overall.selectionRate!, ap: test.overall.ap! };
    };
    const [plain, regularised] = [outcome(erm, {}), outcome(eor, { lambda: 2 })];
    t.diagnostic(`ΔEO sum train/test: erm ${plain.train.toFixed(3)}/${plain.test.toFixed(3)}, eor λ=2 ${regularised.train.toFixed(3)}/${regularised.test.toFixed(3)}`);
    assert.ok(regularised.train < 0.5 * plain.train, `train: eor ${regularised.train} vs erm ${plain.train}`);
    assert.ok(regularised.test < plain.test, `test: eor ${regularised.test} vs erm ${plain.test}`);
    // A soft-gap penalty can also be met by predicting (almost) nobody positive; rule that out.
    assert.ok(regularised.selection > 0.2 && regularised.ap > plain.ap - 0.03, `selection ${regularised.selection}, AP ${regularised.ap} vs ${plain.ap}`);
  });

  test('methods that compare groups refuse a sensitive attribute with a single value', () => {
    const oneGroup = { ...binary.train, groups: { ...binary.train.groups, keys: ['all'], values: [{}], ids: new Int32Array(binary.train.nRows) } };
    for (const method of listMethods().filter((m) => m.check)) {
      assert.throws(() => fit({ method, params: {}, train: oneGroup, options: quick }), (error: unknown) => error instanceof FairkitError && error.message.includes(`'${method.name}' needs at least two groups`));
    }
  });
});

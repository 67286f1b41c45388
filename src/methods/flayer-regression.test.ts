import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import { fLayerRegressionDataset } from '../data/synthetic-regression.js';
import type { EncodedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { fairPredict } from '../flayer/fair-predict.js';
import { largestGap } from '../flayer/fair-inference.js';
import { initBackend } from '../nn/backend.js';
import type { Model, ModelConfig } from '../nn/model.js';
import { modelFromConfig } from '../nn/model-kinds.js';
import { fit } from '../train/fit.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { erm } from './erm.js';
import { flayer, projection } from './flayer.js';
import { residualPenalty, strictPenalty } from './penalty.js';

const options: TrainingOptionsInput = { epochs: 3, batchSize: 250, learningRate: 0.03, hidden: [16], progress: 'silent', seed: 3 };
const EPSILON = 0.05;

/** Per group, the mean of output − target (both on the model's standardised scale). */
function residualMeans(outputs: ArrayLike<number>, targets: ArrayLike<number>, groups: Int32Array, nGroups: number): number[] {
  const sums = new Array<number>(nGroups).fill(0);
  const counts = new Array<number>(nGroups).fill(0);
  groups.forEach((g, i) => {
    sums[g] += outputs[i] - targets[i];
    counts[g]++;
  });
  return sums.map((s, g) => s / counts[g]);
}

function outputsOn(model: Model, data: EncodedDataset, withTargets: boolean): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor2d(data.X, [data.nRows, data.nFeatures]);
    return model.forward({ x, groups: data.groups.ids, ...(withTargets ? { targets: data.targets } : {}) }).logits.dataSync() as Float32Array;
  });
}

describe('flayer, projection and strict-penalty on a regression task (EER, box)', () => {
  let data: PreparedSplits;
  before(async () => {
    await initBackend();
    // Data set 0 of the paper's grid (group bias ±3, 20 % in group 1), reduced to 2,500 rows and 20 features.
    data = prepareDataset(fLayerRegressionDataset(0, { rows: 2500, features: 20 }), { seed: 3 });
  });

  test('a trained EER flayer meets |mean residual| ≤ ε on a labelled batch, and is only boxed without labels', () => {
    const trained = fit({ method: flayer, params: { constraint: 'eer', epsilon: EPSILON, box: '-3.5:3.5' }, train: data.train, options });
    assert.ok(trained.history.every((h) => Number.isFinite(h.loss)));
    const { test: split } = data;
    const nGroups = split.groups.keys.length;
    const raw = tf.tidy(() => trained.model.forward({ x: tf.tensor2d(split.X, [split.nRows, split.nFeatures]), groups: split.groups.ids }).raw.dataSync());
    const rawResiduals = residualMeans(raw, split.targets!, split.groups.ids, nGroups);
    const audited = outputsOn(trained.model, split, true);
    const residuals = residualMeans(audited, split.targets!, split.groups.ids, nGroups);
    for (const r of residuals) assert.ok(Math.abs(r) <= EPSILON + 1e-5, `group mean residual ${r} (raw ${rawResiduals.join(', ')})`);
    assert.ok(audited.every((v) => v >= -3.5 - 1e-6 && v <= 3.5 + 1e-6));
    // Without targets (prediction) the layer can only apply the box: the raw outputs clipped.
    const predicted = outputsOn(trained.model, split, false);
    assert.deepEqual(Array.from(predicted), Array.from(raw, (v) => Math.min(3.5, Math.max(-3.5, v))));
    // fairPredict does the same; with the targets (a labelled audit) it projects each batch exactly.
    const rows = { X: split.X, nRows: split.nRows, groups: split.groups.ids };
    const unlabelled = fairPredict(trained.model, rows, { batchSize: 128 });
    assert.ok(Array.from(unlabelled.outputs).every((v, i) => Math.abs(v - predicted[i]) <= 1e-6));
    const labelled = fairPredict(trained.model, rows, { batchSize: split.nRows, targets: split.targets! });
    for (const r of residualMeans(labelled.outputs, split.targets!, split.groups.ids, nGroups)) assert.ok(Math.abs(r) <= EPSILON + 1e-9, `audit residual ${r}`);
    // The config (eer, box) is what a model folder saves: rebuilt from it, the model projects the same way.
    const config = JSON.parse(JSON.stringify(trained.model.config)) as ModelConfig;
    assert.deepEqual([(config as { eer?: boolean }).eer, (config as { box?: unknown }).box], [true, { lower: -3.5, upper: 3.5 }]);
    const rebuilt = modelFromConfig(config, trained.model.weights.map((w) => w.variable.dataSync() as Float32Array));
    assert.deepEqual(Array.from(outputsOn(rebuilt, split, true)), Array.from(audited));
    rebuilt.dispose();
    trained.model.dispose();
  });

  test('ECP with a box: the whole test split predicted as one batch has a mean-output gap ≤ ε inside the box; small batches stream with the box', () => {
    const trained = fit({ method: projection, params: { epsilon: EPSILON, box: '-1:1.5' }, train: data.train, options });
    const { test: split } = data;
    const rows = { X: split.X, nRows: split.nRows, groups: split.groups.ids };
    const whole = fairPredict(trained.model, rows, { batchSize: split.nRows, threshold: split.nRows });
    assert.equal(whole.exactBatches, 1);
    assert.ok(largestGap(whole.outputs, split.groups.ids, 2) <= EPSILON + 1e-9, `gap ${largestGap(whole.outputs, split.groups.ids, 2)}`);
    assert.ok(whole.outputs.every((v) => v >= -1 && v <= 1.5));
    const streamed = fairPredict(trained.model, rows, { batchSize: 16, threshold: 1000 });
    assert.ok(streamed.streamedBatches > 0 && streamed.stream!.box![0] === -1 && streamed.stream!.box![1] === 1.5);
    assert.ok(streamed.outputs.every((v) => v >= -1 && v <= 1.5));
    trained.model.dispose();
  });

  test('strict-penalty with constraint=eer: the penalty is Σ_g |mean residual|, and training shrinks the residual gaps', () => {
    const groups = Int32Array.of(0, 0, 1, 1, 1);
    const value = tf.tidy(() => residualPenalty(tf.tensor2d([1, 2, 0, 0, 3], [5, 1]), tf.tensor1d([0, 0, 1, 1, 1]), groups, 3).dataSync()[0]);
    assert.ok(Math.abs(value - (1.5 + 0)) < 1e-6, `penalty ${value}`);
    const { test: split } = data;
    const worstResidual = (model: Model) => Math.max(...residualMeans(outputsOn(model, split, false), split.targets!, split.groups.ids, 2).map(Math.abs));
    const plain = fit({ method: erm, params: {}, train: data.train, options });
    const trained = fit({ method: strictPenalty, params: { constraint: 'eer', lambda: 100 }, train: data.train, options });
    assert.ok(worstResidual(trained.model) < worstResidual(plain.model) / 2, `erm ${worstResidual(plain.model)}, strict-penalty ${worstResidual(trained.model)}`);
    plain.model.dispose();
    trained.model.dispose();
  });

  test('bad combinations are refused before training, naming the parameter', () => {
    const classification = prepareDataset(generateSynthetic({ rows: 300, seed: 1 }), { seed: 1 });
    const refuses = (method: typeof flayer | typeof strictPenalty, params: Record<string, unknown>, train: EncodedDataset, pattern: RegExp) =>
      assert.throws(() => fit({ method: method as typeof flayer, params: params as never, train, options }), (e: unknown) => e instanceof FairkitError && pattern.test(e.message), JSON.stringify(params));
    refuses(flayer, { constraint: 'eer' }, classification.train, /constraint=eer .* needs a regression task/);
    refuses(projection, { box: '0:1' }, classification.train, /box bounds regression outputs/);
    refuses(strictPenalty, { constraint: 'eer' }, classification.train, /constraint=eer .* needs a regression task/);
    const threeGroups = { ...data.train, groups: { ...data.train.groups, keys: ['0', '1', '2'] } };
    assert.throws(() => flayer.check!(threeGroups, flayer.params.parse({ box: '0:1' })), /a box with equal mean outputs \(ECP\) needs exactly two groups, got 3/);
    flayer.check!(threeGroups, flayer.params.parse({ box: '0:1', constraint: 'eer' })); // EER with a box has no stream: any number of groups
    for (const box of ['3:1', '1:1', 'a:b', '0:1:2', ':1']) refuses(flayer, { box }, data.train, /box must be 'lower:upper' with finite numbers lower < upper/);
  });
});

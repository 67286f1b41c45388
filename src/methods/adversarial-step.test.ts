/**
 * The adversarial method's own step (one forward pass, the adversary on the host) against the formulation it
 * replaced, kept here as the reference: the adversary a TensorFlow.js MLP trained by the loop as a player, and the
 * predictor's two gradients taken by TensorFlow.js's autodiff, each over its own forward pass.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { prepareDataset } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import type { EncodedDataset } from '../data/types.js';
import { initBackend } from '../nn/backend.js';
import { bceWithLogits } from '../nn/losses.js';
import { buildMlp, type Mlp } from '../nn/mlp.js';
import type { ModelOutputs } from '../nn/model.js';
import { relativeError } from '../nn/relative-error.test-helper.js';
import { fit } from '../train/fit.js';
import type { LossRecord, Method, Player, TrainBatch } from '../train/method.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { adversarial, type AdversarialParams } from './adversarial.js';
import type { AdversarialStep } from './adversarial-step.js';
import { projectedPredictorGradient } from './projected-gradient.test-helper.js';

/** The reference: the adversary as a TensorFlow.js player of the loop (the method's code before its own step). */
class ReferenceAdversary implements Player {
  readonly name = 'adversary';
  readonly variables: tf.Variable[];
  readonly optimizer: Player['optimizer'];
  readonly steps: number;
  private readonly net: Mlp;
  private readonly sharpness: tf.Variable;

  constructor(private readonly params: AdversarialParams, private readonly nGroups: number, seed: number) {
    const hidden = params.adversaryHidden > 0 ? [params.adversaryHidden] : [];
    this.net = buildMlp({ inputDim: params.form === 'eo' ? 4 : 1, hidden, activation: 'relu', outputDim: nGroups === 2 ? 1 : nGroups, seed });
    const initial = tf.scalar(0);
    this.sharpness = tf.variable(initial, true);
    initial.dispose();
    this.variables = [...this.net.variables, this.sharpness];
    this.optimizer = { kind: 'adam', learningRate: params.adversaryLearningRate };
    this.steps = params.adversarySteps;
  }

  loss({ logits }: ModelOutputs, batch: TrainBatch): tf.Scalar {
    return tf.tidy(() => {
      const targets = this.nGroups === 2 ? tf.tensor1d(Float32Array.from(batch.groups)) : tf.oneHot(tf.tensor1d(batch.groups, 'int32'), this.nGroups).toFloat();
      const s = tf.sigmoid(tf.mul(tf.add(1, tf.abs(this.sharpness)), logits));
      const output = this.net.apply((this.params.form === 'eo' ? eoInput(s, batch.labels) : s) as tf.Tensor2D);
      if (this.nGroups === 2) return bceWithLogits(output, targets);
      return tf.mean(tf.sub(tf.logSumExp(output, 1), tf.sum(tf.mul(output, targets), 1)));
    });
  }

  dispose(): void {
    this.net.dispose();
    this.sharpness.dispose();
  }
}

function eoInput(s: tf.Tensor, labels: Uint8Array): tf.Tensor2D {
  const y = tf.tensor2d(Float32Array.from(labels), [labels.length, 1]);
  return tf.concat([s, tf.mul(s, y), tf.mul(s, tf.sub(1, y)), y], 1) as tf.Tensor2D;
}

const reference: Method<AdversarialParams> = {
  ...adversarial,
  step: undefined,
  players: ({ params, nGroups, rng }) => [new ReferenceAdversary(params, nGroups, rng.int(0x7fffffff))],
  combine: (gradients, params) => projectedPredictorGradient(gradients.task, gradients.players.adversary, params.lambda),
};

/** The method under test, with its step captured so that the adversary's weights can be read. */
function capturing(): { method: Method<AdversarialParams>; adversaryWeights: () => Float32Array[] } {
  let step: AdversarialStep | undefined;
  const method: Method<AdversarialParams> = { ...adversarial, step: (context) => (step = adversarial.step!(context) as AdversarialStep) };
  return { method, adversaryWeights: () => step!.adversary.weights.map((w) => w.slice()) };
}

const RATE = 1000;
const values = (variables: tf.Variable[]) => variables.map((v) => v.dataSync().slice() as Float32Array);
const flat = (arrays: ArrayLike<number>[]) => Float64Array.from(arrays.flatMap((a) => Array.from(a)));
const difference = (from: Float32Array[], to: Float32Array[], scale = 1) => from.map((a, i) => Float64Array.from(a, (v, j) => (v - to[i][j]) / scale));

interface OneStep {
  /** (old − new) / RATE of the main network's weights after one SGD step: its direction. */
  main: Float64Array;
  /** The adversary's weights after its Adam steps minus before. */
  adversary: Float64Array;
  record: LossRecord;
}

function oneStep(which: 'reference' | 'step', train: EncodedDataset, params: Partial<AdversarialParams>, model: TrainingOptionsInput): OneStep {
  const probe = capturing();
  const method = which === 'reference' ? reference : probe.method;
  let initial: Float32Array[] = [];
  let final: Float32Array[] = [];
  let adversaryInitial: Float32Array[] = [];
  let record: LossRecord | undefined;
  const result = fit({
    method, params, train,
    options: { ...model, epochs: 1, batchSize: train.nRows, optimizer: 'sgd', learningRate: RATE, progress: 'silent' },
    callbacks: [{
      onTrainBegin: (run) => {
        initial = values(run.model.variables);
        adversaryInitial = which === 'reference' ? values(run.playerVariables) : probe.adversaryWeights();
      },
      onBatchEnd: (losses) => (record = losses),
      onTrainEnd: (run) => (final = values([...run.model.variables, ...run.playerVariables])),
    }],
  });
  result.model.dispose();
  const nMain = initial.length;
  const adversaryFinal = which === 'reference' ? final.slice(nMain) : probe.adversaryWeights();
  return { main: flat(difference(initial, final.slice(0, nMain), RATE)), adversary: flat(difference(adversaryFinal, adversaryInitial)), record: record! };
}

function lossCurve(method: Method<AdversarialParams>, train: EncodedDataset, params: Partial<AdversarialParams>, model: TrainingOptionsInput): LossRecord[] {
  const records: LossRecord[] = [];
  const result = fit({ method, params, train, options: { ...model, epochs: 1, batchSize: Math.ceil(train.nRows / 5), learningRate: 0.01, progress: 'silent' }, callbacks: [{ onBatchEnd: (r) => records.push(r) }] });
  result.model.dispose();
  return records;
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('adversarial: its step equals the TensorFlow.js player formulation', () => {
  let twoGroups: EncodedDataset;
  let sixGroups: EncodedDataset;
  before(async () => {
    await initBackend('wasm');
    const synthetic = generateSynthetic({ rows: 400, seed: 17 });
    twoGroups = prepareDataset(synthetic, { seed: 17 }).train;
    sixGroups = prepareDataset({ ...synthetic, spec: { ...synthetic.spec, sensitive: ['group', 'region'] } }, { seed: 17 }).train;
  });

  // `mainBound`: with λ = 0 and the dp form the update is float32-sensitive in the reference itself: its two runs with
  // TensorFlow.js's and fairkit's matMul kernel differ by 3.3e-7, and the host adversary's float64 gradients put this
  // step at 0.9e-6 (TF.js kernel) to 1.2e-6 (fast kernel) from it; every other case is below 2e-7.
  const cases: { name: string; data: () => EncodedDataset; params: Partial<AdversarialParams>; model: TrainingOptionsInput; mainBound?: number }[] = [
    { name: 'eo, two groups, ReLU MLP (the recorded forward pass)', data: () => twoGroups, params: {}, model: { hidden: [16, 9], seed: 7 } },
    { name: 'dp, two groups, λ = 0', data: () => twoGroups, params: { form: 'dp', lambda: 0 }, model: { hidden: [16, 9], seed: 3 }, mainBound: 2e-6 },
    { name: 'eo, six groups (softmax adversary), linear adversary', data: () => sixGroups, params: { adversaryHidden: 0 }, model: { hidden: [12], seed: 5 } },
    { name: 'eo, six groups, tanh MLP with dropout (autodiff path)', data: () => sixGroups, params: { adversarySteps: 3 }, model: { hidden: [16, 9], activation: 'tanh', dropout: 0.2, seed: 7 } },
  ];

  for (const { name, data, params, model, mainBound = 1e-6 } of cases) {
    test(`${name}: one step's updates to ${mainBound} (main) and 1e-6 (adversary), a five-step loss curve to 1e-5`, (t) => {
      const before = tf.memory().numTensors;
      const expected = oneStep('reference', data(), params, model);
      const actual = oneStep('step', data(), params, model);
      const mainError = relativeError(actual.main, expected.main);
      const adversaryError = relativeError(actual.adversary, expected.adversary);
      const recordError = Math.max(relative(actual.record.total, expected.record.total), relative(actual.record.adversary, expected.record.adversary));
      const probe = capturing();
      const curve = { expected: lossCurve(reference, data(), params, model), actual: lossCurve(probe.method, data(), params, model) };
      assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
      assert.equal(curve.actual.length, 5);
      const curveError = Math.max(...curve.actual.flatMap((r, i) => [relative(r.total, curve.expected[i].total), relative(r.adversary, curve.expected[i].adversary)]));
      t.diagnostic(`main ${mainError.toExponential(2)}, adversary ${adversaryError.toExponential(2)}, losses ${recordError.toExponential(2)}, curve ${curveError.toExponential(2)}`);
      assert.ok(mainError < mainBound, `main network's update: relative error ${mainError}`);
      assert.ok(adversaryError < 1e-6, `adversary's update: relative error ${adversaryError}`);
      assert.ok(recordError < 1e-6, `logged losses ${JSON.stringify(actual.record)} vs ${JSON.stringify(expected.record)}`);
      assert.ok(curveError < 1e-5, `loss curve ${JSON.stringify(curve.actual)} vs ${JSON.stringify(curve.expected)}`);
    });
  }
});

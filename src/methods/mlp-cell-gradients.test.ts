/**
 * The hand-written gradients of the gradient-penalty methods (mlp-cell-gradients.ts) against TensorFlow.js's autodiff
 * (double backprop through recorded cell gradients), which every other model still uses: each cell's gradient, the
 * whole step's gradient (mean BCE + λ·penalty) to 1e-6 relative over all weights, and a five-step Adam loss curve to
 * 1e-5, for gcm (both forms), iga and grad-align, on a two-hidden-layer ReLU MLP with three groups; the step once
 * with dense inputs and once with one-hot ones (the sparse input products of src/nn/sparse-input-product.ts).
 */
import assert from 'node:assert/strict';
import { before, describe, test, type TestContext } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../nn/backend.js';
import { fastMatMulVariant, setFastMatMulEnabled } from '../nn/fast-matmul.js';
import { buildMlp, type Mlp } from '../nn/mlp.js';
import { sparseInputProductCount } from '../nn/sparse-input-product.js';
import type { Model } from '../nn/model.js';
import { relativeError } from '../nn/relative-error.test-helper.js';
import { Rng } from '../rng.js';
import { gcmPenalty, gcmPenaltyWithGradient } from './gcm.js';
import { gradAlignPenalty, gradAlignPenaltyWithGradient } from './grad-align.js';
import { igaPenalty, igaPenaltyWithGradient } from './iga.js';
import { mlpCellGradients, mlpPenaltyGradients, productTB, type PenaltyGradientOptions, type PenaltyWithGradient } from './mlp-cell-gradients.js';
import { isPlainReluMlp } from './plain-mlp-forward.js';
import type { FullStepContext, TrainBatch } from '../train/method.js';
import {
  cellGradients,
  disposeCells,
  gradientPenaltyStep,
  independentCellShares,
  inferenceLogits,
  penaltyLoss,
  resampleIntoCells,
  selectWeights,
  splitIntoCells,
  type BatchCell,
  type CellGradient,
} from './subgroup-gradients.js';

const N_GROUPS = 3;
const INPUT_DIM = 7;

function randomBatch(rows: number, seed: number) {
  const rng = new Rng(seed);
  const labels = Uint8Array.from({ length: rows }, () => (rng.uniform() < 0.4 ? 1 : 0));
  const groups = Int32Array.from({ length: rows }, () => rng.int(N_GROUPS));
  // Sparse noise, with the label in the first three features and the group in the fourth, as in real data: a
  // gradient of label-independent noise would be a near-cancelling sum, equal between any two float32 paths to ~1e-6 only.
  const x = Float32Array.from({ length: rows * INPUT_DIM }, (_, i) => {
    const [row, column] = [Math.floor(i / INPUT_DIM), i % INPUT_DIM];
    const noise = rng.uniform() < 0.3 ? 0 : 2 * rng.uniform() - 1;
    return noise + (column < 3 ? 0.8 * (2 * labels[row] - 1) : column === 3 ? 0.5 * groups[row] : 0);
  });
  return { x: tf.tensor2d(x, [rows, INPUT_DIM]), labels, groups };
}

const SPARSE_INPUT_DIM = 24;

/**
 * A batch shaped like a one-hot encoded table (about 12% nonzero, as Adult): a label-dependent category (columns
 * 0–5), the group one-hot (6–8) and rare noise (9–23). The hand-written step then takes its sparse input products.
 */
function oneHotBatch(rows: number, seed: number) {
  const rng = new Rng(seed);
  const labels = Uint8Array.from({ length: rows }, () => (rng.uniform() < 0.4 ? 1 : 0));
  const groups = Int32Array.from({ length: rows }, () => rng.int(N_GROUPS));
  const x = new Float32Array(rows * SPARSE_INPUT_DIM);
  for (let row = 0; row < rows; row++) {
    const at = row * SPARSE_INPUT_DIM;
    x[at + (rng.uniform() < 0.75 ? 3 * labels[row] : 3 * (1 - labels[row])) + rng.int(3)] = 1;
    x[at + 6 + groups[row]] = 1;
    for (let column = 9; column < SPARSE_INPUT_DIM; column++) if (rng.uniform() < 0.06) x[at + column] = 2 * rng.uniform() - 1;
  }
  return { x: tf.tensor2d(x, [rows, SPARSE_INPUT_DIM]), labels, groups };
}

const INPUT_KINDS = [
  { name: 'dense input', inputDim: INPUT_DIM, batch: randomBatch },
  { name: 'one-hot input (sparse products)', inputDim: SPARSE_INPUT_DIM, batch: oneHotBatch },
] as const;

const newModel = (inputDim = INPUT_DIM): Mlp => buildMlp({ inputDim, hidden: [16, 9], activation: 'relu', seed: 11 });
const flat = (tensors: tf.Tensor[]) => Float64Array.from(tensors.flatMap((t) => [...t.dataSync()]));

interface Case {
  name: string;
  lambda: number;
  layers: string;
  penalty(cells: CellGradient[]): tf.Scalar | null;
  split?: 'dp';
}

const CASES: Case[] = [
  { name: 'gcm (T 2, abs, sum, all weights)', lambda: 3e-3, layers: 'all', penalty: (cells) => gcmPenalty(cells, { T: 2, mismatch: 'abs', reduction: 'sum' }) },
  { name: 'gcm (T 0, square, mean, dp resampling, dense1)', lambda: 0.5, layers: 'dense1', split: 'dp', penalty: (cells) => gcmPenalty(cells, { T: 0, mismatch: 'square', reduction: 'mean' }) },
  { name: 'gcm (signed, bias0+weight2)', lambda: 0.1, layers: 'bias0+weight2', penalty: (cells) => gcmPenalty(cells, { T: 2, mismatch: 'signed', reduction: 'sum' }) },
  { name: 'iga (all weights)', lambda: 1, layers: 'all', penalty: igaPenalty },
  { name: 'grad-align (abs, mean, all weights)', lambda: 0.05, layers: 'all', penalty: (cells) => gradAlignPenalty(cells, { mismatch: 'abs', reduction: 'mean' }) },
  { name: 'grad-align (square, sum, dense0)', lambda: 1e-3, layers: 'dense0', penalty: (cells) => gradAlignPenalty(cells, { mismatch: 'square', reduction: 'sum' }) },
];

function cellsOf(c: Case, batch: ReturnType<typeof randomBatch>, seed: number): BatchCell[] {
  if (c.split !== 'dp') return splitIntoCells(batch, N_GROUPS);
  return resampleIntoCells(batch, N_GROUPS, independentCellShares(batch.labels, batch.groups, N_GROUPS), new Rng(seed));
}

function optionsOf(model: Mlp, c: Case): PenaltyGradientOptions {
  return { lambda: c.lambda, selected: selectWeights(model, c.layers).map((v) => model.variables.indexOf(v)), penalty: c.penalty };
}

describe('hand-written gradient-penalty gradients equal TensorFlow.js autodiff (plain ReLU MLP)', () => {
  before(async () => {
    await initBackend();
  });

  test('productTB of two columns (an outer product) equals the transposed matMul bit for bit, fast kernel on and off', () => {
    const rng = new Rng(5);
    const column = (rows: number) => tf.tensor2d(Float32Array.from({ length: rows }, () => (rng.uniform() - 0.5) * 10 ** (rng.uniform() * 6 - 3)), [rows, 1]);
    const [a, b] = [column(37), column(200)];
    const wasOn = fastMatMulVariant() !== null;
    for (const on of [true, false]) {
      setFastMatMulEnabled(on);
      try {
        const outer = productTB(a, b);
        assert.deepEqual(outer.shape, [37, 200]);
        assert.deepEqual(outer.dataSync(), tf.matMul(a, b, false, true).dataSync());
      } finally {
        setFastMatMulEnabled(wasOn);
      }
    }
    const wide = tf.randomNormal([5, 3]);
    assert.deepEqual(productTB(wide, tf.randomNormal([4, 3])).shape, [5, 4], 'not an outer product: a matMul');
  });

  test('only a plain ReLU MLP with one output and no dropout takes the hand-written path', () => {
    const models = [newModel(), buildMlp({ inputDim: 3, hidden: [4], activation: 'tanh', seed: 1 }), buildMlp({ inputDim: 3, hidden: [4], activation: 'relu', dropout: 0.2, seed: 1 }), buildMlp({ inputDim: 3, hidden: [4], activation: 'relu', outputDim: 2, seed: 1 })];
    // A wrapper that keeps a plain MLP's config but runs a forward pass of its own.
    const wrapper = { ...models[0], config: models[0].config, variables: models[0].variables, forward: (inputs: Parameters<Model["forward"]>[0]) => models[0].forward(inputs) } as unknown as Model;
    assert.deepEqual([...models, wrapper].map(isPlainReluMlp), [true, false, false, false, false]);
    for (const model of models) model.dispose();
  });

  test('each cell\'s summed loss and gradient, to 1e-6', (t) => {
    const model = newModel();
    const batch = randomBatch(120, 3);
    const cells = splitIntoCells(batch, N_GROUPS);
    const all = model.variables.map((_, i) => i);
    tf.tidy(() => {
      const expected = cellGradients(cells, model.variables, inferenceLogits(model));
      const got = mlpCellGradients(model, cells, all);
      assert.equal(got.length, 2 * N_GROUPS);
      let worst = 0;
      got.forEach((cell, k) => {
        assert.equal(cell.size, expected[k].size);
        assert.ok(Math.abs(cell.meanProbability - expected[k].meanProbability) < 1e-6 * expected[k].meanProbability);
        assert.ok(Math.abs(cell.lossSum.dataSync()[0] - expected[k].lossSum.dataSync()[0]) < 1e-6 * expected[k].lossSum.dataSync()[0]);
        worst = Math.max(worst, relativeError(flat(cell.grads), flat(expected[k].grads)));
      });
      t.diagnostic(`worst cell gradient relative error ${worst.toExponential(2)}`);
      assert.ok(worst < 1e-6, `cell gradient relative error ${worst}`);
    });
    disposeCells(cells);
    batch.x.dispose();
    model.dispose();
  });

  for (const [c, kind] of CASES.flatMap((c) => INPUT_KINDS.map((kind) => [c, kind] as const))) {
    test(`${c.name}, ${kind.name}: the step's loss and gradient to 1e-6, a five-step Adam curve to 1e-5`, (t) => {
      const numTensors = tf.memory().numTensors;
      const sparseProductsBefore = sparseInputProductCount();
      const explicit = newModel(kind.inputDim);
      const autodiff = newModel(kind.inputDim);
      const optimizers = [tf.train.adam(0.01), tf.train.adam(0.01)];
      const losses: [number, number][] = [];
      for (let step = 0; step < 5; step++) {
        const batch = kind.batch(150, 100 + step);
        const cells = cellsOf(c, batch, step);
        const expectedCells = cellsOf(c, batch, step);
        const [got, expected] = tf.tidy(() => {
          const mine = mlpPenaltyGradients(explicit, cells, optionsOf(explicit, c));
          const selected = selectWeights(autodiff, c.layers);
          const reference = tf.variableGrads(() => penaltyLoss(expectedCells, selected, inferenceLogits(autodiff), c), autodiff.variables);
          if (step === 0) {
            const error = relativeError(flat(mine.grads), flat(autodiff.variables.map((v) => reference.grads[v.name])));
            t.diagnostic(`step gradient relative error ${error.toExponential(2)}`);
            assert.ok(error < 1e-6, `step gradient relative error ${error}`);
            // The penalty moves the step: equality with a task-only gradient would not test it.
            const taskOnly = mlpPenaltyGradients(explicit, cells, { ...optionsOf(explicit, c), lambda: 0 });
            const share = relativeError(flat(mine.grads), flat(taskOnly.grads));
            t.diagnostic(`the penalty changes the step's gradient by ${share.toExponential(2)} (relative)`);
            assert.ok(share > 1e-3);
          }
          optimizers[0].applyGradients(explicit.variables.map((v, i) => ({ name: v.name, tensor: mine.grads[i] })));
          optimizers[1].applyGradients(autodiff.variables.map((v) => ({ name: v.name, tensor: reference.grads[v.name] })));
          return [mine.value.dataSync()[0], reference.value.dataSync()[0]];
        });
        losses.push([got, expected]);
        disposeCells(cells);
        disposeCells(expectedCells);
        batch.x.dispose();
      }
      const worst = Math.max(...losses.map(([got, expected]) => Math.abs(got - expected) / Math.abs(expected)));
      t.diagnostic(`loss curve ${losses.map(([, expected]) => expected.toFixed(5)).join(' ')}; worst relative difference ${worst.toExponential(2)}`);
      assert.ok(worst < 1e-5, `loss curve relative difference ${worst}`);
      // The one-hot batches must have gone through the sparse products (the fast kernel is on by default), the dense ones not.
      const sparseProducts = sparseInputProductCount() - sparseProductsBefore;
      t.diagnostic(`sparse input products: ${sparseProducts}`);
      assert.equal(sparseProducts > 0, kind.batch === oneHotBatch);
      optimizers.forEach((optimizer) => optimizer.dispose());
      explicit.dispose();
      autodiff.dispose();
      assert.equal(tf.memory().numTensors, numTensors, 'tensors leak');
    });
  }

  test('the step updates with the host Adam bit for bit as tf.train.adam would, a changing learning rate included', () => {
    const numTensors = tf.memory().numTensors;
    const c = CASES[0];
    const [stepped, reference] = [newModel(), newModel()];
    const optimizers = [tf.train.adam(0.01), tf.train.adam(0.01)];
    const context = { model: stepped, optimizer: optimizers[0], forward: () => assert.fail('the hand-written path runs its own forward pass') } as unknown as FullStepContext<unknown>;
    const step = gradientPenaltyStep(context, { lambda: c.lambda, layers: c.layers, penalty: c.penalty, splitBatch: (batch) => splitIntoCells(batch, N_GROUPS) });
    for (let k = 0; k < 4; k++) {
      const rate = [0.01, 0.01, 0.004, 0.02][k];
      // As the loop's schedule sets it (train/update.ts): on the optimiser's field, before the step.
      for (const optimizer of optimizers) (optimizer as unknown as { learningRate: number }).learningRate = rate;
      const batch = randomBatch(120, 300 + k);
      const y = tf.tensor1d(Float32Array.from(batch.labels));
      const got = step.run({ ...batch, y, stepSeed: k } as TrainBatch).total;
      const cells = splitIntoCells(batch, N_GROUPS);
      const expected = tf.tidy(() => {
        const { value, grads } = mlpPenaltyGradients(reference, cells, optionsOf(reference, c));
        optimizers[1].applyGradients(reference.variables.map((v, i) => ({ name: v.name, tensor: grads[i] })));
        return value.dataSync()[0];
      });
      assert.equal(got, expected);
      disposeCells(cells);
      tf.dispose([batch.x, y]);
    }
    // tf.train.adam on the step's optimiser never ran: its moments were never created.
    assert.equal((optimizers[0] as unknown as { accumulatedFirstMoment: unknown[] }).accumulatedFirstMoment.length, 0);
    stepped.variables.forEach((v, i) => assert.deepEqual(v.dataSync(), reference.variables[i].dataSync(), v.name));
    step.dispose();
    optimizers.forEach((optimizer) => optimizer.dispose());
    stepped.dispose();
    reference.dispose();
    assert.equal(tf.memory().numTensors, numTensors, 'tensors leak');
  });

  test("gcm's hand-written penalty gradient equals autodiff's: 'abs' bit for bit with two groups, else to 1e-6", (t) => {
    const settings = [
      [2, { T: 2, reduction: 'sum', mismatch: 'abs' }],
      [3, { T: 2, reduction: 'sum', mismatch: 'abs' }],
      [2, { T: 0, reduction: 'mean', mismatch: 'abs' }],
      [3, { T: 1, reduction: 'mean', mismatch: 'abs' }],
      [2, { T: 2, reduction: 'sum', mismatch: 'square' }],
      [3, { T: 0, reduction: 'mean', mismatch: 'square' }],
      [2, { T: 1, reduction: 'mean', mismatch: 'signed' }],
      [3, { T: 2, reduction: 'sum', mismatch: 'signed' }],
    ] as const;
    assertHandWrittenEqualsAutodiff(t, (model) => settings.map(([groups, options]) => ({
      label: `${groups} groups, T ${options.T}, ${options.reduction}, ${options.mismatch}`,
      groups,
      seed: 40 + groups,
      bitForBit: options.mismatch === 'abs',
      base: { lambda: options.mismatch === 'square' ? 2 : 0.02, selected: optionsOf(model, CASES[0]).selected, penalty: (c: CellGradient[]) => gcmPenalty(c, options) },
      byHand: (c, lambda) => gcmPenaltyWithGradient(c, options, lambda),
    })));
  });

  test("iga's hand-written penalty gradient equals autodiff's: bit for bit with two groups, to 1e-6 with three", (t) => {
    const settings = [[2, 'all'], [3, 'all'], [2, 'dense1'], [3, 'bias0+weight2']] as const;
    assertHandWrittenEqualsAutodiff(t, (model) => settings.map(([groups, layers]) => ({
      label: `${groups} groups, ${layers}`,
      groups,
      seed: 60 + groups,
      base: { lambda: 0.7, selected: selectWeights(model, layers).map((v) => model.variables.indexOf(v)), penalty: igaPenalty },
      bitForBit: true,
      byHand: igaPenaltyWithGradient,
    })));
  });

  test("grad-align's hand-written penalty gradient equals autodiff's: 'abs' bit for bit with two groups, else to 1e-6", (t) => {
    const settings = [[2, 'mean', 'abs'], [3, 'mean', 'abs'], [2, 'sum', 'abs'], [3, 'sum', 'abs'], [2, 'sum', 'square'], [3, 'mean', 'square']] as const;
    assertHandWrittenEqualsAutodiff(t, (model) => settings.map(([groups, reduction, mismatch]) => ({
      label: `${groups} groups, ${reduction}, ${mismatch}`,
      groups,
      seed: 80 + groups,
      bitForBit: mismatch === 'abs',
      base: { lambda: mismatch === 'square' ? 0.5 : 0.05, selected: optionsOf(model, CASES[0]).selected, penalty: (c: CellGradient[]) => gradAlignPenalty(c, { mismatch, reduction }) },
      byHand: (c, lambda) => gradAlignPenaltyWithGradient(c, { mismatch, reduction }, lambda),
    })));
  });
});

/** One setting of a hand-written penalty gradient: the autodiff options and the hand-written G to compare with. */
interface HandWrittenCase {
  label: string;
  groups: number;
  seed: number;
  /** Whether the hand-written G multiplies in autodiff's order (then equal bit for bit with two groups). */
  bitForBit: boolean;
  base: PenaltyGradientOptions;
  byHand: PenaltyWithGradient;
}

/**
 * The step's value and gradient with the hand-written G equal autodiff's: bit for bit with two groups (each reference
 * cell in one pair) where the case multiplies in autodiff's order, else to 1e-6; and the penalty moves the step (equality with a task-only gradient would not
 * test it). No tensor leaks.
 */
function assertHandWrittenEqualsAutodiff(t: TestContext, casesFor: (model: Mlp) => HandWrittenCase[]): void {
  const numTensors = tf.memory().numTensors;
  const model = newModel();
  for (const c of casesFor(model)) {
    const batch = randomBatch(200, c.seed);
    batch.groups.forEach((g, i) => (batch.groups[i] = g % c.groups));
    const cells = splitIntoCells(batch, c.groups);
    tf.tidy(() => {
      const byAutodiff = mlpPenaltyGradients(model, cells, c.base);
      const byHand = mlpPenaltyGradients(model, cells, { ...c.base, penaltyWithGradient: c.byHand });
      const [value, expectedValue] = [byHand.value.dataSync()[0], byAutodiff.value.dataSync()[0]];
      if (c.bitForBit) assert.equal(value, expectedValue);
      else assert.ok(Math.abs(value - expectedValue) <= 1e-6 * Math.abs(expectedValue), `${c.label}: penalty ${value} against ${expectedValue}`);
      const [mine, reference] = [flat(byHand.grads), flat(byAutodiff.grads)];
      const error = relativeError(mine, reference);
      t.diagnostic(`${c.label}: relative error ${error.toExponential(2)}`);
      if (c.groups === 2 && c.bitForBit) assert.deepEqual(mine, reference);
      else assert.ok(error < 1e-6, `relative error ${error}`);
      assert.ok(relativeError(mine, flat(mlpPenaltyGradients(model, cells, { ...c.base, lambda: 0 }).grads)) > 1e-3);
    });
    disposeCells(cells);
    batch.x.dispose();
  }
  model.dispose();
  assert.equal(tf.memory().numTensors, numTensors, 'tensors leak');
}

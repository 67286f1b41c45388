import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { initBackend } from '../nn/backend.js';
import { bceWithLogits } from '../nn/losses.js';
import { Rng } from '../rng.js';
import { batchFor, modelFor, penaltyCases } from './gradient-penalty.test-helper.js';
import {
  cellGradients,
  disposeCells,
  independentCellShares,
  meanTaskLoss,
  pairsWithReference,
  resampleIntoCells,
  selectWeights,
  splitIntoCells,
  inferenceLogits,
} from './subgroup-gradients.js';
import { relativeError } from './test-support.js';

describe('subgroup gradients', () => {
  before(async () => {
    await initBackend();
  });

  test('cells hold their own rows, ordered by label then group', () => {
    const x = tf.tensor2d([0, 1, 2, 3, 4, 5, 6], [7, 1]);
    const cells = splitIntoCells({ x, labels: Uint8Array.from([1, 0, 0, 1, 1, 0, 0]), groups: Int32Array.from([2, 0, 2, 2, 0, 0, 0]) }, 3);
    assert.deepEqual(cells.map((c) => [c.label, c.group, c.size, [...c.x.dataSync()]]), [
      [0, 0, 3, [1, 5, 6]],
      [0, 2, 1, [2]],
      [1, 0, 1, [4]],
      [1, 2, 2, [0, 3]],
    ]);
    disposeCells(cells);
    x.dispose();
  });

  test('the cells\' gradients add up to the gradient of the whole batch\'s summed loss, and their losses to its mean', () => {
    const c = penaltyCases.find((candidate) => candidate.nGroups === 3)!;
    const model = modelFor(c);
    const batch = batchFor(c);
    const cells = splitIntoCells(batch, c.nGroups);
    tf.tidy(() => {
      const gradients = cellGradients(cells, model.variables, inferenceLogits(model));
      const direct = tf.variableGrads(() => tf.mul(bceWithLogits(model.apply(batch.x), batch.y), c.nRows) as tf.Scalar, model.variables);
      model.variables.forEach((v, k) => {
        const summed = tf.addN(gradients.map((cell) => cell.grads[k]));
        assert.ok(relativeError(summed.dataSync(), direct.grads[v.name].dataSync()) < 1e-5);
      });
      assert.ok(Math.abs(meanTaskLoss(gradients).dataSync()[0] - direct.value.dataSync()[0] / c.nRows) < 1e-6);
      for (const cell of gradients) assert.ok(cell.meanProbability > 0 && cell.meanProbability < 1);
    });
    disposeCells(cells);
    tf.dispose([batch.x, batch.y]);
    model.dispose();
  });

  test('dp resampling draws round(b·P(A)·P(Y)) rows per cell, from the cell\'s own rows', () => {
    const labels = Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    const groups = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    const shares = independentCellShares(labels, groups, 2);
    // P(A=0) = 0.4, P(Y=1) = 0.4.
    [0.4 * 0.6, 0.6 * 0.6, 0.4 * 0.4, 0.6 * 0.4].forEach((expected, k) => assert.ok(Math.abs(shares[k] - expected) < 1e-12));
    const x = tf.tensor2d([...labels.keys()], [10, 1]);
    const cells = resampleIntoCells({ x, labels, groups }, 2, shares, new Rng(1));
    // Cell (A=0, Y=1) is empty in the batch and stays absent.
    assert.deepEqual(cells.map((c) => [c.label, c.group, c.size]), [[0, 0, 2], [0, 1, 4], [1, 1, 2]]);
    assert.ok([...cells[1].x.dataSync()].every((row) => row === 4 || row === 5));
    disposeCells(cells);
    x.dispose();
  });

  test('layer selection by name, layer, the paper\'s aliases and lists; unknown names are errors', () => {
    const model = modelFor(penaltyCases.find((c) => c.hidden.length === 2)!);
    const names = (spec: string) => selectWeights(model, spec).map((v) => model.weights.find((w) => w.variable === v)!.name);
    assert.equal(names('all').length, 6);
    assert.deepEqual(names('bias0'), ['dense0/bias']);
    assert.deepEqual(names('weight_0+weight1'), ['dense0/kernel', 'dense1/kernel']);
    assert.deepEqual(names('dense2, dense0/bias'), ['dense0/bias', 'dense2/kernel', 'dense2/bias']);
    assert.throws(() => selectWeights(model, 'bias9'), FairkitError);
    assert.throws(() => selectWeights(model, 'bias0+'), FairkitError);
    model.dispose();
  });

  test('the reference of each label is the group the model is most confident about', () => {
    const cell = (group: number, label: 0 | 1, meanProbability: number) => ({ group, label, meanProbability });
    const pairs = pairsWithReference([cell(0, 0, 0.3), cell(1, 0, 0.1), cell(2, 0, 0.2), cell(0, 1, 0.7), cell(1, 1, 0.6), cell(2, 1, 0.2)]);
    assert.deepEqual(pairs.map((p) => [p.reference.group, p.others.map((o) => o.group)]), [[1, [0, 2]], [0, [1, 2]]]);
    assert.equal(pairsWithReference([cell(0, 0, 0.3), cell(1, 1, 0.6)]).length, 0);
  });
});

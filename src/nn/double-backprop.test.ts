import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend, switchBackend, type BackendName } from './backend.js';
import { registerGradientFixes, restoreStockGradients } from './gradient-fixes.js';
import { bceWithLogits } from './losses.js';
import { createMlp, type Activation, type Mlp } from './mlp.js';
import fixtureJson from './fixtures/double_backprop.json' with { type: 'json' };
import { relativeError } from './relative-error.test-helper.js';

interface Case {
  name: string;
  activation: Activation;
  loss: 'bce' | 'bce+gap';
  hidden: number[];
  inputDim: number;
  nRows: number;
  weights: { shape: number[]; values: number[] }[];
  x: number[];
  y: number[];
  group: number[];
  logits: number[];
  lossValue: number;
  grads: number[][];
  penalty: number;
  penaltyGrads: number[][];
}

// Imported (not read) so that tsc copies the fixture next to the compiled test.
const fixture = fixtureJson as unknown as { cases: Case[] };

function modelFor(c: Case): Mlp {
  const architecture = {
    kind: 'mlp' as const,
    inputDim: c.inputDim,
    hidden: c.hidden,
    activation: c.activation,
    dropout: 0,
    outputDim: 1,
    seed: 0,
  };
  return createMlp(
    architecture,
    c.weights.map((w) => new Float32Array(w.values)),
  );
}

/** The loss of the fixture: BCE on logits, plus the squared gap in mean sigmoid between groups. */
function caseLoss(c: Case, model: Mlp, x: tf.Tensor2D, y: tf.Tensor1D, inGroup0: tf.Tensor1D): tf.Scalar {
  const logits = model.apply(x);
  const bce = bceWithLogits(logits, y);
  if (c.loss === 'bce') return bce;
  const p = tf.sigmoid(tf.reshape(logits, [-1]));
  const inGroup1 = tf.sub(1, inGroup0);
  const mean0 = tf.div(tf.sum(tf.mul(p, inGroup0)), tf.sum(inGroup0));
  const mean1 = tf.div(tf.sum(tf.mul(p, inGroup1)), tf.sum(inGroup1));
  return tf.add(bce, tf.square(tf.sub(mean0, mean1)));
}

/** Logits, loss, dL/dθ, R = ‖dL/dW0‖² and dR/dθ, by nested variableGrads. */
function computeAll(c: Case) {
  const model = modelFor(c);
  const out = tf.tidy(() => {
    const x = tf.tensor2d(c.x, [c.nRows, c.inputDim]);
    const y = tf.tensor1d(c.y);
    const inGroup0 = tf.tensor1d(c.group.map((g) => (g === 0 ? 1 : 0)));
    const lossOf = () => caseLoss(c, model, x, y, inGroup0);
    const first = tf.variableGrads(lossOf, model.variables);
    const penaltyOf = (): tf.Scalar => {
      const inner = tf.variableGrads(lossOf, [model.variables[0]]);
      return tf.sum(tf.square(inner.grads[model.variables[0].name]));
    };
    const second = tf.variableGrads(penaltyOf, model.variables);
    return {
      logits: model.apply(x).dataSync(),
      loss: first.value.dataSync()[0],
      grads: model.variables.map((v) => first.grads[v.name].dataSync()),
      penalty: second.value.dataSync()[0],
      penaltyGrads: model.variables.map((v) => second.grads[v.name].dataSync()),
    };
  });
  model.dispose();
  return out;
}

const TOLERANCE = 1e-4;

for (const backend of ['wasm', 'cpu'] as BackendName[]) {
  describe(`double backprop against float64 PyTorch (${backend})`, () => {
    before(async () => {
      await initBackend('wasm');
      await switchBackend(backend);
    });

    for (const c of fixture.cases) {
      test(c.name, (t) => {
        const got = computeAll(c);
        const worst = Math.max(...got.penaltyGrads.map((g, i) => relativeError(g, c.penaltyGrads[i])));
        t.diagnostic(`worst relative error of dR/dθ: ${worst.toExponential(2)}`);
        assert.ok(relativeError(got.logits, c.logits) < TOLERANCE, 'logits');
        assert.ok(Math.abs(got.loss - c.lossValue) / c.lossValue < TOLERANCE, 'loss');
        got.grads.forEach((g, i) => assert.ok(relativeError(g, c.grads[i]) < TOLERANCE, `dL/d weight ${i}`));
        assert.ok(Math.abs(got.penalty - c.penalty) / c.penalty < TOLERANCE, 'penalty R');
        got.penaltyGrads.forEach((g, i) => {
          const error = relativeError(g, c.penaltyGrads[i]);
          assert.ok(error < TOLERANCE, `dR/d weight ${i}: relative error ${error}`);
        });
      });
    }
  });
}

describe('the fixes are needed and exact for every matMul form', () => {
  before(async () => {
    await initBackend('wasm');
    await switchBackend('wasm');
  });

  test('stock gradients get the second order wrong with tanh/sigmoid, so the check above can fail', (t) => {
    restoreStockGradients();
    try {
      for (const c of fixture.cases.filter((c) => c.activation !== 'relu')) {
        const got = computeAll(c);
        const worst = Math.max(...got.penaltyGrads.map((g, i) => relativeError(g, c.penaltyGrads[i])));
        t.diagnostic(`${c.name} with stock gradients: worst relative error ${worst.toExponential(2)}`);
        assert.ok(worst > 1e-3, `${c.name}: stock error ${worst} unexpectedly small`);
      }
    } finally {
      registerGradientFixes();
    }
  });

  test('BatchMatMul gradient matches the stock one for transposeA/transposeB and broadcast batches', () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[3, 4], [4, 5], false, false],
      [[4, 3], [4, 5], true, false],
      [[3, 4], [5, 4], false, true],
      [[4, 3], [5, 4], true, true],
      [[2, 3, 4], [2, 4, 5], false, false],
      [[1, 3, 4], [2, 4, 5], false, false],
      [[2, 4, 3], [1, 5, 4], true, true],
    ];
    for (const [shapeA, shapeB, transposeA, transposeB] of cases) {
      const a = tf.randomNormal(shapeA, 0, 1, 'float32', 1);
      const b = tf.randomNormal(shapeB, 0, 1, 'float32', 2);
      const f = (x: tf.Tensor, y: tf.Tensor) => {
        const c = tf.matMul(x, y, transposeA, transposeB);
        return tf.sum(tf.mul(c, tf.randomNormal(c.shape, 0, 1, 'float32', 3)));
      };
      // The stock gradient does not reduce over broadcast batches, so the reference broadcasts the
      // operands explicitly first (broadcastTo's gradient does the reduction).
      const batch = Math.max(shapeA.length === 3 ? shapeA[0] : 1, shapeB.length === 3 ? shapeB[0] : 1);
      const expand = (t: tf.Tensor) => (t.rank === 3 ? tf.broadcastTo(t, [batch, t.shape[1]!, t.shape[2]!]) : t);
      const fixed = tf.grads(f)([a, b]);
      restoreStockGradients();
      let stock: tf.Tensor[];
      try {
        stock = tf.grads((x: tf.Tensor, y: tf.Tensor) => f(expand(x), expand(y)))([a, b]);
      } finally {
        registerGradientFixes();
      }
      const label = `${shapeA}·${shapeB} (${transposeA}, ${transposeB})`;
      for (const i of [0, 1]) {
        assert.deepEqual(fixed[i].shape, [a, b][i].shape, `${label} gradient ${i} shape`);
        assert.ok(relativeError(fixed[i].dataSync(), stock[i].dataSync()) < 1e-6, `${label} gradient ${i}`);
      }
      tf.dispose([a, b, ...fixed, ...stock]);
    }
  });
});

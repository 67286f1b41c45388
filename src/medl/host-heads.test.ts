/**
 * The fairness heads' steps on the host (host-heads.ts) against the TensorFlow.js formulation they replace: Adam
 * (HostAdam, itself bit-identical to tf.train.adam) on the autodiff gradients of adversaryFairnessLoss. Two attributes
 * (2 and 3 values), FE and ME heads, classification and regression, with and without a hidden layer: one step's update
 * of every weight equal to 1e-6 of the learning rate (plus one float32 spacing of the weight: w + Δ is rounded to
 * float32, and a Δ that differs in its 7th digit can round to the neighbouring float), and the loss over 5 steps to 1e-5.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../nn/backend.js';
import type { Mlp } from '../nn/mlp.js';
import { Rng } from '../rng.js';
import { attributeTargets, buildClusterAdversary, buildFairnessHead, fairnessLoss, headLabels } from './adversaries.js';
import { adversaryFairnessLoss, disposeTargets, lossTargets, type Adversaries, type LossBatch } from './composite-loss.js';
import { HostAdam } from '../nn/host-adam.js';
import { frozenHeadsLoss, headInput, HostFairnessHeads } from './host-heads.js';
import type { MedlOutputs } from './mixed-effects-model.js';
import { perRowAttributes } from './medl.test-helper.js';

before(async () => {
  await initBackend('wasm');
});

const ROWS = 300;
const RATE = 1e-2;
const SIZES = [2, 3];

/** The distance from x to the next float32 away from zero. */
function float32Spacing(x: number): number {
  return Math.abs(x) < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(Math.abs(x))) - 23);
}

function heads(hidden: number, seed: number): Mlp[] {
  return SIZES.map((size, a) => buildFairnessHead(hidden, size, seed + a));
}

for (const { regression, hidden } of [{ regression: false, hidden: 10 }, { regression: true, hidden: 10 }, { regression: false, hidden: 0 }]) {
  test(`host heads (${regression ? 'regression' : 'classification'}, hidden ${hidden}): updates and 5-step losses as autodiff's`, () => {
    const rng = new Rng(7 + hidden);
    const column = () => tf.tensor2d(Float32Array.from({ length: ROWS }, () => 2 * rng.normal()), [ROWS, 1]);
    const outputs = { fe: column(), logits: column() } as MedlOutputs;
    const labels = Uint8Array.from({ length: ROWS }, () => (rng.uniform() < 0.4 ? 1 : 0));
    const y = tf.tensor1d(Float32Array.from(labels));
    const targets = regression ? tf.tensor1d(Float32Array.from({ length: ROWS }, () => rng.normal())) : undefined;
    const { attributes, groups } = perRowAttributes(SIZES.map((size) => Array.from({ length: ROWS }, () => Math.floor(rng.uniform() * size))), SIZES);
    const cluster = buildClusterAdversary(4, [3], 2, 1);
    const reference: Adversaries = { cluster, fairFE: heads(hidden, 10), fairME: heads(hidden, 20), attributes };
    const hosted = [...heads(hidden, 10), ...heads(hidden, 20)];
    const batch = { groups, clusters: new Int32Array(ROWS), labels, y, targets };
    const classes = lossTargets(batch, reference, 'adversary');
    const lossBatch: LossBatch = { y, weights: undefined, targets, classes } as LossBatch;
    const referenceVariables = [...reference.fairFE, ...reference.fairME].flatMap((head) => head.variables);
    const hostVariables = hosted.flatMap((head) => head.variables);
    const adam = new HostAdam(referenceVariables, RATE);
    const host = new HostFairnessHeads(hosted, RATE);
    const labelColumn = (targets ?? y).dataSync() as Float32Array;
    const rows = [outputs.fe, outputs.fe, outputs.logits, outputs.logits].map((output, h) => ({ input: headInput(output.dataSync() as Float32Array, regression), labels: labelColumn, classes: Int32Array.from(groups, (g) => attributes[h % 2].valueOfGroup[g]) }));
    try {
      const initial = hostVariables.map((v) => (v.dataSync() as Float32Array).slice());
      for (let step = 0; step < 5; step++) {
        const loss = adam.minimize(() => adversaryFairnessLoss(outputs, lossBatch, reference));
        const expected = loss.dataSync()[0];
        loss.dispose();
        const actual = host.loss(rows, regression);
        host.train(rows, 1, regression);
        assert.ok(Math.abs(actual - expected) <= 1e-5 * Math.abs(expected), `step ${step}: loss ${actual} vs ${expected}`);
        if (step > 0) continue;
        hostVariables.forEach((variable, i) => {
          const before = initial[i];
          const want = referenceVariables[i].dataSync();
          const got = variable.dataSync();
          for (let j = 0; j < got.length; j++) {
            const error = Math.abs((got[j] - before[j]) - (want[j] - before[j]));
            assert.ok(error <= 1e-6 * RATE + float32Spacing(want[j]), `variable ${i}[${j}]: update ${got[j] - before[j]} vs ${want[j] - before[j]}`);
          }
        });
      }
    } finally {
      disposeTargets(classes);
      tf.dispose([outputs.fe, outputs.logits, y, ...(targets ? [targets] : [])]);
      for (const net of [cluster, ...reference.fairFE, ...reference.fairME, ...hosted]) net.dispose();
    }
  });
}

for (const { regression, hidden } of [{ regression: false, hidden: 10 }, { regression: true, hidden: 10 }, { regression: false, hidden: 0 }]) {
  test(`frozen heads' term of L_main (${regression ? 'regression' : 'classification'}, hidden ${hidden}): value and output gradient as autodiff's, one step of the outputs to 1e-6, 5-step losses to 1e-5`, () => {
    const rng = new Rng((regression ? 31 : 30) + hidden);
    const column = () => tf.variable(tf.tensor2d(Float32Array.from({ length: ROWS }, () => 2 * rng.normal()), [ROWS, 1]));
    const main = [column(), column()];
    const labels = Uint8Array.from({ length: ROWS }, () => (rng.uniform() < 0.4 ? 1 : 0));
    const y = tf.tensor1d(Float32Array.from(labels));
    const targets = regression ? tf.tensor1d(Float32Array.from({ length: ROWS }, () => rng.normal())) : undefined;
    const { attributes, groups } = perRowAttributes(SIZES.map((size) => Array.from({ length: ROWS }, () => Math.floor(rng.uniform() * size))), SIZES);
    const fairFE = heads(hidden, 40);
    const fairME = heads(hidden, 50);
    const headLabelColumn = headLabels({ y, targets });
    const attributeColumns = attributeTargets(attributes, groups);
    const host = new HostFairnessHeads([...fairFE, ...fairME], RATE);
    const labelColumn = (targets ?? y).dataSync() as Float32Array;
    const classes = attributes.map((attribute) => Int32Array.from(groups, (g) => attribute.valueOfGroup[g]));
    const rowsOf = (output: tf.Tensor) => classes.map((c) => ({ input: headInput(output.dataSync() as Float32Array, regression), labels: labelColumn, classes: c }));
    // The main network's side: raise both heads' cross-entropies (L_main's −λ_D·(CCE_FE + CCE_ME)).
    const autodiff = () => tf.neg(tf.add(fairnessLoss(fairFE, main[0], headLabelColumn, regression, attributeColumns), fairnessLoss(fairME, main[1], headLabelColumn, regression, attributeColumns))) as tf.Scalar;
    const hosted = () => tf.neg(tf.add(frozenHeadsLoss(host, 0, rowsOf(main[0]), regression, main[0]), frozenHeadsLoss(host, SIZES.length, rowsOf(main[1]), regression, main[1]))) as tf.Scalar;
    try {
      const reference = tf.variableGrads(autodiff, main);
      const actual = tf.variableGrads(hosted, main);
      const expectedValue = reference.value.dataSync()[0];
      assert.ok(Math.abs(actual.value.dataSync()[0] - expectedValue) <= 1e-6 * Math.abs(expectedValue));
      for (const variable of main) {
        const want = reference.grads[variable.name].dataSync();
        const got = actual.grads[variable.name].dataSync();
        const scale = Math.max(...Array.from(want, Math.abs));
        for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-6 * scale, `row ${i}: ${got[i]} vs ${want[i]}`);
      }
      tf.dispose([reference.value, actual.value, Object.values(reference.grads), Object.values(actual.grads)]);
      // Five Adam steps of the outputs each way, from the same start, the heads frozen.
      const start = main.map((v) => v.dataSync().slice());
      const curve = (loss: () => tf.Scalar) => {
        main.forEach((v, i) => v.assign(tf.tensor2d(start[i] as Float32Array, [ROWS, 1])));
        const adam = new HostAdam(main, RATE);
        const losses = Array.from({ length: 5 }, () => {
          const value = adam.minimize(loss);
          const number = value.dataSync()[0];
          value.dispose();
          return number;
        });
        return { losses, first: main.map((v) => v.dataSync().slice()) };
      };
      const want = curve(autodiff);
      const got = curve(hosted);
      want.losses.forEach((loss, step) => assert.ok(Math.abs(got.losses[step] - loss) <= 1e-5 * Math.abs(loss), `step ${step}: ${got.losses[step]} vs ${loss}`));
    } finally {
      tf.dispose([...main, y, headLabelColumn, ...attributeColumns, ...(targets ? [targets] : [])]);
      for (const net of [...fairFE, ...fairME]) net.dispose();
    }
  });
}

/**
 * The heads' pass written plainly, operation for operation as host-heads.ts promises (float64, the input column and
 * labels as given, softmax from the largest logit, ReLU's gradient 1 above 0): the mean cross-entropy, the weight
 * gradients and the gradient with respect to each row's output.
 */
function plainPass(weights: Float32Array[], hidden: number, k: number, input: Float32Array, labels: Float32Array, classes: Int32Array, regression: boolean) {
  const n = input.length;
  const first = hidden > 0 ? hidden : k;
  const [w1, b1, w2, b2] = weights;
  const grads = weights.map((w) => new Float64Array(w.length));
  const [gw1, gb1, gw2, gb2] = grads;
  const outputGradient = new Float64Array(n);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const p = input[i];
    const y = labels[i];
    const pre = Array.from({ length: first }, (_, j) => p * w1[j] + y * w1[first + j] + b1[j]);
    const logits = hidden > 0 ? Array.from({ length: k }, (_, c) => pre.reduce((sum, a, j) => (a > 0 ? sum + a * w2[j * k + c] : sum), b2[c])) : pre;
    const max = logits.reduce((m, v) => Math.max(m, v), -Infinity);
    const exps = logits.map((v) => Math.exp(v - max));
    const sum = exps.reduce((s, e) => s + e, 0);
    loss += max + Math.log(sum) - logits[classes[i]];
    const delta = exps.map((e, c) => (e / sum - (c === classes[i] ? 1 : 0)) / n);
    let back = delta;
    if (hidden > 0) {
      delta.forEach((d, c) => (gb2[c] += d));
      back = pre.map((a, j) => (a > 0 ? delta.reduce((s, d, c) => s + d * w2[j * k + c], 0) : 0));
      pre.forEach((a, j) => a > 0 && delta.forEach((d, c) => (gw2[j * k + c] += a * d)));
    }
    back.forEach((b, j) => {
      gw1[j] += p * b;
      gw1[first + j] += y * b;
      gb1[j] += b;
    });
    const dp = back.reduce((s, b, j) => s + b * w1[j], 0);
    outputGradient[i] += regression ? dp : dp * p * (1 - p);
  }
  return { loss: loss / n, grads, outputGradient };
}

for (const { hidden, k, regression } of [{ hidden: 10, k: 2, regression: false }, { hidden: 10, k: 2, regression: true }, { hidden: 10, k: 3, regression: false }, { hidden: 0, k: 2, regression: false }]) {
  test(`host heads' pass (hidden ${hidden}, ${k} values${regression ? ', regression' : ''}) equals the plain float64 pass bit for bit`, () => {
    const rng = new Rng(60 + hidden + k);
    const head = buildFairnessHead(hidden, k, 5);
    const host = new HostFairnessHeads([head], RATE);
    const output = Float32Array.from({ length: ROWS }, () => 2 * rng.normal());
    const rows = [{ input: headInput(output, regression), labels: Float32Array.from({ length: ROWS }, () => (rng.uniform() < 0.4 ? 1 : 0)), classes: Int32Array.from({ length: ROWS }, () => Math.floor(rng.uniform() * k)) }];
    try {
      // Two own steps first, so that the weights are not the initial ones; then the frozen pass and a step's gradients.
      host.train(rows, 2, regression);
      const weights = head.variables.map((v) => v.dataSync() as Float32Array);
      const want = plainPass(weights, hidden, k, rows[0].input, rows[0].labels, rows[0].classes, regression);
      const got = host.lossAndOutputGradient(0, rows, regression);
      assert.ok(Object.is(got.loss, want.loss), `loss ${got.loss} vs ${want.loss}`);
      want.outputGradient.forEach((g, i) => assert.ok(Object.is(got.gradient[i], g), `row ${i}: ${got.gradient[i]} vs ${g}`));
      host.train(rows, 1, regression);
      want.grads.forEach((g, v) => g.forEach((value, j) => assert.ok(Object.is(host.lastGradients[v][j], value), `gradient ${v}[${j}]: ${host.lastGradients[v][j]} vs ${value}`)));
    } finally {
      head.dispose();
    }
  });
}

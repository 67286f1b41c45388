/**
 * The cluster adversary on the host (host-cluster.ts, its tail in wasm/cluster-tail) against the TensorFlow.js
 * formulation it replaces: autodiff of adversaryClusterLoss, Adam as HostAdam (bit-identical to tf.train.adam). For
 * several layer shapes ([] included) and batch sizes (a larger batch after a smaller one re-lays the wasm memory out):
 * one step's gradient of every weight to 1e-6 relative, the frozen term's value and H-gradient to 1e-6, the loss over
 * 5 steps to 1e-5.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../nn/backend.js';
import { HostAdam } from '../nn/host-adam.js';
import { Rng } from '../rng.js';
import { buildClusterAdversary, oneHot } from './adversaries.js';
import { adversaryClusterLoss, type Adversaries, type LossBatch } from './composite-loss.js';
import { frozenClusterLoss, HostClusterAdversary } from './host-cluster.js';

before(async () => {
  await initBackend('wasm');
});

const RATE = 1e-2;
const INPUT = 12;
const CLUSTERS = 6;

/**
 * max |a − b| / max |b|: the reference is float32 autodiff, whose sums over rows lose digits of the small elements, so
 * the error is measured against the array's scale.
 */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
  }
  return worst / scale;
}

function batchOf(rng: Rng, rows: number) {
  // ReLU-like activations: non-negative, a quarter exactly 0 as the main network's hidden layer gives.
  const hidden = tf.tensor2d(Float32Array.from({ length: rows * INPUT }, () => Math.max(0, rng.normal() + 0.7)), [rows, INPUT]);
  const clusters = Int32Array.from({ length: rows }, () => Math.floor(rng.uniform() * CLUSTERS));
  return { hidden, clusters };
}

for (const layers of [[8, 8, 4], [5], []]) {
  test(`host cluster adversary (hidden [${layers}]): gradients, frozen term and 5-step losses as autodiff's`, () => {
    const rng = new Rng(11 + layers.length);
    const reference = buildClusterAdversary(INPUT, layers, CLUSTERS, 3);
    const hosted = buildClusterAdversary(INPUT, layers, CLUSTERS, 3);
    const host = new HostClusterAdversary(hosted, RATE);
    const adam = new HostAdam(reference.variables, RATE);
    try {
      for (const rows of [150, 300, 200]) {
        const { hidden, clusters } = batchOf(rng, rows);
        const classes = { clusters: oneHot(clusters, CLUSTERS) } as LossBatch['classes'];
        const adversaries = { cluster: reference, fairFE: [], fairME: [], attributes: [] } as Adversaries;
        const referenceLoss = () => adversaryClusterLoss({ hidden }, { classes } as LossBatch, adversaries);
        // One step: the gradient of every weight.
        const { grads } = tf.variableGrads(referenceLoss, reference.variables);
        const expected = reference.variables.map((v) => grads[v.name].dataSync());
        tf.dispose(Object.values(grads));
        const [hostLoss] = host.train(hidden, clusters, 1);
        const referenceValue = tf.tidy(() => referenceLoss().dataSync()[0]);
        assert.ok(Math.abs(hostLoss - referenceValue) <= 1e-6 * Math.abs(referenceValue), `rows ${rows}: loss ${hostLoss} vs ${referenceValue}`);
        host.lastGradients.forEach((gradient, i) => {
          const error = relativeError(gradient, expected[i]);
          assert.ok(error <= 1e-6, `rows ${rows}: weight ${i} gradient off by ${error}`);
        });
        adam.minimize(referenceLoss).dispose();
        // The frozen term in L_main after the step: value and gradient at H, weighted as L_main weights it.
        const weight = -0.7;
        const frozen = tf.valueAndGrad((h: tf.Tensor) => tf.mul(weight, frozenClusterLoss(host, clusters, h as tf.Tensor2D)) as tf.Scalar)(hidden);
        const autodiff = tf.valueAndGrad((h: tf.Tensor) => tf.mul(weight, adversaryClusterLoss({ hidden: h as tf.Tensor2D }, { classes } as LossBatch, adversaries)) as tf.Scalar)(hidden);
        const valueError = Math.abs(frozen.value.dataSync()[0] - autodiff.value.dataSync()[0]) / Math.abs(autodiff.value.dataSync()[0]);
        assert.ok(valueError <= 1e-6, `rows ${rows}: frozen value off by ${valueError}`);
        const gradError = relativeError(frozen.grad.dataSync(), autodiff.grad.dataSync());
        assert.ok(gradError <= 1e-6, `rows ${rows}: frozen H-gradient off by ${gradError}`);
        tf.dispose([frozen.value, frozen.grad, autodiff.value, autodiff.grad, hidden, classes.clusters]);
      }
      // Five more steps on one batch: the loss curves.
      const { hidden, clusters } = batchOf(rng, 250);
      const classes = { clusters: oneHot(clusters, CLUSTERS) } as LossBatch['classes'];
      const adversaries = { cluster: reference, fairFE: [], fairME: [], attributes: [] } as Adversaries;
      const hostLosses = host.train(hidden, clusters, 5);
      const referenceLosses = Array.from({ length: 5 }, () => {
        const loss = adam.minimize(() => adversaryClusterLoss({ hidden }, { classes } as LossBatch, adversaries));
        const value = loss.dataSync()[0];
        loss.dispose();
        return value;
      });
      hostLosses.forEach((loss, s) => assert.ok(Math.abs(loss - referenceLosses[s]) <= 1e-5 * Math.abs(referenceLosses[s]), `step ${s}: ${loss} vs ${referenceLosses[s]}`));
      // And the weights written back to the tf.Variables.
      hosted.variables.forEach((v, i) => assert.ok(relativeError(v.dataSync(), reference.variables[i].dataSync()) <= 1e-4, `weight ${i} after 5 steps`));
      tf.dispose([hidden, classes.clusters]);
    } finally {
      host.dispose();
      reference.dispose();
      hosted.dispose();
    }
  });
}

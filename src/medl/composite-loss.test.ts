/**
 * The Fair MEDL losses and their gradients against a float64 PyTorch reference
 * (scripts/fixtures/medl_composite_loss.py → fixtures/composite-loss.json), on a tiny case with given random-effects
 * noise (one case a regression: MSE and heads on (ŷ, t)): every part of the main loss, its gradient over every main-network weight (fixed effects and the variational
 * random-effects parameters), and the adversaries' own losses and gradients.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../nn/backend.js';
import { relativeError } from '../nn/relative-error.test-helper.js';
import type { Mlp } from '../nn/mlp.js';
import { adversaryClusterLoss, adversaryFairnessLoss, disposeTargets, lossTargets, mainLoss, type Adversaries, type LossWeights } from './composite-loss.js';
import fixtureJson from './fixtures/composite-loss.json' with { type: 'json' };
import { medlConfig, medlWithWeights, perRowAttributes, reluMlp } from './medl.test-helper.js';
import { klToPrior, randomEffectVariables } from './random-effects.js';

interface Case {
  name: string;
  ratioTerm: boolean;
  /** Regression cases: the standardised targets (y is then the stratum label). */
  targets: number[] | null;
  x: number[];
  y: number[];
  w: number[];
  clusters: number[];
  attributes: number[][];
  fixed: number[][];
  randomEffects: number[][];
  noise: number[][];
  clusterAdversary: number[][];
  headsFE: number[][][];
  headsME: number[][][];
  parts: Record<string, number>;
  mainGrads: number[][];
  clusterGrads: number[][];
  fairGrads: number[][];
  logitsAtMeans: number[];
  abscorr: { parts: Record<'total' | 'fairFE' | 'fairME', number>; mainGrads: number[][] };
}

const fixture = fixtureJson as unknown as {
  n: number;
  d: number;
  hidden: number[];
  nClusters: number;
  clusterHidden: number[];
  headHidden: number;
  attributeValues: number[];
  priorSd: number;
  weights: Omit<LossWeights, 'ratioTerm'>;
  cases: Case[];
};
const TOLERANCE = 1e-5;

function setUp(c: Case) {
  const { n, d, hidden, nClusters, clusterHidden, headHidden, attributeValues } = fixture;
  const model = medlWithWeights(medlConfig(d, hidden, nClusters, fixture.priorSd), [...c.fixed, ...c.randomEffects]);
  const { attributes, groups } = perRowAttributes(c.attributes, attributeValues);
  const heads = (arrays: number[][][]) => arrays.map((head, a) => reluMlp(2, [headHidden], attributeValues[a], head));
  const adversaries: Adversaries = {
    cluster: reluMlp(hidden.reduce((a, b) => a + b, 0), clusterHidden, nClusters, c.clusterAdversary),
    fairFE: heads(c.headsFE),
    fairME: heads(c.headsME),
    attributes,
  };
  const clusters = Int32Array.from(c.clusters);
  const tensors = { y: tf.tensor1d(c.y), weights: tf.tensor1d(c.w), ...(c.targets ? { targets: tf.tensor1d(c.targets) } : {}) };
  const batch = { ...tensors, classes: lossTargets({ groups, clusters, labels: Uint8Array.from(c.y), ...tensors }, adversaries, 'adversary') };
  const inputs = { x: tf.tensor2d(c.x, [n, d]), clusters };
  const noise = { slope: new Float32Array(c.noise[0]), intercept: new Float32Array(c.noise[1]) };
  const dispose = () => {
    model.dispose();
    for (const net of [adversaries.cluster, ...adversaries.fairFE, ...adversaries.fairME] as Mlp[]) net.dispose();
    tf.dispose([batch.y, batch.weights, inputs.x, ...(batch.targets ? [batch.targets] : [])]);
    disposeTargets(batch.classes);
  };
  return { model, adversaries, batch, inputs, noise, dispose };
}

const flatGrads = (grads: tf.NamedTensorMap, variables: tf.Variable[]) => variables.flatMap((v) => Array.from(grads[v.name].dataSync()));

describe('Fair MEDL composite loss against float64 PyTorch', () => {
  before(async () => {
    await initBackend();
  });

  test('the fixture holds four cases, one with the ratio term, one regression', () => {
    assert.equal(fixture.cases.length, 4);
    assert.ok(fixture.cases.some((c) => c.ratioTerm));
    assert.ok(fixture.cases.some((c) => c.targets !== null));
  });

  for (const c of fixture.cases) {
    test(`${c.name}: every part of L_main and its gradient over the fixed- and random-effects weights`, () => {
      const { model, adversaries, batch, inputs, noise, dispose } = setUp(c);
      try {
        const weights: LossWeights = { ...fixture.weights, ratioTerm: c.ratioTerm, fairness: 'adversary' };
        const parts: Record<string, number> = {};
        const { grads } = tf.variableGrads(() => {
          const kl = klToPrior(randomEffectVariables(model.weights), fixture.priorSd);
          const loss = mainLoss(model.forwardWithNoise(inputs, noise), batch, adversaries, kl, weights);
          for (const [name, value] of Object.entries(loss)) parts[name] = value.dataSync()[0];
          return loss.total;
        }, model.variables);
        for (const [name, expected] of Object.entries(c.parts)) assert.ok(Math.abs(parts[name] - expected) <= TOLERANCE * Math.max(1, Math.abs(expected)), `${name}: ${parts[name]} vs ${expected}`);
        const actual = flatGrads(grads, model.variables);
        const expected = c.mainGrads.flat();
        assert.equal(actual.length, expected.length);
        assert.ok(relativeError(actual, expected) < 1e-4, `gradient relative error ${relativeError(actual, expected)}`);
        // Every weight, random-effects scales included, has a gradient of its own (none silently zero).
        c.mainGrads.forEach((g, i) => assert.ok(g.some((v) => v !== 0) && Array.from(grads[model.variables[i].name].dataSync()).some((v) => v !== 0), `weight ${i}`));
        tf.dispose(grads);
      } finally {
        dispose();
      }
    });

    test(`${c.name}: with fairness=abscorr, the ACL terms, L_main and its gradient`, () => {
      const { model, adversaries, batch, inputs, noise, dispose } = setUp(c);
      const labels = Uint8Array.from(c.y);
      const targets = lossTargets({ groups: perRowAttributes(c.attributes, fixture.attributeValues).groups, clusters: Int32Array.from(c.clusters), labels, y: batch.y }, adversaries, 'abscorr');
      try {
        const weights: LossWeights = { ...fixture.weights, ratioTerm: false, fairness: 'abscorr' };
        // No heads: ACL reads the outputs alone.
        const noHeads = { ...adversaries, fairFE: [], fairME: [] };
        const parts: Record<string, number> = {};
        const { grads } = tf.variableGrads(() => {
          const kl = klToPrior(randomEffectVariables(model.weights), fixture.priorSd);
          const loss = mainLoss(model.forwardWithNoise(inputs, noise), { ...batch, classes: targets }, noHeads, kl, weights);
          for (const [name, value] of Object.entries(loss)) parts[name] = value.dataSync()[0];
          return loss.total;
        }, model.variables);
        for (const [name, expected] of Object.entries(c.abscorr.parts)) assert.ok(Math.abs(parts[name] - expected) <= TOLERANCE * Math.max(1, Math.abs(expected)), `${name}: ${parts[name]} vs ${expected}`);
        const actual = flatGrads(grads, model.variables);
        assert.ok(relativeError(actual, c.abscorr.mainGrads.flat()) < 1e-4, `gradient relative error ${relativeError(actual, c.abscorr.mainGrads.flat())}`);
        tf.dispose(grads);
      } finally {
        disposeTargets(targets);
        dispose();
      }
    });

    test(`${c.name}: the adversaries' own losses and gradients`, () => {
      const { model, adversaries, batch, inputs, noise, dispose } = setUp(c);
      try {
        const outputs = model.forwardWithNoise(inputs, noise);
        const clusterVars = adversaries.cluster.variables;
        const cluster = tf.variableGrads(() => adversaryClusterLoss(outputs, batch, adversaries), clusterVars);
        assert.ok(Math.abs(cluster.value.dataSync()[0] - c.parts.cluster) < TOLERANCE);
        assert.ok(relativeError(flatGrads(cluster.grads, clusterVars), c.clusterGrads.flat()) < 1e-4);
        const headVars = [...adversaries.fairFE, ...adversaries.fairME].flatMap((head) => head.variables);
        const fair = tf.variableGrads(() => adversaryFairnessLoss(outputs, batch, adversaries), headVars);
        assert.ok(Math.abs(fair.value.dataSync()[0] - (c.parts.fairFE + c.parts.fairME)) < TOLERANCE);
        assert.ok(relativeError(flatGrads(fair.grads, headVars), c.fairGrads.flat()) < 1e-4);
        tf.dispose([outputs, cluster.value, cluster.grads, fair.value, fair.grads]);
      } finally {
        dispose();
      }
    });
  }
});

/**
 * Test support for the gradient-penalty methods (gcm, iga, grad-align): the float64 PyTorch double-backprop
 * fixture of scripts/fixtures/gcm_double_backprop.py, and the same quantities computed by fairkit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Activation, Mlp } from '../nn/mlp.js';
import type { Method, TrainBatch } from '../train/method.js';
import { oneUpdate } from '../train/update.test-helper.js';
import type { Disparity } from './contribution.js';
import fixtureJson from './fixtures/gcm.json' with { type: 'json' };
import { gcmPenalty, type GcmParams } from './gcm.js';
import { gradAlignPenalty, type GradAlignParams } from './grad-align.js';
import { igaPenalty } from './iga.js';
import { cellGradients, disposeCells, inferenceLogits, meanTaskLoss, selectWeights, splitIntoCells, type CellGradient } from './subgroup-gradients.js';
import { mlpWithWeights, relativeError } from './test-support.js';

export interface PenaltyCase {
  name: string;
  activation: Activation;
  hidden: number[];
  nGroups: number;
  nRows: number;
  inputDim: number;
  method: 'gcm' | 'iga' | 'grad-align';
  params: Record<string, string | number>;
  lambda: number;
  weights: { shape: number[]; values: number[] }[];
  x: number[];
  labels: number[];
  groups: number[];
  taskLoss: number;
  penalty: number;
  penaltyGrads: number[][];
  totalGrads: number[][];
  contribution?: Disparity[];
}

export const penaltyCases = (fixtureJson as unknown as { cases: PenaltyCase[] }).cases;

export function modelFor(c: PenaltyCase): Mlp {
  return mlpWithWeights(c.inputDim, c.hidden, c.activation, c.weights);
}

/** The fixture's batch; the caller disposes x and y. */
export function batchFor(c: PenaltyCase): TrainBatch {
  return {
    x: tf.tensor2d(c.x, [c.nRows, c.inputDim]),
    y: tf.tensor1d(c.labels),
    labels: Uint8Array.from(c.labels),
    groups: Int32Array.from(c.groups),
    stepSeed: 1,
  };
}

function penaltyOf(c: PenaltyCase, cells: CellGradient[]): tf.Scalar | null {
  switch (c.method) {
    case 'gcm':
      return gcmPenalty(cells, c.params as unknown as Pick<GcmParams, 'T' | 'mismatch'> & { reduction: 'sum' | 'mean' });
    case 'iga':
      return igaPenalty(cells);
    case 'grad-align':
      return gradAlignPenalty(cells, c.params as unknown as GradAlignParams);
  }
}

/** Task loss, penalty and d penalty / d(every weight), computed by fairkit's functions on the fixture's case. */
export function penaltyAndGrads(c: PenaltyCase): { taskLoss: number; penalty: number; grads: Float32Array[] } {
  const model = modelFor(c);
  const batch = batchFor(c);
  const cells = splitIntoCells(batch, c.nGroups);
  try {
    const selected = selectWeights(model, String(c.params.layers));
    let taskLoss = Number.NaN;
    const result = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const gradients = cellGradients(cells, selected, inferenceLogits(model));
        taskLoss = meanTaskLoss(gradients).dataSync()[0];
        return penaltyOf(c, gradients)!;
      }, model.variables);
      const gradOf = (v: tf.Variable) => (grads[v.name]?.dataSync() as Float32Array | undefined) ?? new Float32Array(v.size);
      return { penalty: value.dataSync()[0], grads: model.variables.map(gradOf) };
    });
    return { taskLoss, ...result };
  } finally {
    disposeCells(cells);
    tf.dispose([batch.x, batch.y]);
    model.dispose();
  }
}

/** One step of the method with SGD at learning rate 1 on the fixture's batch: returns old − new weights (= the gradient). */
export function stepUpdate(method: Method<any>, c: PenaltyCase, extraParams: Record<string, unknown> = {}): { update: Float32Array[]; loss: number } { // eslint-disable-line @typescript-eslint/no-explicit-any
  const model = modelFor(c);
  const batch = batchFor(c);
  const train = { y: batch.labels, groups: { keys: Array.from({ length: c.nGroups }, (_, g) => String(g)), ids: batch.groups, attributes: [], values: [] } } as never;
  try {
    const before = model.variables.map((v) => v.dataSync().slice() as Float32Array);
    const { total } = oneUpdate(method, { params: { ...c.params, lambda: c.lambda, ...extraParams }, model, train, batch });
    return { update: model.variables.map((v, i) => before[i].map((value, j) => value - v.dataSync()[j])), loss: total };
  } finally {
    tf.dispose([batch.x, batch.y]);
    model.dispose();
  }
}

const TOLERANCE = 1e-4;

/**
 * The two checks every double-backprop penalty gets against its float64 PyTorch fixture cases: the penalty and its
 * gradient with respect to every weight, and one training step (BCE + λ·penalty), to a relative error below 1e-4.
 */
export function testAgainstPytorch(method: Method<any>, penaltyName: string): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const c of penaltyCases.filter((candidate) => candidate.method === method.name)) {
    test(`${penaltyName} and its double-backprop gradient match float64 PyTorch (${c.name})`, (t) => {
      const got = penaltyAndGrads(c);
      const errors = got.grads.map((g, i) => relativeError(g, c.penaltyGrads[i]));
      t.diagnostic(`penalty ${got.penalty} vs ${c.penalty}; worst gradient error ${Math.max(...errors).toExponential(2)}`);
      assert.ok(Math.abs(got.penalty - c.penalty) <= TOLERANCE * Math.abs(c.penalty), `penalty ${got.penalty} vs ${c.penalty}`);
      assert.ok(Math.abs(got.taskLoss - c.taskLoss) <= TOLERANCE * c.taskLoss, `task loss ${got.taskLoss} vs ${c.taskLoss}`);
      errors.forEach((error, i) => assert.ok(error < TOLERANCE, `d penalty / d weight ${i}: relative error ${error}`));
    });

    test(`one training step moves the weights by the reference gradient of BCE + λ·penalty (${c.name})`, () => {
      const { update, loss } = stepUpdate(method, c);
      update.forEach((u, i) => assert.ok(relativeError(u, c.totalGrads[i]) < TOLERANCE, `weight ${i}: relative error ${relativeError(u, c.totalGrads[i])}`));
      assert.ok(Math.abs(loss - (c.taskLoss + c.lambda * c.penalty)) < TOLERANCE * loss, `step loss ${loss}`);
    });
  }
}

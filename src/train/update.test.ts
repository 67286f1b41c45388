/**
 * The generic update (update.ts) against the same updates written with tf.train.adam and TensorFlow.js's copying
 * tape: bit for bit over steps of a schedule that changes the rate every step, with and without a penalty (the two
 * paths: shared saves, plain tape). And what makes it cheap: no Adam kernel and no Identity copy on the engine, for
 * the main network and for the players.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import { FairkitError } from '../errors.js';
import { initBackend } from '../nn/backend.js';
import { HostAdam } from '../nn/host-adam.js';
import { bceWithLogits } from '../nn/losses.js';
import { buildMlp, type Mlp } from '../nn/mlp.js';
import { Rng } from '../rng.js';
import { disposeBatch, makeBatch } from './batches.js';
import { parseTrainingOptions } from './fit.js';
import type { Method } from './method.js';
import { labelReader } from './update.test-helper.js';
import type { Schedule } from './schedules.js';
import { learningRateAt } from './schedules.js';
import { createUpdate } from './update.js';

const noParams = z.object({}).strict() as z.ZodType<Record<string, never>>;
const taskOnly: Method<Record<string, never>> = { name: 'task-only', summary: 'task loss alone', params: noParams, paramDocs: {} };
/** A penalty on the mean logit: the plain-tape path. */
const withPenalty: Method<Record<string, never>> = { ...taskOnly, name: 'with-penalty', penalty: () => (outputs) => tf.square(tf.mean(outputs.logits)) as tf.Scalar };

const withPlayer: Method<Record<string, never>> = { ...taskOnly, name: 'with-player', players: () => [labelReader()] };

const SCHEDULE: Schedule = { kind: 'inverse', decay: 0.7 };
const BASE_RATE = 0.02;
const STEPS = 5;

describe('the generic update', () => {
  let data: PreparedSplits;
  before(async () => {
    await initBackend('wasm');
    data = prepareDataset(generateSynthetic({ rows: 600, seed: 4 }), { seed: 4 });
  });

  const model = () => buildMlp({ inputDim: data.train.nFeatures, hidden: [6], activation: 'relu', seed: 8 });
  const rowsOf = (step: number) => Int32Array.from({ length: 100 }, (_, i) => (step * 37 + i * 3) % data.train.nRows);
  const weightsOf = (m: Mlp) => m.variables.map((v) => Array.from(v.dataSync()));

  /** STEPS updates of the loop's generic update (Adam, the schedule). */
  function viaUpdate(method: Method<Record<string, never>>): Mlp {
    const m = model();
    const update = createUpdate({ method, params: {}, model: m, train: data.train, options: parseTrainingOptions({ optimizer: 'adam', learningRate: BASE_RATE, schedule: SCHEDULE }), rng: new Rng(1) });
    for (let step = 0; step < STEPS; step++) {
      const batch = makeBatch(data.train, rowsOf(step), step);
      update.run(batch, step);
      disposeBatch(batch);
    }
    update.dispose();
    return m;
  }

  /** The same with tf.train.adam and the engine's own tape, the rate set as the loop's schedule sets it. */
  function viaTfAdam(penalty: boolean): Mlp {
    const m = model();
    const adam = tf.train.adam(BASE_RATE);
    for (let step = 0; step < STEPS; step++) {
      const batch = makeBatch(data.train, rowsOf(step), step);
      (adam as unknown as { learningRate: number }).learningRate = learningRateAt(BASE_RATE, SCHEDULE, step);
      const loss = adam.minimize(
        () => {
          const { logits } = m.forward({ x: batch.x, groups: batch.groups }, { training: true, stepSeed: step });
          const task = bceWithLogits(logits, batch.y, batch.weights);
          return penalty ? tf.add(task, tf.square(tf.mean(logits))) : task;
        },
        true,
        m.variables,
      );
      loss?.dispose();
      disposeBatch(batch);
    }
    adam.dispose();
    return m;
  }

  for (const [method, penalty] of [
    [taskOnly, false],
    [withPenalty, true],
  ] as const) {
    test(`${method.name}: the weights equal tf.train.adam's bit for bit over a changing learning rate`, () => {
      const start = tf.memory().numTensors;
      const ours = viaUpdate(method);
      const reference = viaTfAdam(penalty);
      assert.deepEqual(weightsOf(ours), weightsOf(reference));
      ours.dispose();
      reference.dispose();
      assert.equal(tf.memory().numTensors, start, 'the update leaves no tensor behind');
    });
  }

  /** The kernels one update runs on the engine (tf.profile). */
  async function kernelsOfOneUpdate(method: Method<Record<string, never>>, optimizer: 'adam' | 'sgd'): Promise<string[]> {
    const m = model();
    const update = createUpdate({ method, params: {}, model: m, train: data.train, options: parseTrainingOptions({ optimizer, learningRate: BASE_RATE }), rng: new Rng(1) });
    const batch = makeBatch(data.train, rowsOf(0), 0);
    try {
      const profile = await tf.profile(() => {
        update.run(batch, 0);
      });
      return profile.kernels.map((k) => k.name);
    } finally {
      disposeBatch(batch);
      update.dispose();
      m.dispose();
    }
  }

  test('Adam runs on the host: no Sqrt (Adam\'s) on the engine, for the main network and the players; SGD stays on it', async () => {
    for (const method of [taskOnly, withPenalty, withPlayer]) {
      const kernels = await kernelsOfOneUpdate(method, 'adam');
      assert.ok(kernels.includes('BatchMatMul'), `${method.name}: the profile saw the update`);
      assert.ok(!kernels.includes('Sqrt'), `${method.name}: ${kernels.join(' ')}`);
    }
    // tf.train.sgd's update is one Multiply and one Add per variable on the engine: the SGD path is tf's optimiser.
    const adam = await kernelsOfOneUpdate(taskOnly, 'adam');
    const sgd = await kernelsOfOneUpdate(taskOnly, 'sgd');
    assert.equal(sgd.filter((k) => k === 'Add').length - adam.filter((k) => k === 'Add').length, 4);
  });

  test("a step gets the loop's Adam: recognised as Adam (HostAdam.following), at the schedule's rate, refusing other variables", () => {
    let given: tf.Optimizer | undefined;
    const stepping: Method<Record<string, never>> = { ...taskOnly, name: 'stepping', step: ({ optimizer }) => ((given = optimizer), { run: () => ({ total: 0 }), dispose: () => {} }) };
    const m = model();
    const update = createUpdate({ method: stepping, params: {}, model: m, train: data.train, options: parseTrainingOptions({ optimizer: 'adam', learningRate: BASE_RATE, schedule: SCHEDULE }), rng: new Rng(1) });
    const batch = makeBatch(data.train, rowsOf(0), 0);
    const stranger = tf.variable(tf.zeros([2]));
    const strangerGradient = tf.ones([2]);
    try {
      update.run(batch, 3);
      assert.notEqual(HostAdam.following(given!, m.variables), null);
      assert.equal((given as unknown as { learningRate: number }).learningRate, learningRateAt(BASE_RATE, SCHEDULE, 3));
      assert.throws(() => given!.applyGradients({ [stranger.name]: strangerGradient }), (error: unknown) => error instanceof FairkitError && error.message.includes(stranger.name));
    } finally {
      tf.dispose([stranger, strangerGradient]);
      disposeBatch(batch);
      update.dispose();
      m.dispose();
    }
  });

  test('without a penalty the tape shares what the gradients read: no Identity copy; with one it copies', async () => {
    assert.deepEqual((await kernelsOfOneUpdate(taskOnly, 'adam')).filter((k) => k === 'Identity'), []);
    assert.ok((await kernelsOfOneUpdate(withPenalty, 'adam')).includes('Identity'));
  });
});

/**
 * The loop's seams, with methods written here (train/ does not depend on methods/): callbacks and their order, a
 * callback stopping the run, penalties logged as parts, players with their own optimisers, early stopping that
 * restores the players' weights too, and a caller's base model.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import { initBackend } from '../nn/backend.js';
import { buildMlp } from '../nn/mlp.js';
import type { TrainingCallback } from './callbacks.js';
import { fit } from './fit.js';
import type { Method } from './method.js';
import { labelReader } from './update.test-helper.js';
import type { TrainingOptionsInput } from './options.js';

const quick: TrainingOptionsInput = { epochs: 3, batchSize: 250, learningRate: 0.01, hidden: [8], progress: 'silent', seed: 2 };
const lambdaParams = z.object({ lambda: z.number().min(0).default(1) }).strict();

const plain: Method<Record<string, never>> = { name: 'plain', summary: 'task loss alone', params: z.object({}).strict() as z.ZodType<Record<string, never>>, paramDocs: {} };

/** A penalty on the mean logit, so its part of the loss is easy to recognise. */
const meanLogit: Method<z.infer<typeof lambdaParams>> = {
  name: 'mean-logit',
  summary: 'task + λ · mean logit²',
  params: lambdaParams,
  paramDocs: { lambda: 'weight' },
  strength: 'lambda',
  penalty: () => (outputs) => tf.square(tf.mean(outputs.logits)) as tf.Scalar,
};


const withPlayer: Method<z.infer<typeof lambdaParams>> = {
  name: 'with-player',
  summary: 'task against a label-reading player',
  params: lambdaParams,
  paramDocs: { lambda: 'how hard the model works against the player' },
  strength: 'lambda',
  players: () => [labelReader()],
};

describe('the loop: callbacks, parts, players', () => {
  let data: PreparedSplits;
  before(async () => {
    await initBackend();
    data = prepareDataset(generateSynthetic({ rows: 1500, seed: 9 }), { seed: 9 });
  });

  test('callbacks see train, epoch, batch and evaluation begin and end in order; stop() ends the run after the epoch', () => {
    const events: string[] = [];
    const recorder: TrainingCallback = {
      onTrainBegin: () => events.push('train'),
      onEpochBegin: (epoch) => events.push(`epoch ${epoch}`),
      onBatchBegin: (_batch, _model, step) => events.push(`batch ${step}`),
      onBatchEnd: (losses, step) => events.push(`done ${step} ${Number.isFinite(losses.total)}`),
      onEvaluationBegin: (epoch) => events.push(`evaluate ${epoch}`),
      onEvaluationEnd: (epoch, metrics) => events.push(`evaluated ${epoch} ${'accuracy' in metrics}`),
      onEpochEnd: (report) => events.push(`end ${report.epoch}`),
      onTrainEnd: (_run, outcome) => events.push(`train ${outcome}`),
    };
    let runStop: (() => void) | undefined;
    const stopper: TrainingCallback = { onTrainBegin: (run) => (runStop = run.stop), onEpochEnd: (report) => report.epoch === 2 && runStop!() };
    const result = fit({ method: plain, params: {}, train: data.train, validation: data.validation, options: { ...quick, epochs: 5 }, callbacks: [recorder, stopper] });
    result.model.dispose();
    const steps = Math.ceil(data.train.nRows / 250);
    const epoch = (e: number) => [`epoch ${e}`, ...Array.from({ length: steps }, (_, i) => [`batch ${(e - 1) * steps + i}`, `done ${(e - 1) * steps + i} true`]).flat(), `evaluate ${e}`, `evaluated ${e} true`, `end ${e}`];
    assert.deepEqual(events, ['train', ...epoch(1), ...epoch(2), 'train completed']);
    assert.equal(result.epochsRun, 2);
  });

  test('a penalty is logged as parts: total = task + strength · penalty, every epoch', () => {
    const result = fit({ method: meanLogit, params: { lambda: 3 }, train: data.train, options: quick });
    result.model.dispose();
    for (const { loss, losses } of result.history) {
      assert.ok(losses !== undefined && losses.task > 0 && losses.penalty >= 0);
      assert.ok(Math.abs(loss - (losses.task + 3 * losses.penalty)) < 1e-5 * loss, `${loss} vs ${losses.task} + 3·${losses.penalty}`);
    }
    const without = fit({ method: plain, params: {}, train: data.train, options: quick });
    without.model.dispose();
    assert.equal(without.history[0].losses, undefined, 'a method without parts logs the total alone');
  });

  test('a player at strength 0 leaves the main network exactly as plain training does; at strength 1 it changes it', () => {
    const weights = (method: Method<any>, params: Record<string, unknown>) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const result = fit({ method, params, train: data.train, options: quick });
      const values = result.model.weights.map((w) => Array.from(w.variable.dataSync()));
      result.model.dispose();
      return { values, history: result.history };
    };
    const reference = weights(plain, {});
    const idle = weights(withPlayer, { lambda: 0 });
    assert.deepEqual(idle.values, reference.values);
    assert.ok(idle.history.every((h) => h.losses!.reader > 0), 'the player logs its loss under its name');
    assert.notDeepEqual(weights(withPlayer, { lambda: 1 }).values, reference.values);
    const start = tf.memory().numTensors;
    weights(withPlayer, { lambda: 1 });
    assert.equal(tf.memory().numTensors, start, 'players and their optimisers are disposed with the run');
  });

  test('early stopping restores the players\' weights of the best epoch together with the model\'s', () => {
    const perEpoch: number[] = [];
    let restored = Number.NaN;
    let players: tf.Variable[] = [];
    const watcher: TrainingCallback = {
      onTrainBegin: (run) => (players = run.playerVariables),
      onEpochEnd: () => perEpoch.push(players[0].dataSync()[0]),
      onTrainEnd: () => (restored = players[0].dataSync()[0]),
    };
    const result = fit({ method: withPlayer, params: { lambda: 0.5 }, train: data.train, validation: data.validation, options: { ...quick, epochs: 6, earlyStopping: { metric: 'accuracy', patience: 6 } }, callbacks: [watcher] });
    result.model.dispose();
    assert.equal(new Set(perEpoch).size, perEpoch.length, 'the player learns every epoch');
    assert.equal(restored, perEpoch[result.bestEpoch - 1]);
  });

  test('a caller\'s base model is trained in place of a fresh MLP', () => {
    const base = buildMlp({ inputDim: data.train.nFeatures, hidden: [3], activation: 'tanh', seed: 77 });
    const result = fit({ method: plain, params: {}, train: data.train, options: quick, baseModel: () => base });
    assert.equal(result.model, base);
    assert.deepEqual((result.model.config as { hidden: number[] }).hidden, [3]);
    result.model.dispose();
  });
});

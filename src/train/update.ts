/**
 * The per-batch update the loop runs for a method: the main network's optimiser with its schedule, the players'
 * optimisers with theirs, and the parts of the method put together (see method.ts). The forward call and the
 * task loss are built here, once, for every method.
 *
 * What the engine runs per batch is kept small (issue 17; the weights stay bit-identical, update.test.ts): Adam, the
 * main network's and the players', is computed on the host (host-adam-optimizer.ts; tf.train.adam ran ~14 kernels per
 * variable, 56 of erm's 114 kernels per batch), SGD and momentum stay tf's; a step (medl, gcm, adversarial, …) is
 * handed that same optimiser. Without a penalty the gradient tape shares what it saves instead of copying it
 * (withSharedSaves; erm 17 Identity kernels per batch). erm: 114 → 36 kernels per batch on Adult (docs/speed.md).
 */
import * as tf from '@tensorflow/tfjs';
import type { EncodedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import type { Model, ModelInputs, ModelOutputs } from '../nn/model.js';
import { bceWithLogits, regressionLoss } from '../nn/losses.js';
import { withSharedSaves } from '../nn/shared-saves.js';
import type { Rng } from '../rng.js';
import type { LossRecord, Method, Player, StepContext, TrainBatch, TrainingStep } from './method.js';
import type { TrainingOptions } from './options.js';
import { learningRateAt, type Schedule } from './schedules.js';
import { HostAdamOptimizer } from './host-adam-optimizer.js';

export interface UpdateInput<P extends Record<string, unknown>> {
  method: Method<P>;
  params: P;
  model: Model;
  train: EncodedDataset;
  options: TrainingOptions;
  rng: Rng;
}

export interface Update {
  run(batch: TrainBatch, step: number): LossRecord;
  readonly playerVariables: tf.Variable[];
  dispose(): void;
}

export function createUpdate<P extends Record<string, unknown>>(input: UpdateInput<P>): Update {
  const { method, params, model, options } = input;
  const forward = (inputs: ModelInputs, stepSeed: number): ModelOutputs => model.forward(inputs, { training: true, stepSeed });
  const context: StepContext<P> = {
    params,
    model,
    train: input.train,
    nGroups: input.train.groups.keys.length,
    rng: input.rng,
    forward,
    forwardBatch: (batch) => forward({ x: batch.x, groups: batch.groups, clusters: batch.clusters, labels: method.needs?.labelsAtPredict ? batch.labels : undefined, targets: batch.targetValues }, batch.stepSeed),
    taskLoss: (outputs, batch) =>
      batch.targets ? regressionLoss(outputs.logits, batch.targets, options.regressionLoss, options.huberDelta, batch.weights) : bceWithLogits(outputs.logits, batch.y, batch.weights),
  };
  const main = new ScheduledOptimizer(options.optimizer, model.variables, options.learningRate, options.schedule, options.momentum);
  if (method.step && (method.penalty || method.players)) throw new FairkitError(`method '${method.name}' declares a step and a penalty or players; a step replaces both`);
  let step: TrainingStep | undefined;
  let players: Player[] = [];
  let playerOptimizers: ScheduledOptimizer[] = [];
  try {
    step = method.step?.({ ...context, optimizer: main.optimizer });
    players = method.players?.(context) ?? [];
    playerOptimizers = players.map((player) => new ScheduledOptimizer(player.optimizer.kind, player.variables, player.optimizer.learningRate, player.optimizer.schedule ?? { kind: 'constant' }, 0));
  } catch (error) {
    main.dispose();
    step?.dispose();
    for (const player of players) player.dispose();
    throw error;
  }
  const penalty = method.penalty?.(context);
  const strength = method.strength === undefined ? 1 : (params[method.strength] as number);
  return {
    playerVariables: players.flatMap((player) => player.variables),
    run: (batch, stepIndex) => {
      main.setStep(stepIndex);
      if (step) return step.run(batch);
      if (players.length > 0) {
        updatePlayers(players, playerOptimizers, context, batch, stepIndex);
        return updateAgainstPlayers(method, params, strength, players, context, main.optimizer, batch);
      }
      return minimizeWithPenalty(main.optimizer, model, context, batch, penalty, strength);
    },
    dispose: () => {
      step?.dispose();
      for (const player of players) player.dispose();
      for (const optimizer of playerOptimizers) optimizer.dispose();
      main.dispose();
    },
  };
}

/**
 * task + strength · penalty, minimised in one optimiser step; logs the two parts when there is a penalty.
 *
 * Without a penalty (erm, reweigh, oversample) the tape keeps what the gradients read by reference (withSharedSaves:
 * no Identity copy per saved tensor, the same bits). Not with one: a penalty may differentiate a gradient (fairmixup),
 * which the shared saves would cut from the tape.
 */
function minimizeWithPenalty<P>(optimizer: tf.Optimizer, model: Model, context: StepContext<P>, batch: TrainBatch, penalty: ((outputs: ModelOutputs, batch: TrainBatch) => tf.Scalar | null) | undefined, strength: number): LossRecord {
  let parts: tf.Tensor | undefined;
  const minimize = (f: () => tf.Scalar) => (penalty ? optimizer.minimize(f, true, model.variables) : withSharedSaves(() => optimizer.minimize(f, true, model.variables)))!;
  const total = minimize(() => {
    const outputs = context.forwardBatch(batch);
    const task = context.taskLoss(outputs, batch);
    if (!penalty) return task;
    const value = penalty(outputs, batch);
    parts = tf.keep(tf.stack([task, value ?? tf.scalar(0)]));
    return value === null ? task : tf.add(task, tf.mul(strength, value));
  });
  const record: LossRecord = { total: total.dataSync()[0] };
  total.dispose();
  if (parts) {
    const [task, value] = parts.dataSync();
    parts.dispose();
    record.task = task;
    record.penalty = value;
  }
  return record;
}

/** Each player's updates on the main network's outputs for the batch (constants to the players). */
function updatePlayers<P>(players: Player[], optimizers: ScheduledOptimizer[], context: StepContext<P>, batch: TrainBatch, stepIndex: number): void {
  const outputs = tf.tidy(() => context.forwardBatch(batch));
  try {
    players.forEach((player, i) => {
      optimizers[i].setStep(stepIndex);
      for (let k = 0; k < player.steps; k++) optimizers[i].optimizer.minimize(() => player.loss(outputs, batch), false, player.variables);
    });
  } finally {
    tf.dispose(outputs);
  }
}

/**
 * The main network's update with players: gradients of the task loss and of every player's loss over the main
 * network's variables, combined by the method (default task − strength · Σ players: the main network works against
 * each player). Logs the task loss as the total and each player's loss under its name.
 */
function updateAgainstPlayers<P extends Record<string, unknown>>(method: Method<P>, params: P, strength: number, players: Player[], context: StepContext<P>, optimizer: tf.Optimizer, batch: TrainBatch): LossRecord {
  const { variables } = context.model;
  return tf.tidy(() => {
    const task = tf.variableGrads(() => context.taskLoss(context.forwardBatch(batch), batch), variables);
    const against = players.map((player) => tf.variableGrads(() => player.loss(context.forwardBatch(batch), batch), variables));
    const flat = (grads: tf.NamedTensorMap) => tf.concat(variables.map((v) => tf.reshape(grads[v.name], [-1]))) as tf.Tensor1D;
    const gradients = { task: flat(task.grads), players: Object.fromEntries(players.map((player, i) => [player.name, flat(against[i].grads)])) };
    const direction = method.combine
      ? method.combine(gradients, params)
      : players.reduce((sum, player) => tf.sub(sum, tf.mul(strength, gradients.players[player.name])), gradients.task);
    const pieces = tf.split(direction, variables.map((v) => v.size));
    optimizer.applyGradients(Object.fromEntries(variables.map((v, i) => [v.name, tf.reshape(pieces[i], v.shape)])));
    const record: LossRecord = { total: task.value.dataSync()[0] };
    players.forEach((player, i) => (record[player.name] = against[i].value.dataSync()[0]));
    return record;
  });
}

/** An optimiser with its base rate and schedule, set before each update. */
class ScheduledOptimizer {
  readonly optimizer: tf.Optimizer;

  /** Adam runs on the host (host-adam-optimizer.ts) over `variables`, the only variables it may be given gradients of. */
  constructor(kind: 'adam' | 'sgd', variables: tf.Variable[], private readonly base: number, private readonly schedule: Schedule, momentum: number) {
    this.optimizer = kind === 'adam' ? new HostAdamOptimizer(variables, base) : momentum > 0 ? tf.train.momentum(base, momentum) : tf.train.sgd(base);
  }

  setStep(step: number): void {
    setLearningRate(this.optimizer, learningRateAt(this.base, this.schedule, step));
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/**
 * The schedule's rate for the next update. Adam reads its `learningRate` field on every update and has no setter;
 * SGD and momentum cache the rate as a tensor that only their own setLearningRate refreshes (tested in fit.test.ts).
 */
function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const settable = optimizer as unknown as { learningRate: number; setLearningRate?: (rate: number) => void };
  if (settable.learningRate === rate) return;
  if (settable.setLearningRate) settable.setLearningRate(rate);
  else settable.learningRate = rate;
}

import * as tf from '@tensorflow/tfjs';
import type { EncodedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import type { FairnessMethod, TrainBatch, TrainingStep } from '../methods/method.js';
import { evaluate } from '../metrics/compute.js';
import { registerGradientFixes } from '../nn/gradient-fixes.js';
import { buildMlp, type Mlp } from '../nn/mlp.js';
import { Rng } from '../rng.js';
import { disposeBatch, makeBatch } from './batches.js';
import { defaultMode, EarlyStopping } from './early-stopping.js';
import { trainingOptionsSchema, type TrainingOptions, type TrainingOptionsInput } from './options.js';
import { createProgress, type EpochReport } from './progress.js';
import { BalancedCellSampler, ShuffleSampler, type BatchSampler } from './samplers.js';
import { learningRateAt } from './schedules.js';

export interface FitResult {
  model: Mlp;
  history: EpochReport[];
  trainSeconds: number;
  secondsPerEpoch: number;
  epochsRun: number;
  /** The epoch whose weights the model holds (the last one, or the best one under early stopping). */
  bestEpoch: number;
}

export interface FitInput<P extends Record<string, unknown>> {
  method: FairnessMethod<P>;
  /** Raw parameters; validated and completed with defaults by the method's schema. */
  params: Record<string, unknown>;
  train: EncodedDataset;
  validation?: EncodedDataset;
  options: TrainingOptionsInput;
  /** Called after every epoch, after validation. */
  onEpochEnd?: (report: EpochReport) => void;
  /** Called before every optimiser step with the batch and the current model (e.g. to record group contributions). */
  onBatchStart?: (batch: TrainBatch, model: Mlp, step: number, epoch: number) => void;
}

/** Validation metrics recorded per epoch (and usable for early stopping). */
const VALIDATION_KEYS = ['accuracy', 'ap', 'equalizedOddsSum', 'demographicParityDifference'] as const;

/** Validates method parameters with the method's schema, naming the method and the bad key. */
export function parseMethodParams<P extends Record<string, unknown>>(method: FairnessMethod<P>, raw: Record<string, unknown>): P {
  const parsed = method.params.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
    throw new FairkitError(`method '${method.name}': bad parameter${key ? ` '${key}'` : ''}: ${issue.message}`, {
      fix: `Parameters of ${method.name}: ${Object.keys(method.paramDocs).join(', ') || 'none'}`,
    });
  }
  return parsed.data;
}

export function parseTrainingOptions(raw: TrainingOptionsInput): TrainingOptions {
  const parsed = trainingOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
    throw new FairkitError(`training option${key ? ` '${key}'` : ''}: ${issue.message}`);
  }
  return parsed.data;
}

/** The one training loop every method uses. */
export function fit<P extends Record<string, unknown>>(input: FitInput<P>): FitResult {
  const { method, train, validation } = input;
  const options = parseTrainingOptions(input.options);
  const params = parseMethodParams(method, input.params);
  checkTrainingData(train);
  method.check?.(train, params);
  if (options.earlyStopping && !validation) throw new FairkitError('early stopping needs a validation split');
  if (options.earlyStopping && !(VALIDATION_KEYS as readonly string[]).includes(options.earlyStopping.metric)) {
    throw new FairkitError(`early stopping metric '${options.earlyStopping.metric}' is not one of ${VALIDATION_KEYS.join(', ')}`);
  }

  // Idempotent; here so that code calling fit without initBackend still gets exact second derivatives.
  registerGradientFixes();
  const master = new Rng(options.seed);
  const config = { inputDim: train.nFeatures, hidden: options.hidden, activation: options.activation, dropout: options.dropout, seed: master.int(0x7fffffff) };
  const model = method.buildModel ? method.buildModel(config, params, train) : buildMlp(config);
  const sampler = createSampler(method.sampler?.(params) ?? 'shuffle', train, options.batchSize, master.fork());
  const weights = averagingOne(method.sampleWeights?.(train, params));
  const stopper = options.earlyStopping ? new EarlyStopping(options.earlyStopping.metric, options.earlyStopping.patience, options.earlyStopping.mode ?? defaultMode(options.earlyStopping.metric)) : null;
  const history: EpochReport[] = [];
  let best: Float32Array[] | null = null;
  let trainSeconds = 0;
  let optimizerStep = 0;
  let optimizer: tf.Optimizer | undefined;
  let step: TrainingStep | undefined;
  let progress: ReturnType<typeof createProgress> | undefined;

  try {
    optimizer = createOptimizer(options);
    step = method.createStep({ params, model, train, nGroups: train.groups.keys.length, optimizer, rng: master.fork() });
    progress = createProgress(options.progress, options.epochs);
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const started = performance.now();
      // Time spent in the per-batch observer (e.g. the contribution tracker) is not training time.
      let observerMs = 0;
      let lossSum = 0;
      const batches = sampler.epoch();
      for (const rows of batches) {
        setLearningRate(optimizer, learningRateAt(options.learningRate, options.schedule, optimizerStep++));
        const batch = makeBatch(train, rows, master.int(0x7fffffff), weights);
        try {
          if (input.onBatchStart) {
            const observing = performance.now();
            input.onBatchStart(batch, model, optimizerStep - 1, epoch);
            observerMs += performance.now() - observing;
          }
          lossSum += step.run(batch);
        } finally {
          disposeBatch(batch);
        }
      }
      const seconds = (performance.now() - started - observerMs) / 1000;
      trainSeconds += seconds;
      const loss = lossSum / batches.length;
      if (!Number.isFinite(loss)) throw new FairkitError(`training diverged: the loss of epoch ${epoch} is ${loss}`, { fix: 'Lower --lr or the method\'s lambda' });
      const report: EpochReport = { epoch, epochs: options.epochs, loss, seconds, validation: validation ? validationMetrics(model, validation) : undefined };
      history.push(report);
      progress.epochEnd(report);
      input.onEpochEnd?.(report);
      if (stopper) {
        if (stopper.observe(epoch, report.validation?.[stopper.metric])) best = snapshot(model);
        if (stopper.shouldStop) break;
      }
    }
  } catch (error) {
    model.dispose(); // nobody else holds the model when training fails
    throw error;
  } finally {
    progress?.stop();
    step?.dispose();
    optimizer?.dispose();
  }
  if (stopper && best) restore(model, best);
  const epochsRun = history.length;
  return {
    model,
    history,
    trainSeconds,
    secondsPerEpoch: trainSeconds / Math.max(1, epochsRun),
    epochsRun,
    bestEpoch: stopper && best ? stopper.bestEpochIndex : epochsRun,
  };
}

function checkTrainingData(train: EncodedDataset): void {
  if (train.nRows === 0) throw new FairkitError('the training split is empty');
  const counts = new Int32Array(train.groups.keys.length);
  for (const id of train.groups.ids) counts[id]++;
  const empty = train.groups.keys.filter((_, id) => counts[id] === 0);
  if (empty.length > 0) throw new FairkitError(`group${empty.length > 1 ? 's' : ''} ${empty.map((key) => `'${key}'`).join(', ')} ha${empty.length > 1 ? 've' : 's'} no rows in the training split`, { fix: 'Merge rare groups or choose another sensitive attribute' });
}

function createSampler(kind: 'shuffle' | 'balanced', train: EncodedDataset, batchSize: number, rng: Rng): BatchSampler {
  return kind === 'balanced' ? new BalancedCellSampler(train.groups.ids, train.y, batchSize, rng) : new ShuffleSampler(train.nRows, batchSize, rng);
}

function createOptimizer(options: TrainingOptions): tf.Optimizer {
  return options.optimizer === 'adam'
    ? tf.train.adam(options.learningRate)
    : options.momentum > 0
      ? tf.train.momentum(options.learningRate, options.momentum)
      : tf.train.sgd(options.learningRate);
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

function validationMetrics(model: Mlp, data: EncodedDataset): Record<string, number | null> {
  const scores = model.predictProba(data.X, data.nRows, undefined, data.groups.ids);
  const report = evaluate({ yTrue: data.y, scores, groupIds: data.groups.ids, groups: data.groups });
  const all: Record<string, number | null | undefined> = { ...report.overall, ...report.fairness };
  return Object.fromEntries(VALIDATION_KEYS.map((key) => [key, all[key] ?? null]));
}

/** Every saved tensor of the model, trainable or not (e.g. GroupMixNorm's running statistics). */
function snapshot(model: Mlp): Float32Array[] {
  return model.weights.map(({ variable }) => variable.dataSync().slice() as Float32Array);
}

function restore(model: Mlp, values: Float32Array[]): void {
  tf.tidy(() => model.weights.forEach(({ variable }, i) => variable.assign(tf.tensor(values[i], variable.shape))));
}

/**
 * Row weights scaled to average 1 over the training split, so that the weighted loss (the batch mean of w·ℓ) is on
 * the task loss's scale and a batch's weights act whatever its size. Weights that are all 0 are an error.
 */
function averagingOne(weights: Float32Array | undefined): Float32Array | undefined {
  if (!weights) return undefined;
  const mean = weights.reduce((sum, w) => sum + w, 0) / weights.length;
  if (!(mean > 0) || !Number.isFinite(mean)) throw new FairkitError(`the method's row weights average ${mean}; they must be finite, non-negative and not all 0`);
  return weights.map((w) => w / mean);
}

import type { EncodedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { registerGradientFixes } from '../nn/gradient-fixes.js';
import { buildMlp, type MlpConfig } from '../nn/mlp.js';
import type { Model } from '../nn/model.js';
import { Rng } from '../rng.js';
import { disposeBatch, makeBatch } from './batches.js';
import { History, type EpochReport, type TrainingCallback, type TrainingRun } from './callbacks.js';
import { defaultMode, EarlyStopping } from './early-stopping.js';
import { EarlyStoppingCallback } from './early-stopping-callback.js';
import { evaluateOn, scoresOn, validationMetrics, VALIDATION_METRICS } from './evaluation.js';
import type { Method } from './method.js';
import { trainingOptionsSchema, type TrainingOptions, type TrainingOptionsInput } from './options.js';
import { progressCallback } from './progress.js';
import { BalancedCellSampler, ShuffleSampler, type BatchSampler } from './samplers.js';
import { createUpdate } from './update.js';
import { FusedUpdate, fusedStepRefusal, fusedStepRequested } from './fused-update.js';

export interface FitResult {
  model: Model;
  history: EpochReport[];
  trainSeconds: number;
  secondsPerEpoch: number;
  epochsRun: number;
  /** The epoch whose weights the model holds (the last one, or the best one under early stopping). */
  bestEpoch: number;
}

export interface FitInput<P extends Record<string, unknown>> {
  method: Method<P>;
  /** Raw parameters; validated and completed with defaults by the method's schema. */
  params: Record<string, unknown>;
  train: EncodedDataset;
  validation?: EncodedDataset;
  options: TrainingOptionsInput;
  callbacks?: TrainingCallback[];
  /** Row weights of the training split (e.g. survey weights), multiplied with the method's own. */
  sampleWeights?: Float32Array;
  /**
   * Builds the base model instead of a fresh MLP of the options' shape (e.g. a copy of a trained model to fine-tune);
   * the method's model transform applies on top. Receives the MLP config the loop would use.
   */
  baseModel?: (config: MlpConfig) => Model;
}

/** Validates method parameters with the method's schema, naming the method and the bad key. */
export function parseMethodParams<P extends Record<string, unknown>>(method: Method<P>, raw: Record<string, unknown>): P {
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
  checkTrainingData(train, method);
  method.check?.(train, params);
  if (options.earlyStopping && !validation) throw new FairkitError('early stopping needs a validation split');
  const recorded: readonly string[] = VALIDATION_METRICS[train.targets ? 'regression' : 'classification'];
  if (options.earlyStopping && !recorded.includes(options.earlyStopping.metric)) {
    throw new FairkitError(`early stopping metric '${options.earlyStopping.metric}' is not one of ${recorded.join(', ')}`);
  }
  if (input.sampleWeights && method.acceptsSampleWeights === false) {
    throw new FairkitError(`method '${method.name}' does not support sample weights`, { fix: 'Train without sample weights, or choose a method that honours them (e.g. erm, reweigh, eor)' });
  }

  // Idempotent; here so that code calling fit without initBackend still gets exact second derivatives.
  registerGradientFixes();
  // The order of draws from `master` is part of every documented result: model seed, sampler, method, then one
  // seed per step.
  const master = new Rng(options.seed);
  const config: MlpConfig = { inputDim: train.nFeatures, hidden: options.hidden, activation: options.activation, dropout: options.dropout, seed: master.int(0x7fffffff) };
  const model = buildModel(input, config, params);
  const sampler = createSampler(method.sampler?.(params) ?? 'shuffle', train, options.batchSize, master.fork());
  const history = new History();
  const stopping = options.earlyStopping
    ? new EarlyStoppingCallback(new EarlyStopping(options.earlyStopping.metric, options.earlyStopping.patience, options.earlyStopping.mode ?? defaultMode(options.earlyStopping.metric)))
    : undefined;
  const callbacks: TrainingCallback[] = [history, progressCallback(options.progress, options.epochs), ...(stopping ? [stopping] : []), ...(input.callbacks ?? [])];
  let stopped = false;
  let update: ReturnType<typeof createUpdate> | undefined;
  let run: TrainingRun | undefined;
  let trainSeconds = 0;
  let optimizerStep = 0;
  let fused: FusedUpdate | undefined;

  try {
    const weights = averagingOne(combineWeights(method.sampleWeights?.(train, params), input.sampleWeights, train.nRows));
    update = createUpdate({ method, params, model, train, options, rng: master.fork() });
    const fusedRequested = fusedStepRequested(options);
    const refusal = fusedRequested ? fusedStepRefusal(method, model, train, options, callbacks) : null;
    // Asked for but not possible: the run trains as without it, and says why where progress is shown.
    if (refusal !== null && options.progress !== 'silent') process.stderr.write(`fairkit: fused step not used: ${refusal}\n`);
    fused = fusedRequested && refusal === null ? new FusedUpdate(model, train, options, weights) : undefined;
    run = { model, playerVariables: update.playerVariables, epochs: options.epochs, stop: () => (stopped = true) };
    for (const callback of callbacks) callback.onTrainBegin?.(run);
    for (let epoch = 1; epoch <= options.epochs && !stopped; epoch++) {
      for (const callback of callbacks) callback.onEpochBegin?.(epoch);
      const started = performance.now();
      // Time spent in batch callbacks (e.g. the contribution tracker) is not training time.
      let observerMs = 0;
      const sums: Record<string, number> = {};
      const batches = sampler.epoch();
      for (const rows of batches) {
        const step = optimizerStep++;
        const stepSeed = master.int(0x7fffffff);
        if (fused) {
          const losses = fused.run(rows, step);
          sums.total = (sums.total ?? 0) + losses.total;
          const ending = performance.now();
          for (const callback of callbacks) callback.onBatchEnd?.(losses, step, epoch);
          observerMs += performance.now() - ending;
          continue;
        }
        const batch = makeBatch(train, rows, stepSeed, weights);
        try {
          const observing = performance.now();
          for (const callback of callbacks) callback.onBatchBegin?.(batch, model, step, epoch);
          observerMs += performance.now() - observing;
          const losses = update.run(batch, step);
          for (const [part, value] of Object.entries(losses)) sums[part] = (sums[part] ?? 0) + value;
          const ending = performance.now();
          for (const callback of callbacks) callback.onBatchEnd?.(losses, step, epoch);
          observerMs += performance.now() - ending;
        } finally {
          disposeBatch(batch);
        }
      }
      fused?.syncModel();
      const seconds = (performance.now() - started - observerMs) / 1000;
      trainSeconds += seconds;
      const loss = sums.total / batches.length;
      if (!Number.isFinite(loss)) throw new FairkitError(`training diverged: the loss of epoch ${epoch} is ${loss}`, { fix: 'Lower --lr or the method\'s lambda' });
      const parts = Object.keys(sums).filter((part) => part !== 'total');
      const report: EpochReport = {
        epoch,
        epochs: options.epochs,
        loss,
        ...(parts.length > 0 ? { losses: Object.fromEntries(parts.map((part) => [part, sums[part] / batches.length])) } : {}),
        seconds,
        validation: validation ? validate(model, validation, epoch, callbacks) : undefined,
      };
      for (const callback of callbacks) callback.onEpochEnd?.(report);
    }
    for (const callback of callbacks) callback.onTrainEnd?.(run, 'completed');
  } catch (error) {
    if (run) for (const callback of callbacks) callback.onTrainEnd?.(run, 'failed');
    model.dispose(); // nobody else holds the model when training fails
    throw error;
  } finally {
    update?.dispose();
    fused?.dispose();
  }
  const epochsRun = history.epochs.length;
  return {
    model,
    history: history.epochs,
    trainSeconds,
    secondsPerEpoch: trainSeconds / Math.max(1, epochsRun),
    epochsRun,
    bestEpoch: stopping?.bestEpoch ?? epochsRun,
  };
}

/** The base model (a fresh MLP, or the caller's), transformed by the method (which takes the base over). */
function buildModel<P extends Record<string, unknown>>(input: FitInput<P>, config: MlpConfig, params: P): Model {
  const base = input.baseModel ? input.baseModel(config) : buildMlp(config);
  if (!input.method.model) return base;
  try {
    return input.method.model(base, params, input.train);
  } catch (error) {
    base.dispose();
    throw error;
  }
}

function checkTrainingData<P extends Record<string, unknown>>(train: EncodedDataset, method: Method<P>): void {
  if (train.nRows === 0) throw new FairkitError('the training split is empty');
  const counts = new Int32Array(train.groups.keys.length);
  for (const id of train.groups.ids) counts[id]++;
  // A method that reads each attribute alone (or no groups) needs no row of every intersection (method.ts).
  const empty = method.trainingGroups === undefined ? train.groups.keys.filter((_, id) => counts[id] === 0) : [];
  if (empty.length > 0) throw new FairkitError(`group${empty.length > 1 ? 's' : ''} ${empty.map((key) => `'${key}'`).join(', ')} ha${empty.length > 1 ? 've' : 's'} no rows in the training split`, { fix: 'Merge rare groups or choose another sensitive attribute' });
  const task = train.targets ? 'regression' : 'classification';
  if (!(method.tasks ?? ['classification']).includes(task)) throw new FairkitError(`method '${method.name}' does not support ${task}`);
  if (method.needs?.clusters && !train.clusters) throw new FairkitError(`method '${method.name}' needs cluster ids`, { fix: 'Name the cluster column (--clusters COL)' });
}

function createSampler(kind: 'shuffle' | 'balanced', train: EncodedDataset, batchSize: number, rng: Rng): BatchSampler {
  return kind === 'balanced' ? new BalancedCellSampler(train.groups.ids, train.y, batchSize, rng) : new ShuffleSampler(train.nRows, batchSize, rng);
}

function validate(model: Model, data: EncodedDataset, epoch: number, callbacks: TrainingCallback[]): Record<string, number | null> {
  for (const callback of callbacks) callback.onEvaluationBegin?.(epoch);
  const metrics = validationMetrics(data, evaluateOn(data, scoresOn(model, data)));
  for (const callback of callbacks) callback.onEvaluationEnd?.(epoch, metrics);
  return metrics;
}

/**
 * The product of the method's and the caller's row weights, either of which may be absent. The caller's are scaled
 * to average 1 first, so that uniform weights leave the method's exactly as they are.
 */
function combineWeights(own: Float32Array | undefined, given: Float32Array | undefined, nRows: number): Float32Array | undefined {
  if (given && given.length !== nRows) throw new FairkitError(`${given.length} sample weights for ${nRows} training rows`);
  if (!given) return own;
  const scaled = averagingOne(given)!;
  return own ? own.map((w, i) => w * scaled[i]) : scaled;
}

/**
 * Row weights scaled to average 1 over the training split, so that the weighted loss (the batch mean of w·ℓ) is on
 * the task loss's scale and a batch's weights act whatever its size. Weights that are all 0 are an error.
 */
function averagingOne(weights: Float32Array | undefined): Float32Array | undefined {
  if (!weights) return undefined;
  if (weights.some((w) => !(w >= 0) || !Number.isFinite(w))) throw new FairkitError('row weights must be finite and non-negative');
  const mean = weights.reduce((sum, w) => sum + w, 0) / weights.length;
  if (!(mean > 0) || !Number.isFinite(mean)) throw new FairkitError(`the row weights average ${mean}; they must be finite, non-negative and not all 0`);
  return weights.map((w) => w / mean);
}

import type { Task } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { getMethod, listMethods } from '../methods/registry.js';
import { parseMethodParams, parseTrainingOptions } from '../train/fit.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { REFERENCE_METHOD, STRONGER_FACTOR } from './conventions.js';
import { parsePostprocessSpec } from '../postprocess/spec.js';
import { makeTrial, type ProtocolName, type Trial } from './trial.js';

export interface BenchPlan {
  /** Each data set with its task (default classification): it decides which methods can run on it. */
  datasets: { name: string; sensitive: string[]; task?: Task }[];
  /**
   * Method names, or 'all': on each data set, every registered method that supports its task. A named method that
   * does not support a data set's task is an error naming the methods that do.
   */
  methods: string[] | 'all';
  /**
   * Strengths for every method that declares one (its `strength` parameter, λ), or 'defaults': each method's own
   * default strength and STRONGER_FACTOR times it (the scales differ by orders of magnitude between methods).
   * Methods without a strength run once per seed or fold.
   */
  lambdas: number[] | 'defaults';
  /** Either seeds 0..seeds−1 (each a new split) or k-fold cross-validation with seed 0. */
  repeats: { seeds: number } | { folds: number };
  protocol: ProtocolName;
  /** Overrides of the protocol's training options (e.g. { epochs: 2 }). */
  training?: Record<string, unknown>;
  /** Rows per prediction batch on the test split (flayer/projection depend on it); absent: the default batch. */
  inferenceBatchSize?: number;
  /** Post-processors each trial also fits and reports ('thresholds:eo', …); see src/postprocess/spec.ts. */
  postprocess?: string[];
}


/**
 * Every trial of a benchmark, in the order they should run: data set, then seed (or fold), then method and λ,
 * so that an interrupted run holds complete comparisons for its first seeds. Methods and parameters are checked
 * here, before anything runs.
 */
export function planTrials(plan: BenchPlan): Trial[] {
  const training = plan.training ?? {};
  parseTrainingOptions(training as TrainingOptionsInput);
  if (plan.lambdas !== 'defaults' && plan.lambdas.length === 0) throw new FairkitError('no λ values were given', { where: '--lambdas' });
  const repeats = repeatsOf(plan.repeats);
  const postprocess = plan.postprocess?.length ? [...new Set(plan.postprocess.map((text) => parsePostprocessSpec(text).text))] : undefined;
  const configurationsByTask = new Map<Task, Configuration[]>();
  const configurationsFor = (task: Task) => {
    let configurations = configurationsByTask.get(task);
    if (!configurations) configurationsByTask.set(task, (configurations = configure(methodsFor(plan.methods, task), plan.lambdas)));
    return configurations;
  };
  // Every data set is configured before any trial is made: an unsupported method fails the whole plan.
  const datasets = plan.datasets.map((dataset) => ({ ...dataset, configurations: configurationsFor(dataset.task ?? 'classification') }));
  return datasets.flatMap(({ name, sensitive, configurations }) =>
    repeats.flatMap(({ seed, fold }) =>
      configurations.map(({ method, params }) =>
        makeTrial({ dataset: name, sensitive, protocol: plan.protocol, method, params, seed, fold, training, ...(plan.inferenceBatchSize !== undefined ? { inferenceBatchSize: plan.inferenceBatchSize } : {}), ...(postprocess ? { postprocess } : {}) }),
      ),
    ),
  );
}

interface Configuration {
  method: string;
  params: Record<string, unknown>;
}

/** The reference method and the plan's methods that run on a task (all that support it, for 'all'). */
function methodsFor(names: BenchPlan['methods'], task: Task): string[] {
  const supports = (name: string) => (getMethod(name).tasks ?? ['classification']).includes(task);
  // Bench trials carry no cluster column yet, so mixed-effects methods train with `fairkit train --clusters` only.
  const needsClusters = (name: string) => getMethod(name).needs?.clusters === true;
  if (names === 'all') return [...new Set([REFERENCE_METHOD, ...listMethods().map((method) => method.name).filter((name) => supports(name) && !needsClusters(name))])];
  const methods = [...new Set([REFERENCE_METHOD, ...names])];
  const clustered = methods.filter(needsClusters);
  if (clustered.length > 0) {
    throw new FairkitError(`method${clustered.length > 1 ? 's' : ''} ${clustered.map((name) => `'${name}'`).join(', ')} need cluster ids, which bench trials do not carry yet`, {
      where: '--methods',
      fix: 'Train mixed-effects methods with `fairkit train --clusters COL`',
    });
  }
  const unsupported = methods.filter((name) => !supports(name));
  if (unsupported.length > 0) {
    const supporting = listMethods().filter((method) => (method.tasks ?? ['classification']).includes(task)).map((method) => method.name);
    throw new FairkitError(`method${unsupported.length > 1 ? 's' : ''} ${unsupported.map((name) => `'${name}'`).join(', ')} cannot train for ${task}`, {
      where: '--methods',
      fix: `Methods that support ${task}: ${supporting.join(', ')}`,
    });
  }
  return methods;
}

/** One configuration per method without a strength; per strength (λ) for the others, each checked by its schema. */
function configure(methods: string[], lambdas: BenchPlan['lambdas']): Configuration[] {
  return methods.flatMap((name) => {
    const method = getMethod(name);
    const strength = method.strength;
    if (strength === undefined) return [{ method: name, params: {} }];
    const defaultStrength = Number((method.params.parse({}) as Record<string, unknown>)[strength]);
    const strengths = lambdas === 'defaults' ? [defaultStrength, Number((STRONGER_FACTOR * defaultStrength).toPrecision(12))] : [...new Set(lambdas)];
    const paramSets: Record<string, unknown>[] = strengths.map((value) => ({ [strength]: value }));
    for (const params of paramSets) parseMethodParams(method, params);
    return paramSets.map((params) => ({ method: name, params }));
  });
}

function repeatsOf(repeats: BenchPlan['repeats']): { seed: number; fold: { index: number; of: number } | null }[] {
  if ('seeds' in repeats) return Array.from({ length: checkCount(repeats.seeds, 1, '--seeds') }, (_, seed) => ({ seed, fold: null }));
  const k = checkCount(repeats.folds, 2, '--folds');
  return Array.from({ length: k }, (_, index) => ({ seed: 0, fold: { index, of: k } }));
}

function checkCount(value: number, min: number, option: string): number {
  if (!Number.isInteger(value) || value < min) throw new FairkitError(`expected a whole number of at least ${min}, got ${value}`, { where: option });
  return value;
}

import { FairkitError } from '../errors.js';
import { getMethod } from '../methods/registry.js';
import { parseMethodParams, parseTrainingOptions } from '../train/fit.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { REFERENCE_METHOD, STRONGER_FACTOR } from './conventions.js';
import { makeTrial, type ProtocolName, type Trial } from './trial.js';

export interface BenchPlan {
  datasets: { name: string; sensitive: string[] }[];
  methods: string[];
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
}


/**
 * Every trial of a benchmark, in the order they should run: data set, then seed (or fold), then method and λ,
 * so that an interrupted run holds complete comparisons for its first seeds. Methods and parameters are checked
 * here, before anything runs.
 */
export function planTrials(plan: BenchPlan): Trial[] {
  const training = plan.training ?? {};
  parseTrainingOptions(training as TrainingOptionsInput);
  const methods = [...new Set([REFERENCE_METHOD, ...plan.methods])];
  const configurations = methods.flatMap((name) => {
    const method = getMethod(name);
    const strength = method.strength;
    if (strength === undefined) return [{ method: name, params: {} }];
    const defaultStrength = Number((method.params.parse({}) as Record<string, unknown>)[strength]);
    const strengths = plan.lambdas === 'defaults' ? [defaultStrength, Number((STRONGER_FACTOR * defaultStrength).toPrecision(12))] : [...new Set(plan.lambdas)];
    const paramSets: Record<string, unknown>[] = strengths.map((value) => ({ [strength]: value }));
    for (const params of paramSets) parseMethodParams(method, params);
    return paramSets.map((params) => ({ method: name, params }));
  });
  const repeats = repeatsOf(plan.repeats);
  if (plan.lambdas !== 'defaults' && plan.lambdas.length === 0) throw new FairkitError('no λ values were given', { where: '--lambdas' });
  return plan.datasets.flatMap(({ name, sensitive }) =>
    repeats.flatMap(({ seed, fold }) =>
      configurations.map(({ method, params }) =>
        makeTrial({ dataset: name, sensitive, protocol: plan.protocol, method, params, seed, fold, training }),
      ),
    ),
  );
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

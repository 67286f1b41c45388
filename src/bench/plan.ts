import type { Task } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { getMethod, listMethods } from '../methods/registry.js';
import { parseMethodParams, parseTrainingOptions } from '../train/fit.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { REFERENCE_METHOD, STRONGER_FACTOR } from './conventions.js';
import { parsePostprocessSpec } from '../postprocess/spec.js';
import { makeTrial, type ClusterSplit, type ProtocolName, type Trial } from './trial.js';
import type { TrainingGroups } from '../data/prepare.js';

/** A data set's cluster column, as the bench found it. */
export interface PlanClusters {
  column: string;
  /** Distinct values in the column (an unseen cluster split needs at least one per fold). */
  count: number;
  /** Chosen with --clusters rather than the data set's own: then recorded in every trial (trial.clusters). */
  chosen: boolean;
}

export interface BenchPlan {
  /**
   * Each data set with its task (default classification), which decides which methods can run on it, and its
   * cluster column if any, without which mixed-effects methods cannot.
   */
  datasets: { name: string; sensitive: string[]; task?: Task; clusters?: PlanClusters }[];
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
  /**
   * Either seeds 0..seeds−1 (each a new split) or k-fold cross-validation, once with seed 0 or repeated for seeds
   * 0..seeds−1 (each seed a new fold assignment); its folds may be drawn from the clusters (`clusterSplit`).
   */
  repeats: { seeds: number } | { folds: number; seeds?: number; clusterSplit?: ClusterSplit };
  protocol: ProtocolName;
  /** Overrides of the protocol's training options (e.g. { epochs: 2 }). */
  training?: Record<string, unknown>;
  /** Rows per prediction batch on the test split (flayer/projection depend on it); absent: the default batch. */
  inferenceBatchSize?: number;
  /** Post-processors each trial also fits and reports ('thresholds:eo', …); see src/postprocess/spec.ts. */
  postprocess?: string[];
  /** What training needs of the sensitive groups (prepare.ts; default 'intersection'). 'marginal' admits only methods that read each attribute alone. */
  groups?: TrainingGroups;
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
  const configurationsByKind = new Map<string, Configuration[]>();
  const configurationsFor = (task: Task, dataset: BenchPlan['datasets'][number]) => {
    const kind = `${task} ${dataset.clusters !== undefined}`;
    let configurations = configurationsByKind.get(kind);
    if (!configurations) configurationsByKind.set(kind, (configurations = configure(methodsFor(plan.methods, task, dataset), plan.lambdas)));
    return configurations;
  };
  // Every data set is configured and checked before any trial is made: an unsupported method fails the whole plan.
  const datasets = plan.datasets.map((dataset) => {
    checkClusterSplit(plan.repeats, dataset);
    const configurations = configurationsFor(dataset.task ?? 'classification', dataset);
    if (plan.groups === 'marginal') checkMarginalGroups(configurations.map(({ method }) => method));
    return { ...dataset, configurations };
  });
  return datasets.flatMap(({ name, sensitive, clusters, configurations }) =>
    repeats.flatMap(({ seed, fold }) =>
      configurations.map(({ method, params }) =>
        makeTrial({
          dataset: name, sensitive, protocol: plan.protocol, method, params, seed, fold, training,
          ...(clusters?.chosen ? { clusters: clusters.column } : {}),
          ...(plan.inferenceBatchSize !== undefined ? { inferenceBatchSize: plan.inferenceBatchSize } : {}),
          ...(postprocess ? { postprocess } : {}),
          ...(plan.groups === 'marginal' ? { groups: 'marginal' as const } : {}),
        }),
      ),
    ),
  );
}

/** A cluster split needs a cluster column, and holding clusters out needs at least one cluster per fold. */
function checkClusterSplit(repeats: BenchPlan['repeats'], dataset: BenchPlan['datasets'][number]): void {
  if (!('folds' in repeats) || repeats.clusterSplit === undefined) return;
  if (!dataset.clusters) {
    throw new FairkitError(`--cluster-split ${repeats.clusterSplit} needs a cluster column, and data set '${dataset.name}' has none`, { where: '--cluster-split', fix: 'Name one with --clusters COL' });
  }
  if (repeats.clusterSplit === 'unseen' && repeats.folds > dataset.clusters.count) {
    throw new FairkitError(`--folds ${repeats.folds} with --cluster-split unseen holds out whole clusters, but '${dataset.clusters.column}' of data set '${dataset.name}' has only ${dataset.clusters.count} values`, {
      where: '--folds',
      fix: `Use --folds ${dataset.clusters.count} or fewer, or --cluster-split seen`,
    });
  }
}

/** Marginal groups may leave an intersection without training rows: only methods that do not need one may run. */
function checkMarginalGroups(methods: string[]): void {
  const needIntersections = [...new Set(methods)].filter((name) => getMethod(name).trainingGroups === undefined);
  if (needIntersections.length === 0) return;
  const marginal = listMethods().filter((method) => method.trainingGroups !== undefined).map((method) => method.name);
  throw new FairkitError(`method${needIntersections.length > 1 ? 's' : ''} ${needIntersections.map((name) => `'${name}'`).join(', ')} train${needIntersections.length > 1 ? '' : 's'} on every intersection group, which --groups marginal does not guarantee in training`, {
    where: '--groups',
    fix: `Drop --groups marginal (intersection groups), or run only methods that read each attribute alone or no groups: ${marginal.join(', ')}`,
  });
}

interface Configuration {
  method: string;
  params: Record<string, unknown>;
}

/**
 * The reference method and the plan's methods that run on a task (all that support it, for 'all'). Mixed-effects
 * methods need the data set's cluster ids: 'all' leaves them out of a data set without a cluster column.
 */
function methodsFor(names: BenchPlan['methods'], task: Task, dataset: BenchPlan['datasets'][number]): string[] {
  const supports = (name: string) => (getMethod(name).tasks ?? ['classification']).includes(task);
  const lacksClusters = (name: string) => getMethod(name).needs?.clusters === true && dataset.clusters === undefined;
  if (names === 'all') return [...new Set([REFERENCE_METHOD, ...listMethods().map((method) => method.name).filter((name) => supports(name) && !lacksClusters(name))])];
  const methods = [...new Set([REFERENCE_METHOD, ...names])];
  const clustered = methods.filter(lacksClusters);
  if (clustered.length > 0) {
    throw new FairkitError(`method${clustered.length > 1 ? 's' : ''} ${clustered.map((name) => `'${name}'`).join(', ')} need cluster ids, and data set '${dataset.name}' has no cluster column`, {
      where: '--methods',
      fix: 'Name one with --clusters COL (e.g. occupation for adult, as in Fair MEDL)',
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

/** Seed by seed; under cross-validation each seed's k folds in turn (a seed draws one fold assignment). */
function repeatsOf(repeats: BenchPlan['repeats']): { seed: number; fold: Trial['fold'] }[] {
  if (!('folds' in repeats)) return Array.from({ length: checkCount(repeats.seeds, 1, '--seeds') }, (_, seed) => ({ seed, fold: null }));
  const k = checkCount(repeats.folds, 2, '--folds');
  const seeds = checkCount(repeats.seeds ?? 1, 1, '--seeds');
  const split = repeats.clusterSplit !== undefined ? { clusterSplit: repeats.clusterSplit } : {};
  return Array.from({ length: seeds }, (_, seed) => Array.from({ length: k }, (_, index) => ({ seed, fold: { index, of: k, ...split } }))).flat();
}

function checkCount(value: number, min: number, option: string): number {
  if (!Number.isInteger(value) || value < min) throw new FairkitError(`expected a whole number of at least ${min}, got ${value}`, { where: option });
  return value;
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairkitError } from '../errors.js';
import { listMethods } from '../methods/registry.js';
import { planTrials, type BenchPlan } from './plan.js';

const plan: BenchPlan = {
  datasets: [{ name: 'synthetic', sensitive: ['group'] }],
  methods: ['eor', 'oversample'],
  lambdas: [0.1, 1],
  repeats: { seeds: 2 },
  protocol: 'gcm',
};

test('λ methods run once per λ, the others once; erm is always added; seeds come first', () => {
  const trials = planTrials(plan);
  assert.deepEqual(
    trials.map((trial) => `${trial.seed} ${trial.method} ${JSON.stringify(trial.params)}`),
    [0, 1].flatMap((seed) => [`${seed} erm {}`, `${seed} eor {"lambda":0.1}`, `${seed} eor {"lambda":1}`, `${seed} oversample {}`]),
  );
  assert.equal(new Set(trials.map((trial) => trial.id)).size, trials.length);
  assert.deepEqual(planTrials(plan).map((trial) => trial.id), trials.map((trial) => trial.id), 'the same plan gives the same ids');
});

test('without a λ list each method runs at its default λ and four times it', () => {
  const trials = planTrials({ ...plan, methods: ['eor', 'reweigh'], lambdas: 'defaults', repeats: { seeds: 1 } });
  assert.deepEqual(trials.map((trial) => `${trial.method} ${JSON.stringify(trial.params)}`), ['erm {}', 'eor {"lambda":0.4}', 'eor {"lambda":1.6}', 'reweigh {"lambda":1}', 'reweigh {"lambda":4}']);
});

test('folds use seed 0 and one trial per fold', () => {
  const trials = planTrials({ ...plan, methods: ['erm'], repeats: { folds: 3 } });
  assert.deepEqual(trials.map((trial) => [trial.seed, trial.fold]), [0, 1, 2].map((index) => [0, { index, of: 3 }]));
});

test('unknown methods, bad training overrides and empty λ lists fail before anything runs', () => {
  assert.throws(() => planTrials({ ...plan, methods: ['nosuch'] }), (error: Error) => error instanceof FairkitError && /unknown method 'nosuch'/.test(error.message));
  assert.throws(() => planTrials({ ...plan, training: { epochs: 0 } }), /training option 'epochs'/);
  assert.throws(() => planTrials({ ...plan, lambdas: [] }), /no λ values/);
  assert.throws(() => planTrials({ ...plan, repeats: { folds: 1 } }), /--folds/);
});

test('a λ given twice plans one trial', () => {
  const trials = planTrials({ ...plan, methods: ['eor'], lambdas: [1, 1, 1.0], repeats: { seeds: 1 } });
  assert.deepEqual(trials.map((trial) => `${trial.method} ${JSON.stringify(trial.params)}`), ['erm {}', 'eor {"lambda":1}']);
});

test('a regression data set plans only methods that support regression; a named one that does not fails first', () => {
  const regression: BenchPlan = { ...plan, datasets: [{ name: 'synthetic-regression', sensitive: ['group'], task: 'regression' }], lambdas: 'defaults', repeats: { seeds: 1 } };
  const all = planTrials({ ...regression, methods: 'all' });
  assert.deepEqual([...new Set(all.map((trial) => trial.method))], listMethods().filter((method) => method.tasks?.includes('regression') && !method.needs?.clusters).map((method) => method.name));
  // The mixed-effects methods support regression but need cluster ids, which synthetic-regression has none of.
  assert.ok(!all.some((trial) => trial.method === 'eor'));
  assert.deepEqual(planTrials({ ...regression, methods: ['penalty'] }).map((trial) => `${trial.method} ${JSON.stringify(trial.params)}`), ['erm {}', 'penalty {"lambda":0.1}', 'penalty {"lambda":0.4}']);
  assert.throws(
    () => planTrials({ ...regression, methods: ['reweigh', 'eor', 'gcm'] }),
    (error: Error) => error instanceof FairkitError && /methods 'eor', 'gcm' cannot train for regression/.test(error.message) && /erm, reweigh, penalty/.test(String((error as FairkitError).fix)),
  );
  // With a classification data set beside it, 'all' still means every method there.
  const both = planTrials({ ...regression, methods: 'all', datasets: [...regression.datasets, { name: 'synthetic', sensitive: ['group'] }] });
  assert.ok(both.some((trial) => trial.dataset === 'synthetic' && trial.method === 'eor'));
  assert.ok(!both.some((trial) => trial.dataset === 'synthetic-regression' && trial.method === 'eor'));
});

test("'all' leaves out methods that need cluster ids where there are none; naming one there fails with the way to give them", () => {
  const clustered = listMethods().filter((method) => method.needs?.clusters).map((method) => method.name);
  assert.ok(clustered.includes('fair-medl'));
  const all = planTrials({ ...plan, methods: 'all', lambdas: 'defaults', repeats: { seeds: 1 } });
  assert.ok(all.some((trial) => trial.method === 'eor'));
  assert.ok(!all.some((trial) => clustered.includes(trial.method)));
  assert.throws(
    () => planTrials({ ...plan, methods: ['eor', 'fair-medl'] }),
    (error: Error) => error instanceof FairkitError && /'fair-medl' need cluster ids, and data set 'synthetic' has no cluster column/.test(error.message) && /--clusters/.test(String((error as FairkitError).fix)),
  );
});

const site = { column: 'site', count: 20, chosen: false };
const clusteredPlan: BenchPlan = { ...plan, datasets: [{ name: 'synthetic-biased', sensitive: ['group'], clusters: site }] };

test("with a cluster column, 'all' and named mixed-effects methods run; a data set without one beside it keeps them out", () => {
  const clustered = listMethods().filter((method) => method.needs?.clusters).map((method) => method.name);
  const both = planTrials({ ...clusteredPlan, methods: 'all', lambdas: 'defaults', repeats: { seeds: 1 }, datasets: [...clusteredPlan.datasets, ...plan.datasets] });
  assert.deepEqual([...new Set(both.filter((trial) => trial.dataset === 'synthetic-biased' && clustered.includes(trial.method)).map((trial) => trial.method))], clustered);
  assert.ok(!both.some((trial) => trial.dataset === 'synthetic' && clustered.includes(trial.method)));
  const named = planTrials({ ...clusteredPlan, methods: ['medl', 'fair-medl'], lambdas: [1], repeats: { seeds: 1 } });
  assert.deepEqual(named.map((trial) => `${trial.method} ${JSON.stringify(trial.params)}`), ['erm {}', 'medl {}', 'fair-medl {"lambdaFairness":1}']);
  assert.ok(named.every((trial) => !('clusters' in trial)), "the data set's own cluster column is not recorded");
});

test('trial ids are unchanged without the new options; --clusters, --cluster-split and repeated folds change only their trials', () => {
  // Ids of these plans as the bench gave them before cluster columns and splits existed (that version's planTrials).
  assert.deepEqual(planTrials({ ...plan, methods: ['erm'], repeats: { seeds: 1 } }).map((trial) => trial.id), ['802cdf8d49d5bb1e']);
  const folds = planTrials({ ...plan, methods: ['erm'], repeats: { folds: 2 } });
  assert.deepEqual(folds.map((trial) => trial.id), FOLD_IDS);
  assert.deepEqual(planTrials({ ...plan, datasets: [{ ...plan.datasets[0], clusters: { ...site, column: 'region' } }], methods: ['erm'], repeats: { folds: 2 } }).map((trial) => trial.id), FOLD_IDS, "the data set's own cluster column changes no id");
  const chosen = planTrials({ ...plan, datasets: [{ ...plan.datasets[0], clusters: { column: 'region', count: 3, chosen: true } }], methods: ['erm'], repeats: { folds: 2 } });
  assert.ok(chosen.every((trial) => trial.clusters === 'region' && !FOLD_IDS.includes(trial.id)));
  const unseen = planTrials({ ...clusteredPlan, methods: ['erm'], repeats: { folds: 2, clusterSplit: 'unseen' } });
  assert.deepEqual(unseen.map((trial) => trial.fold), [0, 1].map((index) => ({ index, of: 2, clusterSplit: 'unseen' })));
  const repeated = planTrials({ ...plan, methods: ['erm'], repeats: { folds: 2, seeds: 2 } });
  assert.deepEqual(repeated.map((trial) => [trial.seed, trial.fold!.index]), [[0, 0], [0, 1], [1, 0], [1, 1]]);
  assert.deepEqual(repeated.slice(0, 2).map((trial) => trial.id), FOLD_IDS, 'seed 0 of repeated folds is plain --folds');
});

const FOLD_IDS = ['67c2e398c7cbaaa0', '5b468886118c202c'];

test('a cluster split without a cluster column, or with more unseen folds than clusters, fails before anything runs', () => {
  assert.throws(
    () => planTrials({ ...plan, repeats: { folds: 3, clusterSplit: 'seen' } }),
    (error: Error) => error instanceof FairkitError && /--cluster-split seen needs a cluster column, and data set 'synthetic' has none/.test(error.message),
  );
  assert.throws(
    () => planTrials({ ...clusteredPlan, repeats: { folds: 21, clusterSplit: 'unseen' } }),
    (error: Error) => error instanceof FairkitError && /--folds 21 with --cluster-split unseen .* 'site' of data set 'synthetic-biased' has only 20 values/.test(error.message) && /--folds 20 or fewer/.test(String((error as FairkitError).fix)),
  );
  assert.equal(planTrials({ ...clusteredPlan, methods: ['erm'], repeats: { folds: 20, clusterSplit: 'unseen' } }).length, 20);
  assert.throws(() => planTrials({ ...clusteredPlan, repeats: { folds: 1, clusterSplit: 'unseen' } }), /--folds/);
});

test('--groups marginal: trials record it, methods that need every intersection are refused by name; the default keeps trial ids', () => {
  const clustered: BenchPlan = { ...plan, datasets: [{ name: 'synthetic-biased', sensitive: ['group'], clusters: { column: 'site', count: 20, chosen: false } }], methods: ['medl', 'fair-medl'], lambdas: [1], repeats: { seeds: 1 } };
  const marginal = planTrials({ ...clustered, groups: 'marginal' });
  assert.deepEqual(marginal.map((trial) => `${trial.method} ${trial.groups}`), ['erm marginal', 'medl marginal', 'fair-medl marginal']);
  const intersection = planTrials({ ...clustered, groups: 'intersection' });
  assert.deepEqual(intersection.map((trial) => trial.id), planTrials(clustered).map((trial) => trial.id));
  assert.ok(intersection.every((trial) => !('groups' in trial)));
  assert.ok(marginal.every((trial, i) => trial.id !== intersection[i].id));
  assert.throws(
    () => planTrials({ ...clustered, methods: ['medl', 'reweigh'], groups: 'marginal' }),
    (error: Error) => error instanceof FairkitError && /method 'reweigh' trains on every intersection group/.test(error.message) && /erm.*medl/.test(String((error as FairkitError).fix)),
  );
});

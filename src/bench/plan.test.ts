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
  assert.deepEqual([...new Set(all.map((trial) => trial.method))], listMethods().filter((method) => method.tasks?.includes('regression')).map((method) => method.name));
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

test("'all' leaves out methods that need cluster ids; naming one fails with the way to train it", () => {
  const clustered = listMethods().filter((method) => method.needs?.clusters).map((method) => method.name);
  assert.ok(clustered.includes('fair-medl'));
  const all = planTrials({ ...plan, methods: 'all', lambdas: 'defaults', repeats: { seeds: 1 } });
  assert.ok(all.some((trial) => trial.method === 'eor'));
  assert.ok(!all.some((trial) => clustered.includes(trial.method)));
  assert.throws(
    () => planTrials({ ...plan, methods: ['eor', 'fair-medl'] }),
    (error: Error) => error instanceof FairkitError && /'fair-medl' need cluster ids/.test(error.message) && /--clusters/.test(String((error as FairkitError).fix)),
  );
});

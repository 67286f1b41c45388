/**
 * Properties every registered method must have, checked over the registry (a new method is covered the moment it is
 * registered): it trains; the loop's forward calls give a group-aware model the group ids of the rows; it honours
 * row weights or refuses them naming itself; `fairkit bench` sweeps its declared strength.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { planTrials, type BenchPlan } from '../bench/plan.js';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import { parseTable } from '../data/csv.js';
import { generateSynthetic } from '../data/synthetic.js';
import { FairkitError } from '../errors.js';
import { initBackend } from '../nn/backend.js';
import type { Model, ModelInputs, ForwardOptions } from '../nn/model.js';
import { buildMlp } from '../nn/mlp.js';
import { fit, type FitInput } from '../train/fit.js';
import type { Method } from '../train/method.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { listMethods } from './registry.js';

const options: TrainingOptionsInput = { epochs: 1, batchSize: 200, learningRate: 0.01, hidden: [8], progress: 'silent', seed: 4 };

interface ForwardCall {
  rows: number;
  training: boolean;
  groups?: Int32Array;
}

/** A model that forwards to another and records what each forward call was given. */
function recording(inner: Model, calls: ForwardCall[]): Model {
  return {
    config: inner.config,
    weights: inner.weights,
    variables: inner.variables,
    forward(inputs: ModelInputs, forwardOptions?: ForwardOptions) {
      calls.push({ rows: inputs.x.shape[0], training: forwardOptions?.training === true, groups: inputs.groups?.slice() });
      return inner.forward(inputs, forwardOptions);
    },
    apply(x, applyOptions = {}) {
      return this.forward({ x, groups: applyOptions.groups, clusters: applyOptions.clusters }, applyOptions).logits;
    },
    dispose: () => inner.dispose(),
  };
}

/** fit's input for the method with the model it trains (after the method's own transform) wrapped in a recording model. */
function recorded<P extends Record<string, unknown>>(method: Method<P>, calls: ForwardCall[]): Pick<FitInput<P>, 'method' | 'baseModel'> {
  const transform = method.model;
  if (transform) return { method: { ...method, model: (base, params, train) => recording(transform(base, params, train), calls) } };
  return { method, baseModel: (config) => recording(buildMlp(config), calls) };
}

const weightsOf = (model: Model) => model.weights.map((w) => Array.from(w.variable.dataSync()));

describe('properties of every registered method', () => {
  let data: PreparedSplits;
  before(async () => {
    await initBackend();
    // Four sites as clusters, for the mixed-effects methods (the others ignore cluster ids).
    const synthetic = generateSynthetic({ rows: 1500, seed: 21 });
    synthetic.table.names.push('site');
    synthetic.table.columns.set('site', { kind: 'categorical', values: Array.from({ length: synthetic.table.nRows }, (_, i) => `site${i % 4}`) });
    data = prepareDataset({ ...synthetic, spec: { ...synthetic.spec, sensitive: ['group', 'region'], cluster: 'site' } }, { seed: 21 });
  });

  test('the registry is not empty and names are unique', () => {
    const names = listMethods().map((method) => method.name);
    assert.ok(names.length >= 11);
    assert.equal(new Set(names).size, names.length);
  });

  for (const method of listMethods()) {
    test(`${method.name}: every training step hands the model the group id of each row it runs on`, () => {
      const calls: ForwardCall[] = [];
      const result = fit({ ...recorded(method, calls), params: {}, train: data.train, options });
      result.model.dispose();
      const steps = Math.ceil(data.train.nRows / 200);
      const withGroups = calls.filter((call) => call.training && call.groups !== undefined);
      const nGroups = data.train.groups.keys.length;
      // At least one call per step carries ids (a method may add passes on rows that belong to no group, such as
      // FairMixup's interpolated rows), and every call that carries them carries one valid id per row.
      assert.ok(withGroups.length >= steps, `${withGroups.length} training calls with group ids over ${steps} steps`);
      for (const call of withGroups) {
        assert.equal(call.groups!.length, call.rows);
        assert.ok(call.groups!.every((g) => g >= 0 && g < nGroups));
      }
      // The batches hold every group: the ids were not a constant filler.
      assert.equal(new Set(withGroups.flatMap((call) => Array.from(call.groups!))).size, nGroups);
    });

    test(`${method.name}: honours row weights (uniform weights change nothing, others change the model) or refuses them`, () => {
      const skewed = Float32Array.from(data.train.groups.ids, (g, i) => (g === 0 && data.train.y[i] === 1 ? 6 : 1));
      const run = (sampleWeights?: Float32Array) => {
        const model = fit({ method, params: {}, train: data.train, options, sampleWeights }).model;
        const values = weightsOf(model);
        model.dispose();
        return values;
      };
      if (method.acceptsSampleWeights === false) {
        assert.throws(() => run(skewed), (error: unknown) => error instanceof FairkitError && error.message.includes(`method '${method.name}' does not support sample weights`));
        return;
      }
      const plain = run();
      assert.deepEqual(run(new Float32Array(data.train.nRows).fill(2.5)), plain, 'weights are scaled to average 1, so uniform weights are no weights');
      assert.notDeepEqual(run(skewed), plain);
    });

    test(`${method.name}: fairkit bench sweeps its declared strength`, () => {
      let datasets: BenchPlan['datasets'] = [{ name: 'synthetic', sensitive: ['group'] }];
      if (method.needs?.clusters) {
        // On a data set without a cluster column such a method is refused by name, not run without cluster ids.
        assert.throws(() => planTrials({ datasets, methods: [method.name], lambdas: 'defaults', repeats: { seeds: 1 }, protocol: 'gcm' }), (error: unknown) => error instanceof FairkitError && error.message.includes(`'${method.name}' need cluster ids`));
        datasets = [{ name: 'synthetic-biased', sensitive: ['group'], clusters: { column: 'site', count: 20, chosen: false } }];
      }
      const trials = planTrials({ datasets, methods: [method.name], lambdas: [0.5, 2], repeats: { seeds: 1 }, protocol: 'gcm' });
      const own = trials.filter((trial) => trial.method === method.name);
      if (method.strength === undefined) {
        assert.deepEqual(own.map((trial) => trial.params), [{}]);
        return;
      }
      assert.ok(method.strength in method.paramDocs, `strength '${method.strength}' is a documented parameter`);
      assert.deepEqual(own.map((trial) => trial.params[method.strength!]), [0.5, 2]);
      const defaults = planTrials({ datasets, methods: [method.name], lambdas: 'defaults', repeats: { seeds: 1 }, protocol: 'gcm' });
      const defaultStrength = (method.params.parse({}) as Record<string, number>)[method.strength];
      assert.ok(defaultStrength > 0);
      assert.deepEqual(defaults.filter((trial) => trial.method === method.name).map((trial) => trial.params[method.strength!]), [defaultStrength, Number((4 * defaultStrength).toPrecision(12))]);
    });
  }

  test('every method either trains on a regression task (and learns it) or refuses it, naming itself', () => {
    // y = 2·x1 − x2 + group shift + small noise, a linear task an MLP learns in a few epochs.
    const rows = Array.from({ length: 600 }, (_, i) => {
      const [x1, x2, g] = [((i * 37) % 101) / 50 - 1, ((i * 53) % 97) / 48 - 1, i % 3 === 0 ? 'a' : 'b'];
      return `${x1},${x2},${g},${2 * x1 - x2 + (g === 'a' ? 0.5 : 0) + (((i * 29) % 11) - 5) / 100}`;
    });
    const regression = prepareDataset({ name: 'linear', table: parseTable(['x1,x2,g,y', ...rows].join('\n')), spec: { target: 'y', positive: '', sensitive: ['g'], task: 'regression' }, description: 'test' }, { seed: 2 });
    // Mixed-effects methods also get a cluster column (two sites, not an input).
    const sited = ['x1,x2,g,site,y', ...rows.map((row, i) => row.replace(/,([^,]*)$/, `,${i % 2 === 0 ? 'east' : 'west'},$1`))].join('\n');
    const clustered = prepareDataset({ name: 'linear', table: parseTable(sited), spec: { target: 'y', positive: '', sensitive: ['g'], features: ['x1', 'x2', 'g'], cluster: 'site', task: 'regression' }, description: 'test' }, { seed: 2 });
    const supporting: string[] = [];
    for (const method of listMethods()) {
      const train = method.needs?.clusters ? clustered.train : regression.train;
      const run = () => fit({ method, params: {}, train, options: { ...options, epochs: 30, batchSize: 60, learningRate: 0.02, hidden: [16] } });
      if (!(method.tasks ?? ['classification']).includes('regression')) {
        assert.throws(run, (error: unknown) => error instanceof FairkitError && error.message.includes(`method '${method.name}' does not support regression`));
        continue;
      }
      supporting.push(method.name);
      const result = run();
      const first = result.history[0].loss;
      const last = result.history[result.history.length - 1].loss;
      result.model.dispose();
      assert.ok(last < 0.2 * first, `${method.name}: loss ${first} → ${last}`);
    }
    assert.ok(supporting.includes('erm'));
  });

  test('no tensor is left behind by the recording runs', () => {
    const start = tf.memory().numTensors;
    const calls: ForwardCall[] = [];
    fit({ ...recorded(listMethods()[0], calls), params: {}, train: data.train, options }).model.dispose();
    assert.equal(tf.memory().numTensors, start);
  });
});

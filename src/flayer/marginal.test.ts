import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { initBackend } from '../nn/backend.js';
import { buildMlp } from '../nn/mlp.js';
import fixtureJson from './fixtures/flayer_marginal.json' with { type: 'json' };
import { finiteDifferenceGradient, kktResiduals, maxAbsDiff, seededVector, tensorGradient, type ProjectionCase } from './fixture.test-helper.js';
import { marginalAttributes, projectBatch, withProjection, type MarginalAttribute } from './projected-model.js';
import { projectHost } from './solver-host.js';

/** A case of scripts/fixtures/flayer_marginal.py: intersectional ids 3·a + b, a ∈ {0, 1}, b ∈ {0, 1, 2}. */
type MarginalCase = Omit<ProjectionCase, 'kind' | 'attributes'> & { constraint: 'marginal' | 'intersection'; groups: number[] };
const cases = (fixtureJson as unknown as { cases: MarginalCase[] }).cases;

// The group index of the 2 × 3 intersection, as prepareDataset builds it (keys "a|b", one value record per group).
const groupIndex = {
  attributes: ['A', 'B'],
  values: [0, 1].flatMap((a) => [0, 1, 2].map((b) => ({ A: `a${a}`, B: `b${b}` }))),
};
const nGroups = 6;

function configOf(c: MarginalCase): { nGroups: number; epsilon: number; marginal?: MarginalAttribute[] } {
  return { nGroups, epsilon: c.epsilon, ...(c.constraint === 'marginal' ? { marginal: marginalAttributes(groupIndex) } : {}) };
}

const asKktCase = (c: MarginalCase) => c as unknown as ProjectionCase;

describe('F-Layer projection of intersectional ids, marginal or intersectional, against SciPy SLSQP', () => {
  before(async () => {
    await initBackend('wasm');
  });

  test('marginalAttributes maps each intersectional group to its value of each attribute', () => {
    assert.deepEqual(marginalAttributes(groupIndex), [
      { attribute: 'A', valueOf: [0, 0, 0, 1, 1, 1], nValues: 2 },
      { attribute: 'B', valueOf: [0, 1, 2, 0, 1, 2], nValues: 3 },
    ]);
    assert.throws(() => marginalAttributes({ attributes: ['A', 'C'], values: groupIndex.values }), (e: unknown) => e instanceof FairkitError && /'C'/.test(e.message));
  });

  for (const c of cases) {
    test(`${c.name}: float32 tensor projection within 1e-5 of SciPy, feasible, and KKT-stationary with SciPy's multipliers`, () => {
      const r = tf.tensor2d(c.r, [c.r.length, 1]);
      const y = projectBatch(r, Int32Array.from(c.groups), configOf(c));
      const values = y.dataSync();
      assert.ok(maxAbsDiff(values, c.y) <= 1e-5, `max error ${maxAbsDiff(values, c.y)}`);
      const kkt = kktResiduals(asKktCase(c), values);
      assert.ok(kkt.violation <= 1e-5, `violation ${kkt.violation}`);
      assert.ok(kkt.stationarity <= 1e-5, `stationarity ${kkt.stationarity}`);
      tf.dispose([r, y]);
    });
  }

  for (const c of cases.filter((x) => x.constraint === 'marginal')) {
    test(`${c.name}: float64 host solver on the marginal ids within 1e-9 of SciPy, with a KKT certificate`, () => {
      const ecp = marginalAttributes(groupIndex).map(({ valueOf, nValues }) => ({ groups: Int32Array.from(c.groups, (g) => valueOf[g]), nGroups: nValues }));
      const solution = projectHost(Float64Array.from(c.r), { epsilon: c.epsilon, ecp });
      assert.ok(maxAbsDiff(solution.y, c.y) <= 1e-9, `max error ${maxAbsDiff(solution.y, c.y)}`);
      const kkt = kktResiduals(asKktCase(c), solution.y);
      assert.ok(kkt.violation <= 1e-10 && kkt.stationarity <= 1e-8 && kkt.slackness <= 1e-9, JSON.stringify(kkt));
      // Rows are in the script's order (A's pairs, then B's): the multipliers are unique here and agree.
      assert.equal(solution.rows.length, c.rows.length);
      assert.ok(maxAbsDiff(solution.multipliers, c.multipliers) <= 1e-6, `multipliers differ by ${maxAbsDiff(solution.multipliers, c.multipliers)}`);
    });
  }

  test('marginal: the gradient through the projection matches central differences of the host solver', () => {
    const c = cases.find((x) => x.name === 'marginal')!;
    const config = configOf(c);
    const groups = Int32Array.from(c.groups);
    const ecp = config.marginal!.map(({ valueOf, nValues }) => ({ groups: Int32Array.from(groups, (g) => valueOf[g]), nGroups: nValues }));
    const w = seededVector(c.r.length, 5);
    const grad = tensorGradient((x) => projectBatch(x, groups, config), c.r, w);
    const fd = finiteDifferenceGradient((x) => projectHost(x, { epsilon: c.epsilon, ecp }).y, c.r, w);
    assert.ok(maxAbsDiff(grad, fd) <= 1e-5, `max error ${maxAbsDiff(grad, fd)}`);
  });

  test('marginal leaves intersectional gaps open that the intersection constraint closes', () => {
    const c = cases.find((x) => x.name === 'marginal')!;
    const r = tf.tensor1d(c.r);
    const groups = Int32Array.from(c.groups);
    const largestCellGap = (y: tf.Tensor) => {
      const v = y.dataSync();
      const means = [...Array(nGroups).keys()].map((g) => {
        const rows = c.groups.flatMap((h, i) => (h === g ? [v[i]] : []));
        return rows.reduce((s, x) => s + x, 0) / rows.length;
      });
      return Math.max(...means) - Math.min(...means);
    };
    const marginal = projectBatch(r, groups, configOf(c));
    const intersection = projectBatch(r, groups, { nGroups, epsilon: c.epsilon });
    assert.ok(largestCellGap(marginal) > 5 * c.epsilon, `cell gap after the marginal projection ${largestCellGap(marginal)}`);
    assert.ok(largestCellGap(intersection) <= c.epsilon + 1e-5);
    tf.dispose([r, marginal, intersection]);
  });

  test('a marginal map that does not fit the groups is refused when the model is built', () => {
    const base = buildMlp({ inputDim: 2, hidden: [], outputDim: 1, activation: 'relu', seed: 1 });
    const bad = [{ attribute: 'A', valueOf: [0, 0, 1], nValues: 2 }];
    assert.throws(() => withProjection(base, { nGroups, epsilon: 0.1, during: 'always', marginal: bad }), (e: unknown) => e instanceof FairkitError && /'A'/.test(e.message));
    base.dispose();
  });
});

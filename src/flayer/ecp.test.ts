import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../nn/backend.js';
import { projectEcp, projectEcpWithSolution } from './ecp.js';
import { projectEcpHost } from './ecp-host.js';
import { caseNamed, cases, finiteDifferenceGradient, kktResiduals, maxAbsDiff, seededVector, tensorGradient } from './fixture.test-helper.js';

const ecpCases = cases.filter((c) => c.kind === 'ecp' && c.attributes.length === 1);
const idsOf = (c: (typeof cases)[number]) => Int32Array.from(c.attributes[0].groups);

describe('ECP projection, one attribute (closed form) against the SciPy SLSQP solution', () => {
  before(async () => {
    await initBackend('wasm');
  });

  test('the fixture has the cases the brief lists', () => {
    for (const name of ['binary-active', 'binary-inactive', 'k4-active', 'k4-two-low-two-high', 'k4-inactive', 'k4-absent-group', 'one-group-present']) caseNamed(name);
  });

  for (const c of ecpCases) {
    test(`${c.name}: float64 host version within 1e-9, KKT with the reference multipliers`, () => {
      const { y } = projectEcpHost(Float64Array.from(c.r), idsOf(c), c.nGroups!, c.epsilon);
      assert.ok(maxAbsDiff(y, c.y) <= 1e-9, `max error ${maxAbsDiff(y, c.y)}`);
      const kkt = kktResiduals(c, y);
      assert.ok(kkt.violation <= 1e-12, `violation ${kkt.violation}`);
      assert.ok(kkt.stationarity <= 1e-9, `stationarity ${kkt.stationarity}`);
      assert.ok(kkt.slackness <= 1e-9, `complementary slackness ${kkt.slackness}`);
    });

    test(`${c.name}: float32 tensor version within 1e-6, same shape`, () => {
      for (const shape of [[c.r.length], [c.r.length, 1]]) {
        const r = tf.tensor(c.r, shape);
        const y = projectEcp(r, idsOf(c), c.nGroups!, c.epsilon);
        assert.deepEqual(y.shape, shape);
        const err = maxAbsDiff(y.dataSync(), c.y);
        assert.ok(err <= 1e-6, `max error ${err}`);
        tf.dispose([r, y]);
      }
    });
  }

  test('inactive and single-group cases return the outputs unchanged', () => {
    for (const name of ['binary-inactive', 'k4-inactive', 'one-group-present']) {
      const c = caseNamed(name);
      const { y, solution } = projectEcpHost(Float64Array.from(c.r), idsOf(c), c.nGroups!, c.epsilon);
      assert.deepEqual(Array.from(y), c.r);
      assert.equal(solution.lower, null);
    }
  });

  test('an absent group gets no constraint and stays free', () => {
    const c = caseNamed('k4-absent-group');
    const { solution } = projectEcpHost(Float64Array.from(c.r), idsOf(c), c.nGroups!, c.epsilon);
    assert.equal(solution.counts[2], 0);
    assert.equal(solution.sides[2], 'free');
  });

  test('rows with a negative group id are not moved', () => {
    const c = caseNamed('k4-active');
    const ids = idsOf(c);
    ids[0] = -1;
    const { y } = projectEcpHost(Float64Array.from(c.r), ids, c.nGroups!, c.epsilon);
    assert.equal(y[0], c.r[0]);
  });

  test('binary active: the Jacobian is I − a aᵀ/(aᵀa), a = 1/n0 on G0, −1/n1 on G1', () => {
    const c = caseNamed('binary-active');
    const ids = idsOf(c);
    const w = seededVector(c.r.length, 7);
    const grad = tensorGradient((x) => projectEcp(x, ids, 2, c.epsilon), c.r, w);
    const n0 = ids.filter((g) => g === 0).length;
    const n1 = ids.length - n0;
    const a = Array.from(ids, (g) => (g === 0 ? 1 / n0 : -1 / n1));
    const aw = a.reduce((s, v, i) => s + v * w[i], 0);
    const aa = a.reduce((s, v) => s + v * v, 0);
    const expected = w.map((v, i) => v - (a[i] * aw) / aa);
    assert.ok(maxAbsDiff(grad, expected) <= 1e-5, `max error ${maxAbsDiff(grad, expected)}`);
    // The unfairness direction carries no gradient.
    assert.ok(Math.abs(a.reduce((s, v, i) => s + v * grad[i], 0)) <= 1e-5);
  });

  for (const name of ['k4-active', 'k4-active-middle-free', 'k4-absent-group', 'k4-two-low-two-high']) {
    test(`${name}: autodiff gradient matches central differences of the float64 host version`, () => {
      const c = caseNamed(name);
      const ids = idsOf(c);
      const w = seededVector(c.r.length, 11);
      const grad = tensorGradient((x) => projectEcp(x, ids, c.nGroups!, c.epsilon), c.r, w);
      const fd = finiteDifferenceGradient((x) => projectEcpHost(x, ids, c.nGroups!, c.epsilon).y, c.r, w);
      assert.ok(maxAbsDiff(grad, fd) <= 1e-5, `max error ${maxAbsDiff(grad, fd)}`);
    });
  }

  test('the active set is read from the data; the tensor form uses only the kept sides', () => {
    const c = caseNamed('k4-active-middle-free');
    const r = tf.tensor1d(c.r);
    const { y, solution } = projectEcpWithSolution(r, idsOf(c), c.nGroups!, c.epsilon);
    assert.deepEqual(solution.sides, ['low', 'low', 'free', 'high']);
    tf.dispose([r, y]);
  });
});

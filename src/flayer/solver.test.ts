import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { initBackend } from '../nn/backend.js';
import { projectEcpHost } from './ecp-host.js';
import { caseNamed, cases, finiteDifferenceGradient, kktResiduals, maxAbsDiff, seededVector, specOf, tensorGradient } from './fixture.test-helper.js';
import { projectFair, projectFairWithSolution } from './project.js';
import { projectHost } from './solver-host.js';

const multiCases = ['two-attributes-ecp', 'eer-no-box', 'eer-box'].map(caseNamed);

describe('F-Layer projection onto several sets (Dykstra + active-set polish) against the SciPy SLSQP solution', () => {
  before(async () => {
    await initBackend('wasm');
  });

  for (const c of multiCases) {
    test(`${c.name}: float64 host solution within 1e-9, KKT certificate, same active set as SciPy`, () => {
      const solution = projectHost(Float64Array.from(c.r), specOf(c));
      assert.ok(maxAbsDiff(solution.y, c.y) <= 1e-9, `max error ${maxAbsDiff(solution.y, c.y)}`);
      // eer-no-box is degenerate: both attributes partition the same rows, so its four active rows are linearly
      // dependent and the multipliers are not unique; it is accepted when Dykstra stalls on a feasible polished point.
      assert.equal(solution.acceptedBy, c.name === 'eer-no-box' ? 'stall' : 'kkt');
      const kkt = kktResiduals(c, solution.y);
      assert.ok(kkt.violation <= 1e-10, `violation ${kkt.violation}`);
      assert.ok(kkt.stationarity <= 1e-8, `stationarity ${kkt.stationarity}`);
      assert.ok(kkt.slackness <= 1e-9, `complementary slackness ${kkt.slackness}`);
      // Rows are built in the script's order, so indexes line up: our active rows are active for SciPy too, and
      // where the multipliers are unique (independent active rows) they agree.
      assert.equal(solution.rows.length, c.rows.length);
      for (const k of solution.active) assert.ok(c.active.includes(k), `${solution.rows[k].name} is active here but not for SciPy`);
      if (c.name === 'two-attributes-ecp') assert.ok(maxAbsDiff(solution.multipliers, c.multipliers) <= 1e-6, `multipliers differ by ${maxAbsDiff(solution.multipliers, c.multipliers)}`);
      assert.deepEqual(solution.boxUpper, c.boxUpper);
      assert.deepEqual(solution.boxLower, c.boxLower);
    });

    test(`${c.name}: float32 tensor version within 1e-6`, () => {
      const r = tf.tensor2d(c.r, [c.r.length, 1]);
      const y = projectFair(r, specOf(c));
      assert.deepEqual(y.shape, [c.r.length, 1]);
      assert.ok(maxAbsDiff(y.dataSync(), c.y) <= 1e-6, `max error ${maxAbsDiff(y.dataSync(), c.y)}`);
      tf.dispose([r, y]);
    });

    test(`${c.name}: the implicit-function gradient matches central differences of the host solver`, () => {
      const spec = specOf(c);
      const w = seededVector(c.r.length, 3);
      const grad = tensorGradient((x) => projectFair(x, spec), c.r, w);
      const fd = finiteDifferenceGradient((x) => projectHost(x, spec).y, c.r, w);
      assert.ok(maxAbsDiff(grad, fd) <= 1e-5, `max error ${maxAbsDiff(grad, fd)}`);
    });
  }

  test('one attribute: the solver agrees with the closed form (including a degenerate two-low-two-high case)', () => {
    for (const c of cases.filter((x) => x.kind === 'ecp' && x.attributes.length === 1)) {
      const closed = projectEcpHost(Float64Array.from(c.r), Int32Array.from(c.attributes[0].groups), c.nGroups!, c.epsilon).y;
      const solved = projectHost(Float64Array.from(c.r), specOf(c)).y;
      assert.ok(maxAbsDiff(closed, solved) <= 1e-10, `${c.name}: max difference ${maxAbsDiff(closed, solved)}`);
    }
  });

  test('a box with no room for the EER band is reported, not looped on', () => {
    const c = caseNamed('eer-box');
    const spec = { ...specOf(c), box: { lower: 10, upper: 11 } };
    assert.throws(() => projectHost(Float64Array.from(c.r), spec, { maxCycles: 200 }), (e: unknown) => e instanceof FairkitError && /did not converge in 200 Dykstra cycles/.test(e.message));
  });

  test('invalid inputs are refused', () => {
    const c = caseNamed('eer-box');
    assert.throws(() => projectHost(Float64Array.from(c.r), { ...specOf(c), epsilon: -1 }), FairkitError);
    assert.throws(() => projectHost(Float64Array.from(c.r), { ...specOf(c), box: { lower: 1, upper: 0 } }), FairkitError);
    assert.throws(() => projectHost(Float64Array.from(c.r).subarray(1), specOf(c)), FairkitError);
  });

  test('the returned solution carries the active set used for the gradient', () => {
    const c = caseNamed('eer-box');
    const r = tf.tensor1d(c.r);
    const { y, solution } = projectFairWithSolution(r, specOf(c));
    assert.ok(solution.active.length > 0 && solution.boxUpper.length + solution.boxLower.length > 0);
    assert.equal(solution.form.rows.length, solution.active.filter((k) => solution.multipliers[k] !== 0).length);
    assert.ok(solution.cycles >= 1);
    tf.dispose([r, y]);
  });
});

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { initBackend } from '../nn/backend.js';
import { projectEer, projectEerHost } from './eer.js';
import { finiteDifferenceGradient, kktResiduals, maxAbsDiff, seededVector, specOf, tensorGradient, type ProjectionCase } from './fixture.test-helper.js';
import fixtureJson from './fixtures/flayer_eer.json' with { type: 'json' };
import { projectFair } from './project.js';
import { projectHost } from './solver-host.js';

// Cases of src/flayer/fixtures/flayer_eer.py: generic SLSQP solutions in float64 with NNLS multipliers.
const cases = (fixtureJson as unknown as { cases: ProjectionCase[] }).cases;
const eerCases = cases.filter((c) => c.kind === 'eer' && !c.box);
const boxCases = cases.filter((c) => c.box);

const groupsOf = (c: ProjectionCase) => Int32Array.from(c.attributes[0].groups);

describe('F-Layer EER projection (one attribute, closed form) against SciPy', () => {
  before(async () => {
    await initBackend('wasm');
  });

  for (const c of eerCases) {
    test(`${c.name}: float64 closed form within 1e-9 of SciPy, feasible, KKT with SciPy's multipliers`, () => {
      const { y, solution } = projectEerHost(Float64Array.from(c.r), c.targets!, groupsOf(c), c.nGroups!, c.epsilon);
      assert.ok(maxAbsDiff(y, c.y) <= 1e-9, `max error ${maxAbsDiff(y, c.y)}`);
      const kkt = kktResiduals(c, y);
      assert.ok(kkt.violation <= 1e-12, `violation ${kkt.violation}`);
      assert.ok(kkt.stationarity <= 1e-9, `stationarity ${kkt.stationarity}`);
      assert.ok(kkt.slackness <= 1e-9, `complementary slackness ${kkt.slackness}`);
      // The active groups are the ones SciPy has an active row for (rows: +(g), −(g) for each present group).
      const presentGroups = [...new Set(c.attributes[0].groups)].sort((a, b) => a - b);
      const scipyActive = new Set(c.active.map((k) => presentGroups[Math.floor(k / 2)]));
      const ours = new Set([...solution.sides.keys()].filter((g) => solution.sides[g] !== 0));
      assert.deepEqual([...ours].sort(), [...scipyActive].sort());
    });

    test(`${c.name}: float32 tensor version within 1e-5, and the several-set solver agrees`, () => {
      const r = tf.tensor2d(c.r, [c.r.length, 1]);
      const y = projectEer(r, c.targets!, groupsOf(c), c.nGroups!, c.epsilon);
      assert.deepEqual(y.shape, [c.r.length, 1]);
      assert.ok(maxAbsDiff(y.dataSync(), c.y) <= 1e-5, `max error ${maxAbsDiff(y.dataSync(), c.y)}`);
      tf.dispose([r, y]);
      assert.ok(maxAbsDiff(projectHost(Float64Array.from(c.r), specOf(c)).y, c.y) <= 1e-9);
    });

    test(`${c.name}: the gradient is I − 11ᵀ/n_g on active groups, and matches central differences`, () => {
      const groups = groupsOf(c);
      const w = seededVector(c.r.length, 5);
      const grad = tensorGradient((x) => projectEer(x, c.targets!, groups, c.nGroups!, c.epsilon), c.r, w);
      const fd = finiteDifferenceGradient((x) => projectEerHost(x, c.targets!, groups, c.nGroups!, c.epsilon).y, c.r, w);
      assert.ok(maxAbsDiff(grad, fd) <= 1e-5, `max error against finite differences ${maxAbsDiff(grad, fd)}`);
      // Jᵀw: on an active group w_i − mean_g(w), elsewhere w_i.
      const { sides } = projectEerHost(Float64Array.from(c.r), c.targets!, groups, c.nGroups!, c.epsilon).solution;
      const expected = w.map((wi, i) => {
        const g = groups[i];
        if (sides[g] === 0) return wi;
        const members = w.filter((_, j) => groups[j] === g);
        return wi - members.reduce((s, v) => s + v, 0) / members.length;
      });
      assert.ok(maxAbsDiff(grad, expected) <= 1e-6, `max error against the closed form ${maxAbsDiff(grad, expected)}`);
    });
  }

  for (const c of boxCases) {
    test(`${c.name}: with a box, the Dykstra solver within 1e-9 of SciPy with KKT, its tensor form and gradient`, () => {
      const solution = projectHost(Float64Array.from(c.r), specOf(c));
      assert.ok(maxAbsDiff(solution.y, c.y) <= 1e-9, `max error ${maxAbsDiff(solution.y, c.y)}`);
      assert.equal(solution.acceptedBy, 'kkt');
      const kkt = kktResiduals(c, solution.y);
      assert.ok(kkt.violation <= 1e-10 && kkt.stationarity <= 1e-8 && kkt.slackness <= 1e-9, JSON.stringify(kkt));
      assert.deepEqual(solution.boxUpper, c.boxUpper);
      assert.deepEqual(solution.boxLower, c.boxLower);
      const r = tf.tensor1d(c.r);
      const y = projectFair(r, specOf(c));
      assert.ok(maxAbsDiff(y.dataSync(), c.y) <= 1e-5, `tensor max error ${maxAbsDiff(y.dataSync(), c.y)}`);
      tf.dispose([r, y]);
      const spec = specOf(c);
      const w = seededVector(c.r.length, 7);
      const grad = tensorGradient((x) => projectFair(x, spec), c.r, w);
      const fd = finiteDifferenceGradient((x) => projectHost(x, spec).y, c.r, w);
      assert.ok(maxAbsDiff(grad, fd) <= 1e-5, `gradient max error ${maxAbsDiff(grad, fd)}`);
    });
  }

  test('bad inputs are refused with the reason', () => {
    const c = eerCases[0];
    const groups = groupsOf(c);
    const r = Float64Array.from(c.r);
    assert.throws(() => projectEerHost(r, c.targets!.slice(1), groups, 2, 0.05), (e: unknown) => e instanceof FairkitError && /23 targets for 24 outputs/.test(e.message));
    const nan = [...c.targets!];
    nan[3] = Number.NaN;
    assert.throws(() => projectEerHost(r, nan, groups, 2, 0.05), (e: unknown) => e instanceof FairkitError && /non-finite target \(NaN\) at row 3/.test(e.message));
    assert.throws(() => projectEerHost(r, c.targets!, groups, 2, -1), FairkitError);
    assert.throws(() => projectEerHost(r, c.targets!, groups, 1, 0.05), /out of range/);
  });
});

/**
 * Fair MEDL's per-output report: AUROC and balanced accuracy against scikit-learn, the counterfactual flip rate of a
 * known logistic model against NumPy (scripts/fixtures/medl_output_metrics.py → fixtures/output-metrics.json), and
 * the report of a trained medl model, in code and through `fairkit train`.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import { prepareDataset } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import { fairkit } from '../cli/run-cli.test-helper.js';
import { FairkitError } from '../errors.js';
import { initBackend } from '../nn/backend.js';
import { fit } from '../train/fit.js';
import { counterfactualFlips } from './counterfactual.js';
import fixtureJson from './fixtures/output-metrics.json' with { type: 'json' };
import { medl } from './methods.js';
import { medlReport, outputMetrics } from './output-report.js';

type PerOutput = Record<'fe' | 'me', number>;
const fixture = fixtureJson as unknown as {
  yTrue: number[];
  scores: Record<'fe' | 'me', number[]>;
  outputs: Record<'fe' | 'me', { rocAuc: number; balancedAccuracy: number }>;
  featureNames: string[];
  X: number[];
  nRows: number;
  weights: Record<'fe' | 'me', number[]>;
  bias: PerOutput;
  counterfactual: Record<string, { flipRate: PerOutput; meanAbsChange: PerOutput }>;
};
const near = (actual: number | null | undefined, expected: number, what: string) => assert.ok(actual != null && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} vs ${expected}`);

/** The fixture's logistic model, one weight vector per output, in float64. */
function logistic(X: Float32Array, nRows: number): Record<'fe' | 'me', Float64Array> {
  const d = fixture.featureNames.length;
  const out = (w: number[], b: number) => Float64Array.from({ length: nRows }, (_, row) => 1 / (1 + Math.exp(-(w.reduce((sum, wj, j) => sum + wj * X[row * d + j], 0) + b))));
  return { fe: out(fixture.weights.fe, fixture.bias.fe), me: out(fixture.weights.me, fixture.bias.me) };
}

describe('Fair MEDL per-output metrics', () => {
  test('AUROC and balanced accuracy of the FE and ME outputs match scikit-learn (tied scores included)', () => {
    const groups = { attributes: ['g'], keys: ['a'], values: [{ g: 'a' }], ids: new Int32Array(fixture.yTrue.length) };
    for (const output of ['fe', 'me'] as const) {
      const metrics = outputMetrics({ y: Uint8Array.from(fixture.yTrue), groups }, fixture.scores[output]);
      near(metrics.rocAuc, fixture.outputs[output].rocAuc, `${output} AUROC`);
      near(metrics.balancedAccuracy, fixture.outputs[output].balancedAccuracy, `${output} balanced accuracy`);
    }
  });

  test('counterfactual flip rate and mean |Δp| match NumPy; numeric and absent attributes are skipped with a reason', () => {
    const results = counterfactualFlips({ X: Float32Array.from(fixture.X), nRows: fixture.nRows, featureNames: fixture.featureNames, attributes: ['sex', 'age', 'income', 'region'], score: logistic });
    for (const result of results.slice(0, 2)) {
      const expected = fixture.counterfactual[result.attribute];
      for (const output of ['fe', 'me'] as const) {
        near(result.flipRate![output], expected.flipRate[output], `${result.attribute} ${output} flip rate`);
        // The model reads float32 features but computes in float64: only the inputs are rounded.
        assert.ok(Math.abs(result.meanAbsChange![output] - expected.meanAbsChange[output]) < 1e-6, `${result.attribute} ${output} mean |Δp|`);
      }
    }
    assert.deepEqual(results[1].values, ['a', 'b', 'c'], '<missing> is not a value to move to');
    assert.deepEqual(results.slice(2).map((r) => [r.flipRate, r.reason]), [[null, 'a numeric input: no discrete value to move to'], [null, 'not a model input']]);
    assert.throws(() => counterfactualFlips({ X: new Float32Array(5), nRows: 1, featureNames: fixture.featureNames, attributes: ['sex'], score: logistic }), (e: unknown) => e instanceof FairkitError && /expected 1 rows × 9 columns/.test(e.message));
  });

  describe('on a trained medl model', () => {
    before(async () => {
      await initBackend();
    });

    test('reports both outputs; rows of unseen clusters get ME = FE, so both outputs report the same', () => {
      const synthetic = generateSynthetic({ rows: 600, seed: 3 });
      // group made an input, so that it can be moved; region is the cluster.
      const features = [...synthetic.spec.features!.filter((name) => name !== 'region'), 'group'];
      const { train, test: split } = prepareDataset({ ...synthetic, spec: { ...synthetic.spec, features, sensitiveAsFeature: true, cluster: 'region' } }, { seed: 3 });
      const { model } = fit({ method: medl, params: {}, train, options: { epochs: 2, batchSize: 100, learningRate: 0.01, hidden: [8], progress: 'silent', seed: 3 } });
      try {
        const report = medlReport(model, split);
        assert.notDeepEqual(report.outputs.fe, report.outputs.me, 'seen clusters: random effects move the ME output');
        assert.deepEqual(report.counterfactual.map((c) => [c.attribute, c.values]), [['group', ['majority', 'minority']]]);
        for (const output of ['fe', 'me'] as const) assert.ok(report.counterfactual[0].flipRate![output] >= 0 && report.counterfactual[0].meanAbsChange![output] > 0);
        const unseen = medlReport(model, { ...split, clusters: new Int32Array(split.nRows).fill(-1) });
        assert.deepEqual(unseen.outputs.me, unseen.outputs.fe);
        assert.deepEqual(unseen.counterfactual[0].flipRate!.me, unseen.counterfactual[0].flipRate!.fe);
      } finally {
        model.dispose();
      }
    });

    test('fairkit train prints the FE and ME outputs and the flip rate for a medl method', () => {
      const example = fileURLToPath(new URL('../../examples/synthetic-loans.csv', import.meta.url));
      const args = ['train', '--dataset', example, '--target', 'approved', '--sensitive', 'group', '--drop', 'id,score,decision', '--clusters', 'region', '--method', 'medl', '--epochs', '1', '--hidden', '8'];
      const json = fairkit(...args, '--format', 'json');
      assert.equal(json.status, 0, json.stderr);
      const { medl: report } = JSON.parse(json.stdout).test;
      assert.deepEqual(Object.keys(report.outputs), ['fe', 'me']);
      assert.deepEqual(Object.keys(report.outputs.fe), ['rocAuc', 'balancedAccuracy', 'spreads']);
      assert.equal(report.counterfactual[0].attribute, 'group');
      const text = fairkit(...args);
      assert.equal(text.status, 0, text.stderr);
      assert.match(text.stdout, /fixed-effects \(FE\) and mixed-effects \(ME\) outputs:\noutput {2}AUROC/);
      assert.match(text.stdout, /counterfactual group \(each row moved to every other of 2 values\): flip rate FE \d\.\d{4}, ME \d\.\d{4}/);
    });
  });
});

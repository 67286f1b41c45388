import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { fitGroupClassifier, groupProbabilities, predictGroup } from './group-classifier.js';

interface Case {
  name: string;
  c: number;
  groups: string[];
  x: number[][];
  group: number[];
  probabilities: number[][];
  accuracy: number;
  coef: number[][];
  intercept: number[];
}
/** scikit-learn LogisticRegression on StandardScaler features, float64 (fixtures/group-classifier.py). */
const fixture = JSON.parse(readFileSync(new URL('../../src/steer/fixtures/group-classifier.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('fitGroupClassifier', () => {
  for (const reference of fixture.cases) {
    test(`matches scikit-learn's LogisticRegression(C=${reference.c}): ${reference.name}`, () => {
      const d = reference.x[0].length;
      const classifier = fitGroupClassifier(Float64Array.from(reference.x.flat()), d, reference.group, reference.groups, { c: reference.c });
      reference.x.forEach((row, i) => {
        const p = groupProbabilities(classifier, row);
        // scikit-learn's lbfgs stops with a gradient of ~4e-5 on the three-group case (its probabilities are 1.2e-6 from
        // the optimum found by scipy's BFGS polishing them); Newton converges further.
        reference.probabilities[i].forEach((q, g) => assert.ok(Math.abs(p[g] - q) < 5e-6, `row ${i}, group ${g}: ${p[g]} vs ${q}`));
      });
      assert.equal(classifier.trainingAccuracy, reference.accuracy);
      // Two groups: one coefficient vector, as scikit-learn's binary model.
      if (reference.groups.length === 2) reference.coef[0].forEach((w, j) => assert.ok(Math.abs(classifier.weights[j] - w) < 1e-6, `coefficient ${j}`));
    });
  }

  test('predicts the group of well-separated rows; a constant feature is harmless', () => {
    const rows = Float64Array.from([0, 7, 0.2, 7, 0.1, 7, 5, 7, 5.3, 7, 4.9, 7]);
    const classifier = fitGroupClassifier(rows, 2, [0, 0, 0, 1, 1, 1], ['a', 'b']);
    assert.equal(classifier.trainingAccuracy, 1);
    assert.deepEqual([predictGroup(classifier, [0.3, 7]), predictGroup(classifier, [4.5, 7])], ['a', 'b']);
    assert.equal(classifier.featureScale[1], 1);
  });

  test('bad input: C ≤ 0, one group, a row of the wrong width', () => {
    const rows = Float64Array.from([0, 1, 2, 3]);
    assert.throws(() => fitGroupClassifier(rows, 1, [0, 0, 1, 1], ['a', 'b'], { c: 0 }), (e: unknown) => e instanceof FairkitError && /C must be a finite number > 0, got 0/.test(e.message));
    assert.throws(() => fitGroupClassifier(rows, 1, [0, 0, 0, 0], ['a']), /needs at least two groups, found 1/);
    const classifier = fitGroupClassifier(rows, 1, [0, 0, 1, 1], ['a', 'b']);
    assert.throws(() => groupProbabilities(classifier, [1, 2]), /a row has 2 features, the group classifier 1/);
  });
});

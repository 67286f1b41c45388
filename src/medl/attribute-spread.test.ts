import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spreadByAttribute } from './attribute-spread.js';
import fixtureJson from './fixtures/attribute-spread.json' with { type: 'json' };

interface Expected {
  values: string[];
  tpr: (number | null)[];
  fpr: (number | null)[];
  tprStd: number;
  fprStd: number;
}

const fixture = fixtureJson as unknown as { attributes: string[]; keys: string[]; groupValues: Record<string, string>[]; yTrue: number[]; scores: number[]; groupIds: number[]; expected: Record<string, Expected> };

const close = (actual: number | null, expected: number | null, what: string) => {
  if (expected === null) return assert.equal(actual, null, what);
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${what}: ${actual} vs ${expected}`);
};

describe('SD-TPR and SD-FPR per sensitive attribute', () => {
  test('match NumPy on intersectional groups, leaving out a value without positives', () => {
    const spreads = spreadByAttribute({ yTrue: fixture.yTrue, scores: fixture.scores, groupIds: fixture.groupIds, groups: { attributes: fixture.attributes, values: fixture.groupValues } });
    assert.deepEqual(spreads.map((s) => s.attribute), ['age', 'sex']);
    for (const spread of spreads) {
      const expected = fixture.expected[spread.attribute];
      assert.deepEqual(spread.values, expected.values);
      spread.tpr.forEach((v, i) => close(v, expected.tpr[i], `${spread.attribute} TPR ${expected.values[i]}`));
      spread.fpr.forEach((v, i) => close(v, expected.fpr[i], `${spread.attribute} FPR ${expected.values[i]}`));
      close(spread.tprStd, expected.tprStd, `${spread.attribute} SD-TPR`);
      close(spread.fprStd, expected.fprStd, `${spread.attribute} SD-FPR`);
    }
    assert.equal(fixture.expected.age.tpr[3], null, 'the fixture exercises an undefined TPR');
  });

  test('hard predictions give the same spreads as their scores at 0.5', () => {
    const groups = { attributes: fixture.attributes, values: fixture.groupValues };
    const fromScores = spreadByAttribute({ yTrue: fixture.yTrue, scores: fixture.scores, groupIds: fixture.groupIds, groups });
    const fromLabels = spreadByAttribute({ yTrue: fixture.yTrue, yPred: fixture.scores.map((s) => (s >= 0.5 ? 1 : 0)), groupIds: fixture.groupIds, groups });
    assert.deepEqual(fromLabels, fromScores);
  });
});

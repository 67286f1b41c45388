import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { evaluate } from '../metrics/compute.js';
import { expectedRates } from './expected-rates.js';

const groups = { attributes: ['g'], keys: ['a', 'b'], values: [{ g: 'a' }, { g: 'b' }] };
const labels = [1, 1, 0, 0, 1, 0, 1, 0, 0];
const groupIds = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1]);
const probabilities = [0.9, 0.5, 0.25, 0, 1, 0.5, 0.2, 0.1, 0];

describe('expectedRates: the randomised classifier by its expected counts', () => {
  test('closed form on a small case', () => {
    const rates = expectedRates(probabilities, labels, groupIds, 2);
    // a: TPR (0.9 + 0.5) / 2 = 0.7, FPR 0.25 / 2; b: TPR (1 + 0.2) / 2 = 0.6, FPR 0.6 / 3.
    assert.ok(Math.abs(rates.groups[0].tpr! - 0.7) < 1e-12 && Math.abs(rates.groups[0].fpr! - 0.125) < 1e-12);
    assert.ok(Math.abs(rates.groups[1].tpr! - 0.6) < 1e-12 && Math.abs(rates.groups[1].fpr! - 0.2) < 1e-12);
    assert.ok(Math.abs(rates.equalizedOddsSum! - (0.1 + 0.075)) < 1e-12);
    // correct: 0.9 + 0.5 + 0.75 + 1 + 1 + 0.5 + 0.2 + 0.9 + 1 = 6.75 of 9 rows.
    assert.ok(Math.abs(rates.accuracy - 6.75 / 9) < 1e-12);
  });

  test('equals the mean of the sampled metrics over every possible draw (enumerated, weighted by its probability)', () => {
    // Accuracy and group rates are means over fixed rows, so their expectation over draws is exactly the expected
    // counts (the ΔEO sum of expected rates is not the expected sampled ΔEO sum: |·| is not linear). 2^9 draws.
    let accuracy = 0;
    const tpr = [0, 0];
    const fpr = [0, 0];
    for (let mask = 0; mask < 1 << labels.length; mask++) {
      const yPred = labels.map((_, i) => (mask >> i) & 1);
      const weight = yPred.reduce((w, bit, i) => w * (bit ? probabilities[i] : 1 - probabilities[i]), 1);
      if (weight === 0) continue;
      const report = evaluate({ yTrue: labels, yPred, groupIds, groups });
      accuracy += weight * report.overall.accuracy!;
      report.groups.forEach((group, g) => {
        tpr[g] += weight * group.tpr!;
        fpr[g] += weight * group.fpr!;
      });
    }
    const rates = expectedRates(probabilities, labels, groupIds, 2);
    assert.ok(Math.abs(rates.accuracy - accuracy) < 1e-12);
    rates.groups.forEach((group, g) => {
      assert.ok(Math.abs(group.tpr! - tpr[g]) < 1e-12);
      assert.ok(Math.abs(group.fpr! - fpr[g]) < 1e-12);
    });
  });

  test('with 0/1 probabilities it is the sampled report', () => {
    const yPred = probabilities.map((p) => (p >= 0.5 ? 1 : 0));
    const report = evaluate({ yTrue: labels, yPred, groupIds, groups });
    const rates = expectedRates(yPred, labels, groupIds, 2);
    assert.ok(Math.abs(rates.accuracy - report.overall.accuracy!) < 1e-12);
    assert.ok(Math.abs(rates.equalizedOddsSum! - (report.fairness.equalizedOddsSum as number)) < 1e-12);
  });

  test('a group without negatives has no FPR and no ΔEO sum', () => {
    const rates = expectedRates([0.5, 0.5, 0.5], [1, 1, 0], Int32Array.from([0, 1, 1]), 2);
    assert.equal(rates.groups[0].fpr, null);
    assert.equal(rates.equalizedOddsSum, null);
  });

  test('bad input is named', () => {
    const isError = (pattern: RegExp) => (error: unknown) => error instanceof FairkitError && pattern.test(error.message);
    assert.throws(() => expectedRates([0.5], [1, 0], Int32Array.from([0, 0]), 2), isError(/as many probabilities/));
    assert.throws(() => expectedRates([0.5, Number.NaN], [1, 0], Int32Array.from([0, 0]), 2), isError(/row 1: probability NaN/));
    assert.throws(() => expectedRates([0.5, 1.5], [1, 0], Int32Array.from([0, 0]), 2), isError(/row 1: probability 1.5/));
    assert.throws(() => expectedRates([0.5], [1], Int32Array.from([2]), 2), isError(/group id 2/));
    assert.throws(() => expectedRates([], [], Int32Array.from([]), 2), isError(/no rows/));
  });
});

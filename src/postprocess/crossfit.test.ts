import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EncodedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { concatSplits, crossFit, selectSplitRows, testScoresOf, type Scorer } from './crossfit.js';
import { fitThresholds } from './thresholds.js';

/** A split whose first feature is the row's id (offset by `first`) and whose second is a score-like value. */
function split(nRows: number, first = 0): EncodedDataset {
  const X = new Float32Array(nRows * 2);
  const y = new Uint8Array(nRows);
  const ids = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) {
    X[2 * i] = first + i;
    X[2 * i + 1] = ((first + i) * 37 % 101) / 101;
    y[i] = (first + i) % 3 === 0 ? 1 : 0;
    ids[i] = (first + i) % 2;
  }
  return { X, nRows, nFeatures: 2, featureNames: ['id', 'value'], y, groups: { attributes: ['g'], keys: ['a', 'b'], values: [{ g: 'a' }, { g: 'b' }], ids } };
}

const idsOf = (data: EncodedDataset) => Array.from({ length: data.nRows }, (_, i) => data.X[2 * i]);

describe('cross-fitting: pooling and selecting rows', () => {
  test('concatSplits keeps the first split\'s rows, then the second\'s, with their labels and groups', () => {
    const pooled = concatSplits(split(5), split(3, 5));
    assert.equal(pooled.nRows, 8);
    assert.deepEqual(idsOf(pooled), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(Array.from(pooled.y), [1, 0, 0, 1, 0, 0, 1, 0]);
    assert.deepEqual(Array.from(pooled.groups.ids), [0, 1, 0, 1, 0, 1, 0, 1]);
  });

  test('concatSplits refuses splits encoded differently', () => {
    const other = { ...split(3), groups: { ...split(3).groups, keys: ['a', 'c'] } };
    assert.throws(() => concatSplits(split(3), other), (error: unknown) => error instanceof FairkitError && /encoded differently/.test(error.message));
  });

  test('selectSplitRows takes the rows in the order given', () => {
    const picked = selectSplitRows(split(6), [4, 1, 1]);
    assert.deepEqual(idsOf(picked), [4, 1, 1]);
    assert.deepEqual(Array.from(picked.y), [0, 0, 0]);
    assert.deepEqual(Array.from(picked.groups.ids), [0, 1, 1]);
  });
});

describe('cross-fitting: every row is scored by the model that did not see it', () => {
  const pool = split(60);
  const trainedOn: Set<number>[] = [];
  // A "model" that remembers its training rows and scores a row 1 if it saw it, else the row's value feature.
  const result = crossFit(pool, 5, 7, (rows, fold) => {
    const seen = new Set(idsOf(rows));
    trainedOn[fold] = seen;
    return (data) => idsOf(data).map((id, i) => (seen.has(id) ? 1 : data.X[2 * i + 1]));
  });

  test('the folds partition the rows, balanced within each (label, group) stratum', () => {
    assert.equal(result.scorers.length, 5);
    for (let fold = 0; fold < 5; fold++) {
      const members = idsOf(pool).filter((_, row) => result.foldOf[row] === fold);
      assert.equal(members.length, 12);
      assert.equal(trainedOn[fold].size, 48);
      for (const id of members) assert.ok(!trainedOn[fold].has(id), `fold ${fold}'s model saw its own row ${id}`);
      for (let stratum = 0; stratum < 4; stratum++) {
        const rows = [...pool.y.keys()].filter((row) => 2 * pool.groups.ids[row] + pool.y[row] === stratum);
        const inFold = rows.filter((row) => result.foldOf[row] === fold).length;
        assert.ok(Math.abs(inFold - rows.length / 5) < 1, `stratum ${stratum}: ${inFold} of ${rows.length} rows in fold ${fold}`);
      }
    }
  });

  test('no out-of-fold score comes from a model that trained on the row', () => {
    const values = Array.from({ length: pool.nRows }, (_, i) => pool.X[2 * i + 1]);
    assert.deepEqual(Array.from(result.outOfFold), values);
  });

  test('the same seed gives the same folds, another seed other folds', () => {
    const again = crossFit(pool, 5, 7, () => (data) => new Float64Array(data.nRows));
    const other = crossFit(pool, 5, 8, () => (data) => new Float64Array(data.nRows));
    assert.deepEqual(again.foldOf, result.foldOf);
    assert.notDeepEqual(other.foldOf, result.foldOf);
  });

  test('with a model that ignores its training rows, the thresholds equal those fitted on that model\'s scores of all rows', () => {
    const fixed: Scorer = (data) => Array.from({ length: data.nRows }, (_, i) => data.X[2 * i + 1]);
    const crossFitted = crossFit(pool, 3, 1, () => fixed);
    const input = { labels: pool.y, groupIds: pool.groups.ids, keys: pool.groups.keys };
    const options = { constraint: 'eo' as const, randomised: true, seed: 0 };
    assert.deepEqual(fitThresholds({ ...input, scores: crossFitted.outOfFold }, options), fitThresholds({ ...input, scores: fixed(pool) }, options));
  });

  test('fewer than two folds is an error', () => {
    assert.throws(() => crossFit(pool, 1, 0, () => (data) => new Float64Array(data.nRows)), /number of folds/);
  });
});

describe('cross-fitting: test scores from the fold models', () => {
  const test_ = split(3000);
  const scorers: Scorer[] = [0.1, 0.4, 0.7].map((value) => (data) => new Float64Array(data.nRows).fill(value));

  test('mean: the average of the models\' scores', () => {
    for (const score of testScoresOf(scorers, test_, 'mean', 0)) assert.ok(Math.abs(score - 0.4) < 1e-12);
  });

  test('draw: one model per row, each about a third of the rows, the same for the same seed', () => {
    const drawn = testScoresOf(scorers, test_, 'draw', 3);
    for (const value of [0.1, 0.4, 0.7]) {
      const share = drawn.filter((score) => score === value).length / drawn.length;
      assert.ok(Math.abs(share - 1 / 3) < 0.04, `model ${value}: ${share} of the rows`);
    }
    assert.deepEqual(testScoresOf(scorers, test_, 'draw', 3), drawn);
  });
});

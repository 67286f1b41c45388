import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { strataOf, stratifiedKFold, stratifiedSplit } from './splits.js';

const stratumSizes = [500, 301, 150, 37, 10, 2, 1];
/** Strata of uneven sizes, shuffled over the rows so no stratum is contiguous. */
const strata = new Rng(99).shuffle(Int32Array.from(stratumSizes.flatMap((size, stratum) => Array(size).fill(stratum * 3 - 4))));

function countIn(rows: Int32Array, stratum: number): number {
  return rows.reduce((count, row) => count + (strata[row] === stratum ? 1 : 0), 0);
}

function assertSortedPartition(parts: Int32Array[], n: number): void {
  const seen = new Uint8Array(n);
  for (const part of parts) {
    part.forEach((row, i) => {
      assert.ok(i === 0 || part[i - 1] < row, 'indices ascend');
      seen[row]++;
    });
  }
  assert.ok(seen.every((times) => times === 1), 'every row in exactly one part');
}

describe('stratifiedSplit', () => {
  const fractions = [0.6, 0.2, 0.2];
  const parts = stratifiedSplit(strata, fractions, 7);

  test('partitions the rows, each part sorted', () => {
    assert.equal(parts.length, 3);
    assertSortedPartition(parts, strata.length);
  });

  test('every stratum is split in proportion, within one row', () => {
    stratumSizes.forEach((size, s) => {
      parts.forEach((part, p) => {
        const count = countIn(part, s * 3 - 4);
        assert.ok(Math.abs(count - size * fractions[p]) < 1, `stratum ${s} part ${p}: ${count} of ${size}`);
      });
    });
  });

  test('the same seed gives the same split, another seed a different one', () => {
    assert.deepEqual(stratifiedSplit(strata, fractions, 7), parts);
    assert.notDeepEqual(stratifiedSplit(strata, fractions, 8), parts);
  });

  test('fractions must be in [0, 1] and sum to 1', () => {
    assert.throws(() => stratifiedSplit(strata, [0.6, 0.3], 1), FairkitError);
    assert.throws(() => stratifiedSplit(strata, [1.2, -0.2], 1), FairkitError);
    // Within the 1e-9 tolerance; by largest remainder the strata give 150+90+45+11+3+1+0 rows to the 0.3 part.
    assert.equal(stratifiedSplit(strata, [0.7, 0.3 + 1e-12], 1)[1].length, 300);
  });

  test('a part that no stratum can give a row to is an error, not an empty split', () => {
    const singletons = Int32Array.from({ length: 6 }, (_, row) => row);
    assert.throws(() => stratifiedSplit(singletons, [0.6, 0.2, 0.2], 1), (error: unknown) => error instanceof FairkitError && /split part 2 .* gets no rows/.test(error.message));
    assert.equal(stratifiedSplit(singletons, [1, 0], 1)[1].length, 0, 'a part of fraction 0 may be empty');
  });
});

describe('stratifiedKFold', () => {
  const k = 5;
  const folds = stratifiedKFold(strata, k, 3);

  test('test folds cover every row exactly once; train is the rest', () => {
    assertSortedPartition(
      folds.map((fold) => fold.test),
      strata.length,
    );
    for (const { train, test } of folds) {
      assert.equal(train.length + test.length, strata.length);
      assertSortedPartition([train, test], strata.length);
    }
  });

  test('fold sizes differ by at most one, overall and per stratum', () => {
    const sizes = folds.map((fold) => fold.test.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
    stratumSizes.forEach((_, s) => {
      const counts = folds.map((fold) => countIn(fold.test, s * 3 - 4));
      assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `stratum ${s}: ${counts}`);
    });
  });

  test('reproducible by seed', () => {
    assert.deepEqual(stratifiedKFold(strata, k, 3), folds);
    assert.notDeepEqual(stratifiedKFold(strata, k, 4), folds);
  });

  test('k must be from 2 to the number of rows', () => {
    assert.throws(() => stratifiedKFold(strata, 1, 0), FairkitError);
    assert.throws(() => stratifiedKFold(Int32Array.from([0, 1]), 3, 0), FairkitError);
  });
});

test('strataOf combines label and group into distinct ids', () => {
  const ids = strataOf(Uint8Array.from([0, 1, 0, 1]), Int32Array.from([0, 0, 2, 2]));
  assert.deepEqual(Array.from(ids), [0, 1, 4, 5]);
  assert.throws(() => strataOf(new Uint8Array(2), new Int32Array(3)), FairkitError);
});

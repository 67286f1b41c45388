import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { applyAffine, fitLeace, gaussianOtMap, meanMatchingMap, type AffineMap } from './affine.js';
import { matmul, trace, transpose } from './linalg.js';

const fixture = JSON.parse(readFileSync(new URL('../../src/steer/fixtures/affine.json', import.meta.url), 'utf8')) as {
  d: number;
  rows: number[];
  collinearRows: number[];
  groups: number[];
  threeGroups: number[];
  ot: { matrix: number[]; sourceMean: number[]; targetMean: number[]; sourceCov: number[]; targetCov: number[] };
  leace: Record<string, { matrix: number[]; mean: number[] }>;
};
const { d } = fixture;
const n = fixture.groups.length;
const closeArrays = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string) => {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
};

/** Mean and biased covariance of the rows whose flag is set. */
function moments(rows: ArrayLike<number>, keep: (i: number) => boolean) {
  const picked: number[][] = [];
  for (let i = 0; i < rows.length / d; i++) if (keep(i)) picked.push(Array.from({ length: d }, (_, j) => rows[i * d + j]));
  const mean = Float64Array.from({ length: d }, (_, j) => picked.reduce((s, r) => s + r[j], 0) / picked.length);
  const cov = new Float64Array(d * d);
  for (const r of picked) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b] += ((r[a] - mean[a]) * (r[b] - mean[b])) / picked.length;
  return { mean, cov };
}

function steerRows(rows: ArrayLike<number>, map: AffineMap, which: (i: number) => boolean): Float64Array {
  const out = Float64Array.from(rows);
  for (let i = 0; i < n; i++) if (which(i)) out.set(applyAffine(map, Array.from(rows).slice(i * d, (i + 1) * d)), i * d);
  return out;
}

describe('Gaussian optimal-transport map (MiMiC)', () => {
  const inGroup = (g: number) => (i: number) => fixture.groups[i] === g;
  const source = moments(fixture.rows, inGroup(1));
  const target = moments(fixture.rows, inGroup(0));

  test('matches the numpy/scipy matrix on a small case', () => {
    closeArrays(source.cov, fixture.ot.sourceCov, 1e-12, 'source covariance');
    const map = gaussianOtMap(source, target);
    closeArrays(map.matrix, fixture.ot.matrix, 1e-9, 'A');
    closeArrays(map.sourceMean, fixture.ot.sourceMean, 1e-12, 'μ_s');
    closeArrays(map.targetMean, fixture.ot.targetMean, 1e-12, 'μ_t');
  });

  test('after the map the steered group has the target mean and covariance; the map is symmetric positive definite', () => {
    const map = gaussianOtMap(source, target, 0);
    const after = moments(steerRows(fixture.rows, map, inGroup(1)), inGroup(1));
    closeArrays(after.mean, target.mean, 1e-10, 'mean');
    closeArrays(after.cov, target.cov, 1e-9, 'covariance');
    closeArrays(map.matrix, transpose(map.matrix, d), 1e-10, 'Aᵀ');
  });

  test('mean matching moves the mean and keeps the covariance', () => {
    const after = moments(steerRows(fixture.rows, meanMatchingMap(source.mean, target.mean), inGroup(1)), inGroup(1));
    closeArrays(after.mean, target.mean, 1e-12, 'mean');
    closeArrays(after.cov, source.cov, 1e-12, 'covariance');
  });
});

describe('LEACE (concept-erasure algorithm)', () => {
  const cases = [
    { name: 'binary', rows: fixture.rows, k: 1, concept: fixture.groups },
    { name: 'collinear', rows: fixture.collinearRows, k: 1, concept: fixture.groups },
    { name: 'threeGroups', rows: fixture.rows, k: 3, concept: fixture.threeGroups.flatMap((g) => [0, 1, 2].map((c) => (c === g ? 1 : 0))) },
  ];
  for (const c of cases) {
    for (const shrinkage of [false, true]) {
      test(`${c.name}, shrinkage ${shrinkage}: matches the numpy matrix; the steered rows have zero cross-covariance with the concept`, () => {
        const map = fitLeace(c.rows, d, c.concept, c.k, { shrinkage });
        const expected = fixture.leace[`${c.name}/shrinkage=${shrinkage ? 'True' : 'False'}`];
        closeArrays(map.matrix, expected.matrix, 1e-8, 'P');
        closeArrays(map.sourceMean, expected.mean, 1e-12, 'mean');
        const steered = steerRows(c.rows, map, () => true);
        // Cross-covariance of x′ and z: every concept column's class-conditional means of x′ agree.
        for (let col = 0; col < c.k; col++) {
          const zMean = Array.from({ length: n }, (_, i) => c.concept[i * c.k + col]).reduce((a, b) => a + b, 0) / n;
          for (let j = 0; j < d; j++) {
            let cross = 0;
            for (let i = 0; i < n; i++) cross += steered[i * d + j] * (c.concept[i * c.k + col] - zMean);
            assert.ok(Math.abs(cross / n) < 1e-8, `feature ${j}, concept column ${col}: ${cross / n}`);
          }
        }
      });
    }
  }

  test('the projection never raises the covariance trace (why the reference trace constraint is not needed)', () => {
    const map = fitLeace(fixture.rows, d, fixture.groups, 1, { shrinkage: false });
    const { cov } = moments(fixture.rows, () => true);
    assert.ok(trace(matmul(matmul(map.matrix, cov, d), transpose(map.matrix, d), d), d) <= trace(cov, d) + 1e-12);
  });

  test('bad input is named', () => {
    assert.throws(() => fitLeace([1, 2, 3], 2, [0], 1), /LEACE: expected 2 features/);
    assert.throws(() => fitLeace([1, 2], 2, [0], 1), /at least 2 rows/);
  });
});

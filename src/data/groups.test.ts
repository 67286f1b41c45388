import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { binCuts, binLabels } from './binning.js';
import { parseTable } from './csv.js';
import { buildGroups, labelsFrom } from './groups.js';

const people = parseTable(
  ['race,sex,age,flag,income', 'White,M,23,1,>50K', 'Black,F,30,0,<=50K', 'White,F,50,1,>50K', 'Black,F,45,0,<=50K', 'White,M,70,0,<=50K'].join(
    '\n',
  ),
);

describe('buildGroups', () => {
  test('several columns give sorted intersectional keys joined by "|"', () => {
    const groups = buildGroups(people, ['race', 'sex'], { privileged: { race: 'White', sex: 'M' } });
    assert.deepEqual(groups.attributes, ['race', 'sex']);
    assert.deepEqual(groups.keys, ['Black|F', 'White|F', 'White|M']);
    assert.deepEqual(Array.from(groups.ids), [2, 0, 1, 0, 2]);
    assert.deepEqual(groups.values[1], { race: 'White', sex: 'F' });
    assert.equal(groups.privileged, 2);
    assert.equal(buildGroups(people, ['race', 'sex'], { privileged: { race: 'White' } }).privileged, undefined);
  });

  test('numeric sensitive columns without binning use their values as text', () => {
    assert.deepEqual(buildGroups(people, ['flag']).keys, ['0', '1']);
  });

  test('binning by cuts: the lower cut belongs to its bin', () => {
    const groups = buildGroups(people, ['sex', 'age'], { binning: [{ column: 'age', cuts: [25, 45] }] });
    const keyOfRow = Array.from(groups.ids, (id) => groups.keys[id]);
    assert.deepEqual(keyOfRow, ['M|<25', 'F|25-45', 'F|>=45', 'F|>=45', 'M|>=45']);
    assert.deepEqual(groups.cuts, { age: [25, 45] });
    assert.equal(buildGroups(people, ['sex']).cuts, undefined);
  });

  test('binning by quantiles uses numpy-style linear quantiles', () => {
    // sorted 1,2,3,5,7,8,9: the 1/3 and 2/3 quantiles sit exactly at positions 2 and 4, i.e. 3 and 7.
    const values = Float64Array.from([5, 1, 9, 3, 7, 2, 8]);
    assert.deepEqual(binCuts(values, { column: 'v', quantiles: 3 }), [3, 7]);
    // 1..10 quartiles: positions 2.25, 4.5, 6.75 → 3.25, 5.5, 7.75 (numpy.quantile gives the same).
    const oneToTen = Float64Array.from({ length: 10 }, (_, i) => i + 1);
    assert.deepEqual(binCuts(oneToTen, { column: 'v', quantiles: 4 }), [3.25, 5.5, 7.75]);
    // ties collapse repeated cuts (numpy: the quartiles of 1,1,2,2,2,3 are 1.25, 2, 2), and a cut at the minimum,
    // which would leave the lowest bin empty, is dropped (numpy: the terciles of 0,0,0,1,1 are 0 and 2/3).
    assert.deepEqual(binCuts(Float64Array.from([1, 1, 2, 2, 2, 3]), { column: 'v', quantiles: 4 }), [1.25, 2]);
    const terciles = binCuts(Float64Array.from([0, 0, 0, 1, 1]), { column: 'v', quantiles: 3 });
    assert.equal(terciles.length, 1);
    assert.ok(Math.abs(terciles[0] - 2 / 3) < 1e-12, `${terciles}`);
    // every quartile of 1,1,1,1,1,2 is 1, the minimum: a single bin is an error, not a silent merge.
    assert.throws(() => binCuts(Float64Array.from([1, 1, 1, 1, 1, 2]), { column: 'v', quantiles: 4 }), /single bin/);
    const groups = buildGroups(people, ['age'], { binning: [{ column: 'age', quantiles: 2 }] });
    assert.deepEqual(groups.keys, ['<45', '>=45']);
    assert.deepEqual(Array.from(groups.ids), [0, 0, 1, 1, 1]);
    assert.deepEqual(groups.cuts, { age: [45] }, 'the resolved cut is kept, so new rows can be binned alike');
  });

  test('bin labels', () => {
    assert.deepEqual(binLabels([25]), ['<25', '>=25']);
    assert.deepEqual(binLabels([1 / 3, 2.5]), ['<0.333333', '0.333333-2.5', '>=2.5']);
  });

  test('bad binning is a FairkitError', () => {
    assert.throws(() => binCuts(new Float64Array(1), { column: 'v', cuts: [2, 1] }), /strictly increasing/);
    assert.throws(() => binCuts(new Float64Array(1), { column: 'v' }), /either cuts or quantiles/);
    assert.throws(() => binCuts(new Float64Array(1), { column: 'v', quantiles: 1 }), /quantiles/);
    assert.throws(() => buildGroups(people, ['race'], { binning: [{ column: 'age', cuts: [1] }] }), /not a sensitive column/);
    assert.throws(() => buildGroups(people, ['race'], { binning: [{ column: 'race', cuts: [1] }] }), /cannot be binned/);
  });

  test('fixed keys apply training groups; unseen groups fail unless allowed', () => {
    const later = parseTable('race\nWhite\nAsian\nBlack\n');
    assert.throws(() => buildGroups(later, ['race'], { keys: ['Black', 'White'] }), /row 2 belongs to group "Asian"/);
    const groups = buildGroups(later, ['race'], { keys: ['Black', 'White'], allowUnseen: true });
    assert.deepEqual(Array.from(groups.ids), [1, -1, 0]);
    assert.deepEqual(groups.keys, ['Black', 'White']);
  });

  test('a missing sensitive value or a "|" inside one is an error naming the file line (or the row of a built table)', () => {
    assert.throws(() => buildGroups(parseTable('s\na\nNA\n', { source: 's.csv' }), ['s']), /s\.csv, line 3: sensitive column "s" has a missing value/);
    const built = { names: ['s'], columns: new Map([['s', { kind: 'categorical' as const, values: ['a', null] }]]), nRows: 2 };
    assert.throws(() => buildGroups(built, ['s']), /row 2: sensitive column "s" has a missing value/);
    assert.throws(() => buildGroups(parseTable('s\na|b\n'), ['s']), FairkitError);
    // Mapping new rows onto known groups: a missing value is then an unknown group (-1), like an unseen one.
    const mapped = buildGroups(parseTable('s\na\nNA\nc\n'), ['s'], { keys: ['a', 'b'], allowUnseen: true, missingAsUnknown: true });
    assert.deepEqual(Array.from(mapped.ids), [0, -1, -1]);
    assert.throws(() => buildGroups(parseTable('s\na\n'), ['s'], { missingAsUnknown: true }), /needs the known keys/);
    assert.throws(() => buildGroups(people, []), FairkitError);
  });
});

describe('labelsFrom', () => {
  test('an explicit positive is compared as text', () => {
    assert.deepEqual(labelsFrom(people, 'flag', '1'), { y: Uint8Array.from([1, 0, 1, 0, 0]), positive: '1' });
    assert.deepEqual(Array.from(labelsFrom(people, 'race', 'Black').y), [0, 1, 0, 1, 0]);
  });

  test('without one, a two-valued target takes the positive-looking value, else the larger', () => {
    assert.equal(labelsFrom(people, 'income').positive, '>50K');
    assert.equal(labelsFrom(people, 'flag').positive, '1');
    assert.equal(labelsFrom(parseTable('y\nyes\nno\n'), 'y').positive, 'yes');
    assert.equal(labelsFrom(parseTable('y\ngood\nbad\n'), 'y').positive, 'good');
  });

  test('ambiguous, absent or missing labels are errors', () => {
    assert.throws(() => labelsFrom(parseTable('y\na\nb\nc\n'), 'y'), /--positive/);
    assert.throws(() => labelsFrom(people, 'income', '>50K.'), /does not occur/);
    assert.throws(() => labelsFrom(parseTable('y\n1\n?\n', { source: 'y.csv' }), 'y', '1'), /y\.csv, line 3: the target "y" is missing/);
    assert.throws(() => labelsFrom(people, 'nope'), /target column "nope"/);
  });
});

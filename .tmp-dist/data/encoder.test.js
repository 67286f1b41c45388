import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { parseTable } from './csv.js';
import { FeatureEncoder, MISSING_CATEGORY } from './encoder.js';
// x = 2,4,4,4,5,5,7,9 has mean 5 and population std 2 (the textbook example); c is constant (std 0 → 1);
// m's present values 1,3,5,7,9,11 have mean 6 and population variance 70/6.
const train = parseTable([
    'colour,x,c,m',
    'red,2,3,1',
    'blue,4,3,NA',
    'red,4,3,3',
    ',4,3,5',
    'blue,5,3,NA',
    'red,5,3,7',
    'blue,7,3,9',
    'red,9,3,11',
].join('\n'));
const test_ = parseTable('colour,x,c,m\ngreen,11,4,NA\nblue,5,3,6\n,1,2,0\n');
const columns = ['colour', 'x', 'c', 'm'];
function row(X, nFeatures, r) {
    return Array.from(X.subarray(r * nFeatures, (r + 1) * nFeatures));
}
function assertClose(actual, expected) {
    assert.equal(actual.length, expected.length);
    actual.forEach((value, i) => assert.ok(Math.abs(value - expected[i]) < 1e-6, `feature ${i}: ${value} vs ${expected[i]}`));
}
describe('FeatureEncoder', () => {
    const encoder = FeatureEncoder.fit(train, columns);
    const mStd = Math.sqrt(70 / 6);
    test('numeric features first, then sorted one-hot blocks with <missing> when seen in training', () => {
        assert.deepEqual(encoder.featureNames, ['x', 'c', 'm', 'colour=blue', 'colour=red', `colour=${MISSING_CATEGORY}`]);
    });
    test('standardises with the training mean and population std, imputing the mean', () => {
        const { X, nRows, nFeatures } = encoder.transform(train);
        assert.equal(nRows, 8);
        assert.equal(nFeatures, 6);
        assertClose(row(X, 6, 0), [-1.5, 0, (1 - 6) / mStd, 0, 1, 0]);
        assertClose(row(X, 6, 1), [-0.5, 0, 0, 1, 0, 0]);
        assertClose(row(X, 6, 3), [-0.5, 0, (5 - 6) / mStd, 0, 0, 1]);
        const xs = Array.from({ length: 8 }, (_, r) => X[r * 6]);
        assertClose([xs.reduce((a, b) => a + b) / 8, xs.reduce((a, b) => a + b * b, 0) / 8], [0, 1]);
    });
    test('applies training statistics to new rows; an unseen category gives an all-zero block', () => {
        const { X } = encoder.transform(test_);
        assertClose(row(X, 6, 0), [3, 1, 0, 0, 0, 0]);
        assertClose(row(X, 6, 1), [0, 0, 0, 1, 0, 0]);
        assertClose(row(X, 6, 2), [-2, -1, -6 / mStd, 0, 0, 1]);
    });
    test('a missing category never seen missing in training also gives zeros', () => {
        const noMissing = FeatureEncoder.fit(test_, ['colour']);
        assert.deepEqual(noMissing.featureNames, ['colour=blue', 'colour=green', `colour=${MISSING_CATEGORY}`]);
        const trainedClean = FeatureEncoder.fit(parseTable('colour\nred\nblue\n'), ['colour']);
        assert.deepEqual(Array.from(trainedClean.transform(parseTable('colour\nNA\nred\n')).X), [0, 0, 0, 1]);
    });
    test('a JSON round trip gives an identical transform', () => {
        const restored = FeatureEncoder.fromJSON(JSON.parse(JSON.stringify(encoder)));
        assert.deepEqual(restored.toJSON(), encoder.toJSON());
        assert.deepEqual(restored.transform(test_), encoder.transform(test_));
    });
    test('bad input is a FairkitError', () => {
        assert.throws(() => FeatureEncoder.fit(train, ['nope']), FairkitError);
        assert.throws(() => FeatureEncoder.fit(parseTable('m\nNA\n'), ['m']), /no values/);
        assert.throws(() => encoder.transform(parseTable('colour,x,c,m\n1,a,1,1\n')), /"x" is categorical here but was numeric/);
        assert.throws(() => FeatureEncoder.fromJSON({ numeric: [{ name: 'x', mean: 0, std: 0 }], categorical: [] }), FairkitError);
    });
});
//# sourceMappingURL=encoder.test.js.map
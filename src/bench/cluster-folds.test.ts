import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FairkitError } from '../errors.js';
import { getProtocol } from './protocols.js';
import { PROTOCOL_NAMES, type ClusterSplit } from './trial.js';

/**
 * Rows with a (label, group) stratum and a cluster id each (clusters of random sizes, some tiny). Enough rows that a
 * seen-cluster fold's validation part, stratified on (cluster, stratum), is not empty.
 */
const rowsArbitrary = fc
  .array(fc.record({ stratum: fc.integer({ min: 0, max: 3 }), cluster: fc.oneof({ arbitrary: fc.nat({ max: 5 }), weight: 40 }, { arbitrary: fc.integer({ min: 6, max: 9 }), weight: 1 }) }), { minLength: 250, maxLength: 500 })
  .map((rows) => ({ strata: Int32Array.from(rows, (row) => row.stratum), clusters: Int32Array.from(rows, (row) => row.cluster) }));

const distinct = (clusters: Int32Array) => new Set(clusters).size;

/** Every protocol's splits of the k folds: [train, validation, test] per fold. */
function foldsOf(strata: Int32Array, clusters: Int32Array, k: number, clusterSplit: ClusterSplit, seed: number, protocol: (typeof PROTOCOL_NAMES)[number]): Int32Array[][] {
  return Array.from({ length: k }, (_, index) => getProtocol(protocol).split(strata, { seed, fold: { index, of: k, clusterSplit } }, clusters));
}

function assertPartition(strata: Int32Array, folds: Int32Array[][]): void {
  const timesTested = new Int32Array(strata.length);
  for (const [train, validation, test] of folds) {
    for (const row of test) timesTested[row]++;
    assert.equal(new Set([...train, ...validation, ...test]).size, strata.length, 'train, validation and test cover every row once');
    assert.equal(train.length + validation.length + test.length, strata.length);
  }
  assert.ok(timesTested.every((times) => times === 1), 'every row is in exactly one test fold');
}

test('unseen clusters: every row in one test fold, and no cluster in both the training and the test rows of a fold', () => {
  fc.assert(
    fc.property(rowsArbitrary, fc.integer({ min: 2, max: 6 }), fc.nat({ max: 1000 }), fc.constantFrom(...PROTOCOL_NAMES), ({ strata, clusters }, k, seed, protocol) => {
      fc.pre(k <= distinct(clusters));
      const folds = foldsOf(strata, clusters, k, 'unseen', seed, protocol);
      assertPartition(strata, folds);
      for (const [train, validation, test] of folds) {
        assert.ok(test.length > 0, 'every fold holds out at least one cluster');
        const tested = new Set(Array.from(test, (row) => clusters[row]));
        assert.ok([...train, ...validation].every((row) => !tested.has(clusters[row])), 'a test cluster has no training or validation row');
      }
    }),
    { numRuns: 40, seed: 14 },
  );
});

test('seen clusters: every row in one test fold; a cluster with at least k rows is in every test fold and every training split', () => {
  fc.assert(
    fc.property(rowsArbitrary, fc.integer({ min: 2, max: 6 }), fc.nat({ max: 1000 }), fc.constantFrom(...PROTOCOL_NAMES), ({ strata, clusters }, k, seed, protocol) => {
      const folds = foldsOf(strata, clusters, k, 'seen', seed, protocol);
      assertPartition(strata, folds);
      const size = new Map<number, number>();
      for (const cluster of clusters) size.set(cluster, (size.get(cluster) ?? 0) + 1);
      const large = [...size].filter(([, rows]) => rows >= k).map(([cluster]) => cluster);
      for (const [train, , test] of folds) {
        const trained = new Set(Array.from(train, (row) => clusters[row]));
        const tested = new Set(Array.from(test, (row) => clusters[row]));
        for (const cluster of large) {
          assert.ok(trained.has(cluster), `cluster ${cluster} (${size.get(cluster)} rows) is in the training split`);
          assert.ok(tested.has(cluster), `cluster ${cluster} (${size.get(cluster)} rows) is in the test fold`);
        }
      }
    }),
    { numRuns: 40, seed: 14 },
  );
});

test('the same seed draws the same folds; another seed other ones', () => {
  const strata = Int32Array.from({ length: 300 }, (_, row) => row % 4);
  const clusters = Int32Array.from({ length: 300 }, (_, row) => (row * 7) % 10);
  for (const split of ['seen', 'unseen'] as const) {
    assert.deepEqual(foldsOf(strata, clusters, 5, split, 3, 'gcm'), foldsOf(strata, clusters, 5, split, 3, 'gcm'));
    assert.notDeepEqual(foldsOf(strata, clusters, 5, split, 3, 'gcm'), foldsOf(strata, clusters, 5, split, 4, 'gcm'));
  }
});

test('more folds than clusters, or a cluster split without cluster ids, is a clear error', () => {
  const strata = Int32Array.from({ length: 40 }, (_, row) => row % 2);
  const clusters = Int32Array.from({ length: 40 }, (_, row) => row % 3);
  assert.throws(
    () => getProtocol('gcm').split(strata, { seed: 0, fold: { index: 0, of: 4, clusterSplit: 'unseen' } }, clusters),
    (error: Error) => error instanceof FairkitError && /from 2 to 3 folds \(the number of clusters\), got 4/.test(error.message),
  );
  assert.throws(
    () => getProtocol('gcm').split(strata, { seed: 0, fold: { index: 0, of: 2, clusterSplit: 'seen' } }),
    (error: Error) => error instanceof FairkitError && /--cluster-split seen needs cluster ids/.test(error.message),
  );
});

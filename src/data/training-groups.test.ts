import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FairkitError } from '../errors.js';
import { parseTable } from './csv.js';
import { prepareDataset, type TrainingGroups } from './prepare.js';
import type { LoadedDataset } from './types.js';

/** Rows of two sensitive columns (a: 3 values, b: 2) and a numeric input; `train[i]` puts row i in training. */
interface Case {
  rows: { a: number; b: number; train: boolean }[];
}

const rowsArbitrary = fc.array(fc.record({ a: fc.integer({ min: 0, max: 2 }), b: fc.integer({ min: 0, max: 1 }), train: fc.boolean() }), { minLength: 2, maxLength: 40 });

function dataset({ rows }: Case): LoadedDataset {
  const lines = ['x,a,b,y', ...rows.map((row, i) => [i, `a${row.a}`, `b${row.b}`, i % 2 === 0 ? 'yes' : 'no'].join(','))];
  return { name: 'fixture', table: parseTable(lines.join('\n')), spec: { target: 'y', positive: 'yes', sensitive: ['a', 'b'] }, description: 'test fixture' };
}

function prepare(data: Case, trainingGroups?: TrainingGroups) {
  const train = Int32Array.from(data.rows.flatMap((row, i) => (row.train ? [i] : [])));
  const rest = Int32Array.from(data.rows.flatMap((row, i) => (row.train ? [] : [i])));
  return prepareDataset(dataset(data), { seed: 0, split: () => [train, rest, rest], ...(trainingGroups ? { trainingGroups } : {}) });
}

/** What the training split lacks, counted here from the rows: intersections "ai|bj" and values "a=ai", "b=bj". */
function missingInTraining({ rows }: Case): { intersections: string[]; values: string[] } {
  const present = (key: (row: Case['rows'][number]) => string) => {
    const all = new Set(rows.map(key));
    const trained = new Set(rows.filter((row) => row.train).map(key));
    return [...all].filter((value) => !trained.has(value)).sort();
  };
  return {
    intersections: present((row) => `a${row.a}|b${row.b}`),
    values: [...present((row) => `a=a${row.a}`), ...present((row) => `b=b${row.b}`)],
  };
}

function failure(run: () => unknown): FairkitError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof FairkitError) return error;
    throw error;
  }
}

test('intersection groups (the default): an error exactly when an intersection present in the data has no training row, naming each', () => {
  fc.assert(
    fc.property(rowsArbitrary, (rows) => {
      const { intersections } = missingInTraining({ rows });
      for (const error of [failure(() => prepare({ rows })), failure(() => prepare({ rows }, 'intersection'))]) {
        assert.equal(error !== undefined, intersections.length > 0, error?.message);
        for (const key of intersections) assert.ok(error!.message.includes(`"${key}"`), error!.message);
      }
    }),
  );
});

test('marginal groups: an error exactly when a value of a sensitive column has no training row, naming each; missing intersections are allowed', () => {
  fc.assert(
    fc.property(rowsArbitrary, (rows) => {
      const { values } = missingInTraining({ rows });
      const error = failure(() => prepare({ rows }, 'marginal'));
      assert.equal(error !== undefined, values.length > 0, error?.message);
      for (const key of values) assert.ok(error!.message.includes(key), error!.message);
    }),
  );
});

test('marginal groups: a value with few training rows is warned about by attribute=value; the test rows of an untrained intersection keep their group', () => {
  // a1|b1 only in the test rows; a1 and b1 each have training rows through other intersections.
  const rows = [
    ...Array.from({ length: 40 }, () => ({ a: 0, b: 0, train: true })),
    ...Array.from({ length: 40 }, () => ({ a: 0, b: 1, train: true })),
    ...Array.from({ length: 3 }, () => ({ a: 1, b: 0, train: true })),
    { a: 1, b: 1, train: false },
    { a: 0, b: 0, train: false },
  ];
  assert.throws(() => prepare({ rows }), /"a1\|b1" has no rows in the training split/);
  const prepared = prepare({ rows }, 'marginal');
  assert.deepEqual(prepared.warnings, ['fixture: fewer than 30 rows in the training split for value "a=a1" (3); their metrics and any group-wise correction rest on few rows']);
  assert.deepEqual(Array.from(prepared.test.groups.ids, (id) => prepared.test.groups.keys[id]), ['a1|b1', 'a0|b0']);
});

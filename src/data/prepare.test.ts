import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { parseTable, readTable, type CsvOptions } from './csv.js';
import { candidateDataDir } from './data-dir.js';
import { prepareDataset } from './prepare.js';
import type { EncodedDataset, LoadedDataset, ProblemSpec } from './types.js';

/** 120 rows with a numeric, a categorical (some missing), two sensitive and a cluster column; rows 5 and 11 lack label / sex. */
function fixtureCsv(): string {
  const lines = ['age,colour,sex,race,region,y'];
  for (let i = 0; i < 120; i++) {
    const colour = i % 17 === 0 ? '' : ['red', 'green', 'blue'][(i * 5) % 3];
    const sex = i === 11 ? 'NA' : i % 3 === 0 ? 'F' : 'M';
    const label = i === 5 ? '?' : (i * 7) % 10 < 4 ? 'yes' : 'no';
    lines.push([18 + ((i * 37) % 60), colour, sex, i % 4 === 0 ? 'B' : 'W', ['north', 'south', 'east', 'west'][(i >> 1) % 4], label].join(','));
  }
  return lines.join('\n');
}

function dataset(spec: Partial<ProblemSpec> = {}, csv = fixtureCsv()): LoadedDataset {
  return {
    name: 'fixture',
    table: parseTable(csv),
    spec: { target: 'y', positive: '', sensitive: ['race', 'sex'], privileged: { race: 'W', sex: 'M' }, cluster: 'region', ...spec },
    description: 'test fixture',
  };
}

function column(data: EncodedDataset, feature: string): number[] {
  const j = data.featureNames.indexOf(feature);
  assert.ok(j >= 0, `feature ${feature}`);
  return Array.from({ length: data.nRows }, (_, r) => data.X[r * data.nFeatures + j]);
}

describe('prepareDataset', () => {
  const fractions = [0.6, 0.2, 0.2];
  const prepared = prepareDataset(dataset(), { seed: 1, fractions });
  const splits = [prepared.train, prepared.validation, prepared.test];

  test('drops rows missing the label or a sensitive value, and says so', () => {
    assert.equal(splits.reduce((n, split) => n + split.nRows, 0), 118);
    assert.match(prepared.notes.join('\n'), /dropped 2 of 120 rows/);
  });

  test('splits every (label, group) stratum in proportion', () => {
    const total = new Map<number, number>();
    const counts = splits.map((split) => {
      const count = new Map<number, number>();
      split.groups.ids.forEach((g, r) => count.set(2 * g + split.y[r], (count.get(2 * g + split.y[r]) ?? 0) + 1));
      count.forEach((c, s) => total.set(s, (total.get(s) ?? 0) + c));
      return count;
    });
    assert.equal(total.size, 8);
    total.forEach((n, s) => counts.forEach((count, p) => assert.ok(Math.abs((count.get(s) ?? 0) - n * fractions[p]) < 1)));
  });

  test('resolves the positive label, groups and features', () => {
    assert.equal(prepared.positive, 'yes');
    assert.equal(prepared.spec.positive, 'yes');
    assert.deepEqual(prepared.spec.features, ['age', 'colour', 'sex', 'race']);
    for (const split of splits) {
      assert.deepEqual(split.groups.keys, ['B|F', 'B|M', 'W|F', 'W|M']);
      assert.equal(split.groups.privileged, 3);
      assert.equal(split.y.length, split.nRows);
      assert.deepEqual(split.featureNames, prepared.encoder.featureNames);
    }
    assert.ok(prepared.encoder.featureNames.includes('colour=<missing>'));
  });

  test('fits the encoder on the training split only', () => {
    const ages = column(prepared.train, 'age');
    const mean = ages.reduce((a, b) => a + b) / ages.length;
    const variance = ages.reduce((a, b) => a + (b - mean) ** 2, 0) / ages.length;
    assert.ok(Math.abs(mean) < 1e-6 && Math.abs(variance - 1) < 1e-5, `train age mean ${mean}, variance ${variance}`);
  });

  test('clusters are codes of the sorted cluster values', () => {
    assert.deepEqual(prepared.clusterKeys, ['east', 'north', 'south', 'west']);
    for (const split of splits) {
      assert.equal(split.clusters?.length, split.nRows);
      assert.ok(split.clusters!.every((code) => code >= 0 && code < 4));
    }
  });

  test('cluster keys come from the training rows only: a cluster without training rows is id -1, and counted', () => {
    // The split sees codes into every cluster value (east, north, south, west); it sends every 'west' row (3) to test.
    let codesSeen: number[] = [];
    const withoutWest = prepareDataset(dataset(), {
      seed: 1,
      split: (strata, clusters) => {
        assert.equal(clusters?.length, strata.length);
        codesSeen = [...new Set(clusters)].sort();
        const rows = Array.from(strata, (_, row) => row);
        const test = rows.filter((row) => clusters![row] === 3 || row % 5 === 0);
        const rest = rows.filter((row) => !test.includes(row));
        return [rest.filter((row) => row % 7 !== 0), rest.filter((row) => row % 7 === 0), test].map((part) => Int32Array.from(part));
      },
    });
    assert.deepEqual(codesSeen, [0, 1, 2, 3]);
    assert.deepEqual(withoutWest.clusterKeys, ['east', 'north', 'south']);
    assert.ok(withoutWest.train.clusters!.every((code) => code >= 0 && code < 3));
    const unseen = withoutWest.test.clusters!.filter((code) => code === -1).length;
    // 30 'west' rows in the fixture (regions cycle every 8 rows, two rows each), none of them among the dropped rows 5 and 11.
    assert.equal(unseen, 30);
    assert.match(withoutWest.notes.join('\n'), new RegExp(`30 of ${withoutWest.test.nRows} test rows belong to a cluster without training rows`));
    assert.ok(!withoutWest.notes.some((note) => note.includes('validation rows belong')), 'validation has no unseen cluster');
  });

  test('sensitive columns can be left out of the features', () => {
    const names = prepareDataset(dataset({ sensitiveAsFeature: false }), { seed: 1 }).encoder.featureNames;
    assert.deepEqual(names, ['age', 'colour=blue', 'colour=green', 'colour=red', 'colour=<missing>']);
    const explicit = dataset({ sensitiveAsFeature: false, features: ['age', 'sex'] });
    assert.deepEqual(prepareDataset(explicit, { seed: 1 }).encoder.featureNames, ['age']);
  });

  test("a loader's binning applies while its column is sensitive, and is ignored once another column is", () => {
    const withAgeBins = (sensitive: string[]): LoadedDataset => ({ ...dataset({ sensitive, privileged: undefined }), meta: { binning: [{ column: 'age', cuts: [40] }] } });
    assert.deepEqual(prepareDataset(withAgeBins(['age']), { seed: 1 }).train.groups.keys, ['<40', '>=40']);
    assert.deepEqual(prepareDataset(withAgeBins(['race']), { seed: 1 }).train.groups.keys, ['B', 'W']);
  });

  test('reproducible with a seed', () => {
    assert.deepEqual(prepareDataset(dataset(), { seed: 1, fractions }).test, prepared.test);
    assert.notDeepEqual(prepareDataset(dataset(), { seed: 2, fractions }).test.X, prepared.test.X);
  });

  test('a group with no training rows is an error naming it', () => {
    const csv = 'x,g,y\n' + Array.from({ length: 20 }, (_, i) => `${i},${i === 0 ? 'rare' : 'common'},${i % 2}`).join('\n');
    const rare = dataset({ sensitive: ['g'], privileged: undefined, cluster: undefined }, csv);
    // A lone row goes to the part with the largest remainder: 0.4 (validation or test), never train's 0.2.
    assert.throws(() => prepareDataset(rare, { seed: 1, fractions: [0.2, 0.4, 0.4] }), /group "rare" has no rows in the training split/);
  });

  test('bad options are FairkitErrors', () => {
    assert.throws(() => prepareDataset(dataset(), { seed: 1, fractions: [0.5, 0.5] }), FairkitError);
    assert.throws(() => prepareDataset(dataset({ features: ['age', 'y'] }), { seed: 1 }), /target "y" is listed among the features/);
  });
});

const dataDir = candidateDataDir().path;
const adultNames =
  'age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income'.split(
    ',',
  );

test('Adult: adult.data reads as 32561 rows × 15 columns and prepares', async (t) => {
  const path = join(dataDir, 'adult', 'adult.data');
  if (!existsSync(path)) {
    t.skip(`Adult data not found at ${path} (set FAIRKIT_DATA_DIR)`);
    return;
  }
  const started = performance.now();
  const table = await readTable(path, { header: false, names: adultNames });
  const readMs = performance.now() - started;
  assert.equal(table.nRows, 32561);
  assert.equal(table.names.length, 15);
  assert.equal(table.columns.get('age')?.kind, 'numeric');
  assert.deepEqual([...new Set(table.columns.get('income')!.values as string[])].sort(), ['<=50K', '>50K']);
  const prepared = prepareDataset(
    { name: 'adult', table, spec: { target: 'income', positive: '>50K', sensitive: ['sex'] }, description: '' },
    { seed: 0 },
  );
  assert.equal(prepared.train.nRows + prepared.validation.nRows + prepared.test.nRows, 32561);
  t.diagnostic(`read ${readMs.toFixed(0)} ms, read + prepare ${(performance.now() - started).toFixed(0)} ms, ${prepared.train.nFeatures} features`);
});

describe('prepareDataset for regression', () => {
  const csv = ['x,g,score', ...Array.from({ length: 90 }, (_, i) => `${i % 7},${i % 3 === 0 ? 'a' : 'b'},${(i * 13) % 41}`)].join('\n');
  const regression = (text = csv, options: CsvOptions = {}): LoadedDataset => ({ name: 'grades', table: parseTable(text, options), spec: { target: 'score', positive: '', sensitive: ['g'], task: 'regression' }, description: 'test' });

  test('targets are standardised with the training mean and deviation; labels say above the training median', () => {
    const prepared = prepareDataset(regression(), { seed: 3 });
    const { mean, std } = prepared.targetScale!;
    const raw = (data: EncodedDataset) => Array.from(data.targets!, (t) => t * std + mean);
    const train = raw(prepared.train);
    const trainMean = train.reduce((s, v) => s + v, 0) / train.length;
    // The targets are float32: the mean and deviation come back to float32 precision.
    assert.ok(Math.abs(trainMean - mean) < 1e-5 * std);
    assert.ok(Math.abs(Math.sqrt(train.reduce((s, v) => s + (v - trainMean) ** 2, 0) / train.length) - std) < 1e-5 * std);
    const sorted = [...train].sort((a, b) => a - b);
    const median = (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    for (const split of [prepared.train, prepared.validation, prepared.test]) {
      raw(split).forEach((value, i) => {
        if (Math.abs(value - median) > 1e-3) assert.equal(split.y[i], value > median ? 1 : 0, `target ${value}, median ${median}`);
      });
      assert.ok(split.y.some((label) => label === 1) && split.y.some((label) => label === 0));
      assert.ok(raw(split).every((v) => Number.isInteger(Math.round(v)) && Math.abs(v - Math.round(v)) < 1e-4), 'targets round-trip');
    }
    assert.equal(prepared.positive, '');
    assert.ok(!prepared.train.featureNames.includes('score'));
  });

  test('a target cell that is not a number is named by line; a constant target is refused', () => {
    const bad = csv.replace('\n3,a,', '\n3,a,high').replace(/\n(\d+),(\w),high\d*/, '\n$1,$2,high');
    // Read as text on purpose: inferred, the stray token would already fail in the reader (csv.test.ts).
    assert.throws(() => prepareDataset(regression(bad, { types: { score: 'categorical' } }), { seed: 3 }), (error: unknown) => error instanceof FairkitError && /regression target "score" is not numeric: "high"/.test(error.message) && /line \d+/.test(error.message));
    assert.throws(() => regression(bad), /line \d+, column "score": "high" is not a number, but 89 of the column's 90 values are numbers/);
    const constant = ['x,g,score', ...Array.from({ length: 40 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'},7`)].join('\n');
    assert.throws(() => prepareDataset(regression(constant), { seed: 3 }), /regression target is constant \(7\)/);
  });
});

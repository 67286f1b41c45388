import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { Rng } from '../rng.js';
import { predictGroup } from '../steer/group-classifier.js';
import { parseSteeringMap } from '../steer/map-schema.js';
import { fairkitInProcess } from './run-cli.test-helper.js';

const folder = mkdtempSync(join(tmpdir(), 'fairkit-steer-'));
const at = (name: string) => join(folder, name);

/** 400 rows: id, two features, group (F steered toward M), label, a text column that must come through untouched. */
function writeData(): string {
  const rng = new Rng(21);
  const lines = ['id,x1,x2,sex,income,note'];
  for (let i = 0; i < 400; i++) {
    const female = rng.uniform() < 0.35;
    const y = rng.uniform() < (female ? 0.3 : 0.5) ? 1 : 0;
    const x1 = rng.normal() * (female ? 0.6 : 1) + 2 * y - (female ? 1 : 0);
    lines.push(`${i},${x1.toFixed(4)},${(rng.normal() + 0.5 * x1).toFixed(4)},${female ? 'F' : 'M'},${y},"note ${i}, kept"`);
  }
  const path = at('data.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const data = writeData();
const read = (path: string) => parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];

describe('fairkit steer fit / apply', () => {
  test('ideal: labelled rows reach their class targets; other columns and the reference group are untouched', async () => {
    const fit = await fairkitInProcess('steer', 'fit', data, '--label', 'income', '--sensitive', 'sex', '--features', 'x1,x2', '--method', 'ideal', '--out', at('ideal.json'));
    assert.equal(fit.status, 0, fit.stderr);
    assert.match(fit.stderr, /group F steered toward M/);
    assert.match(fit.stderr, /sex=F: γ = [0-9.]+, forward KL to the ideal target = [0-9.]+ nats \(moments solver; γ = det\(M\)\^\{1\/d\}\)/);
    const map = parseSteeringMap(JSON.parse(readFileSync(at('ideal.json'), 'utf8')), 'ideal.json');
    assert.deepEqual([map.version, map.method, map.reference, map.groups, map.labels], [2, 'ideal', 'M', ['F', 'M'], ['0', '1']]);
    const apply = await fairkitInProcess('steer', 'apply', '--map', at('ideal.json'), data, '--out', at('steered.csv'));
    assert.equal(apply.status, 0, apply.stderr);
    const [before, after] = [read(data), read(at('steered.csv'))];
    assert.deepEqual(Object.keys(after[0]), ['id', 'x1', 'x2', 'sex', 'income', 'note']);
    for (const label of ['0', '1']) {
      const rows = after.filter((r) => r.sex === 'F' && r.income === label);
      const target = map.maps.find((m) => m.scope === 'group-class' && m.group === 'F' && m.label === label)!.targetMean;
      ['x1', 'x2'].forEach((name, j) => {
        const mean = rows.reduce((s, r) => s + Number(r[name]), 0) / rows.length;
        assert.ok(Math.abs(mean - target[j]) < 1e-9, `F, ${label}, ${name}: ${mean} vs ${target[j]}`);
      });
    }
    after.forEach((row, i) => {
      assert.deepEqual([row.id, row.sex, row.income, row.note], [before[i].id, before[i].sex, before[i].income, before[i].note]);
      if (row.sex === 'M') assert.deepEqual([Number(row.x1), Number(row.x2)], [Number(before[i].x1), Number(before[i].x2)]);
    });
    const counts = apply.stderr.match(/\((\d+) by their class's map, 0 by their group's, (\d+) unchanged\)/);
    assert.ok(counts && Number(counts[1]) === after.filter((r) => r.sex === 'F').length, apply.stderr);
  });

  test('ideal: the moments solver (default) reaches a KL no larger than --ideal-solver scalar, and says which it used', async () => {
    const scalar = await fairkitInProcess('steer', 'fit', data, '--label', 'income', '--sensitive', 'sex', '--features', 'x1,x2', '--ideal-solver', 'scalar', '--out', at('ideal-scalar.json'));
    assert.equal(scalar.status, 0, scalar.stderr);
    assert.doesNotMatch(scalar.stderr, /moments solver/);
    const [moments, scalarMap] = ['ideal.json', 'ideal-scalar.json'].map((f) => parseSteeringMap(JSON.parse(readFileSync(at(f), 'utf8')), f).diagnostics[0]);
    assert.deepEqual([moments.solver, scalarMap.solver], ['moments', 'scalar']);
    assert.ok(moments.kl <= scalarMap.kl + 1e-12, `${moments.kl} > ${scalarMap.kl}`);
    assert.match((await fairkitInProcess('steer', 'fit', data, '--label', 'income', '--sensitive', 'sex', '--ideal-solver', 'exact', '--out', at('x.json'))).stderr, /--ideal-solver/);
  });

  test('without the label column, or with --test-time, each group’s map is used', async () => {
    writeFileSync(at('unlabelled.csv'), readFileSync(data, 'utf8').split('\n').map((line) => line.split(',').filter((_, j) => j !== 4).join(',')).join('\n'));
    const forced = await fairkitInProcess('steer', 'apply', '--map', at('ideal.json'), data, '--out', at('test-time.csv'), '--test-time');
    const unlabelled = await fairkitInProcess('steer', 'apply', '--map', at('ideal.json'), at('unlabelled.csv'), '--out', at('unlabelled-steered.csv'));
    for (const run of [forced, unlabelled]) {
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stderr, /\(0 by their class's map, \d+ by their group's/);
    }
    assert.deepEqual(read(at('test-time.csv')).map((r) => r.x1), read(at('unlabelled-steered.csv')).map((r) => r.x1));
    // A predicted class in another column picks the class-conditional maps (here it equals the label).
    writeFileSync(at('predicted.csv'), readFileSync(data, 'utf8').replace(/^id,x1,x2,sex,income,note/, 'id,x1,x2,sex,predicted,note'));
    const predicted = await fairkitInProcess('steer', 'apply', '--map', at('ideal.json'), at('predicted.csv'), '--out', at('predicted-steered.csv'), '--class-column', 'predicted');
    assert.equal(predicted.status, 0, predicted.stderr);
    assert.match(predicted.stderr, /\(\d+ by their class's map, 0 by their group's/);
    assert.deepEqual(read(at('predicted-steered.csv')).map((r) => r.x1), read(at('steered.csv')).map((r) => r.x1));
    assert.match((await fairkitInProcess('steer', 'apply', '--map', at('ideal.json'), data, '--out', at('x.csv'), '--class-column', 'nope')).stderr, /--class-column "nope" is not in the table/);
  });

  test('ot and mean: the steered group gets the reference group’s feature means', async () => {
    for (const method of ['ot', 'mean']) {
      const fit = await fairkitInProcess('steer', 'fit', data, '--label', 'income', '--sensitive', 'sex', '--features', 'x1,x2', '--method', method, '--out', at(`${method}.json`));
      assert.equal(fit.status, 0, fit.stderr);
      assert.equal((await fairkitInProcess('steer', 'apply', '--map', at(`${method}.json`), data, '--out', at(`${method}.csv`))).status, 0);
      const rows = read(at(`${method}.csv`));
      const mean = (sex: string) => rows.filter((r) => r.sex === sex).reduce((s, r) => s + Number(r.x2), 0) / rows.filter((r) => r.sex === sex).length;
      assert.ok(Math.abs(mean('F') - mean('M')) < 1e-9, `${method}: ${mean('F')} vs ${mean('M')}`);
    }
  });

  test('--group-classifier: rows without a group (column absent or cell empty) are steered by the predicted group', async () => {
    const fit = await fairkitInProcess('steer', 'fit', data, '--label', 'income', '--sensitive', 'sex', '--features', 'x1,x2', '--method', 'mean', '--group-classifier', '--out', at('mean-gc.json'));
    assert.equal(fit.status, 0, fit.stderr);
    assert.match(fit.stderr, /group classifier \(C = 1\): predicts sex right on [0-9.]+% of the training rows/);
    const map = parseSteeringMap(JSON.parse(readFileSync(at('mean-gc.json'), 'utf8')), 'mean-gc.json');
    const shift = map.maps[0].targetMean.map((t, j) => t - map.maps[0].sourceMean[j]);
    const original = read(data);
    // The group column dropped: every row's group is predicted, and F rows (as predicted) get F's mean shift.
    writeFileSync(at('no-sex.csv'), `id,x1,x2,income\n${original.map((r) => `${r.id},${r.x1},${r.x2},${r.income}`).join('\n')}\n`);
    const apply = await fairkitInProcess('steer', 'apply', '--map', at('mean-gc.json'), at('no-sex.csv'), '--out', at('no-sex-steered.csv'));
    assert.equal(apply.status, 0, apply.stderr);
    assert.match(apply.stderr, /400 of 400 rows had no sex and were steered by the group the map's classifier predicted/);
    const steered = read(at('no-sex-steered.csv'));
    steered.forEach((row, i) => {
      const predictedF = predictGroup(map.groupClassifier!, [Number(original[i].x1), Number(original[i].x2)]) === 'F';
      const moved = [Number(row.x1) - Number(original[i].x1), Number(row.x2) - Number(original[i].x2)];
      moved.forEach((m, j) => assert.ok(Math.abs(m - (predictedF ? shift[j] : 0)) < 1e-9, `row ${i}`));
    });
    // Empty cells only: the rows with a group keep it.
    writeFileSync(at('some-sex.csv'), `x1,x2,sex\n${original.map((r, i) => `${r.x1},${r.x2},${i < 10 ? '' : r.sex}`).join('\n')}\n`);
    const some = await fairkitInProcess('steer', 'apply', '--map', at('mean-gc.json'), at('some-sex.csv'), '--out', at('some-sex-steered.csv'));
    assert.equal(some.status, 0, some.stderr);
    assert.match(some.stderr, /10 of 400 rows had no sex/);
    // A map without a classifier still refuses such a file, saying how to get one.
    assert.match((await fairkitInProcess('steer', 'apply', '--map', at('mean.json'), at('some-sex.csv'), '--out', at('x.csv'))).stderr, /row 1: the group is missing.*--group-classifier/s);
  });

  test('outputs are never overwritten silently; bad input gets one clear line', async () => {
    const existing = await fairkitInProcess('steer', 'apply', '--map', at('ideal.json'), data, '--out', at('steered.csv'));
    assert.equal(existing.status, 2);
    assert.match(existing.stderr, /--out: .*steered.csv already exists. Give --force/);
    assert.equal((await fairkitInProcess('steer', 'apply', '--map', at('ideal.json'), data, '--out', at('steered.csv'), '--force')).status, 0);
    assert.match((await fairkitInProcess('steer', 'apply', '--map', at('ideal.json'), data, '--out', data, '--force')).stderr, /is the input file itself/);
    writeFileSync(at('v9.json'), JSON.stringify({ ...JSON.parse(readFileSync(at('ideal.json'), 'utf8')), version: 9 }));
    assert.match((await fairkitInProcess('steer', 'apply', '--map', at('v9.json'), data, '--out', at('x.csv'))).stderr, /v9.json: steering map version 9 is not supported/);
    writeFileSync(at('other-group.csv'), 'x1,x2,sex\n1,2,X\n');
    assert.match((await fairkitInProcess('steer', 'apply', '--map', at('ideal.json'), at('other-group.csv'), '--out', at('x.csv'))).stderr, /row 1: the group "X" was not seen when the map was fitted/);
    writeFileSync(at('missing.csv'), 'x1,x2,sex,income\n1,,F,0\n');
    assert.match((await fairkitInProcess('steer', 'apply', '--map', at('ideal.json'), at('missing.csv'), '--out', at('x.csv'))).stderr, /missing.csv, line 2: feature "x2" is missing/);
    const small = await fairkitInProcess('steer', 'fit', data, '--label', 'income', '--sensitive', 'sex', '--features', 'x1,x2', '--min-rows', '200', '--out', at('small.json'));
    assert.equal(small.status, 2);
    assert.match(small.stderr, /the cell sex=[FM], income=[01] has \d+ rows, fewer than the 200 needed/);
    assert.equal(existsSync(at('x.csv')) || existsSync(at('small.json')), false);
  });
});

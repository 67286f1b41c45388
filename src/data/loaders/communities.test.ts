import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FairkitError } from '../../errors.js';
import { COMMUNITIES_BLACK_THRESHOLD, loadCommunities } from './communities.js';
import { hasMissing, mean, realDataDir, valueCounts } from './test-data.js';

/*
 * Expected numbers for the real file, counted once with Python's csv module (and the Black count again with
 * awk -F, 'NR>1 && $6 >= 0.06'): 1,994 rows, none with '?'; racepctblack >= 0.06 in 1,038 rows; 46 states,
 * state 6 (California) 278 rows; 99 attribute columns besides state, communityname, fold, class, Black and the
 * target; mean ViolentCrimesPerPop 0.237978936810431.
 */
test('Communities and Crime: 1,994 rows, Black from racepctblack, state as cluster, regression target', async (t) => {
  const dir = realDataDir(t, 'communities_crime');
  if (!dir) return;
  const { table, spec, meta, description } = await loadCommunities(dir);
  assert.equal(table.nRows, 1994);
  assert.deepEqual(valueCounts(table, 'Black'), { 0: 956, 1: 1038 });
  assert.equal(Object.keys(valueCounts(table, 'state')).length, 46);
  assert.equal(valueCounts(table, 'state')['6'], 278);
  assert.ok(Math.abs(mean(table, 'ViolentCrimesPerPop') - 0.237978936810431) < 1e-12);
  assert.equal(spec.features!.length, 100); // 99 attributes + Black
  assert.equal(hasMissing(table), false);
  assert.equal(spec.cluster, 'state');
  assert.equal(spec.task, 'regression');
  assert.equal(meta!.droppedRows, 0);
  assert.deepEqual(meta!.droppedColumns, { notPredictive: ['communityname', 'fold'], derivedFromTarget: ['class'], mostlyMissing: [] });
  for (const gone of ['communityname', 'fold', 'class']) assert.equal(table.columns.has(gone), false, gone);
  assert.ok(/Black = "1" when racepctblack >= 0.06/.test(description));
});

const HEADER = 'state,county,community,communityname,fold,population,racepctblack,LemasSwornFT,OtherPerCap,ViolentCrimesPerPop,Black,class';

function writeCommunities(rows: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'fairkit-communities-'));
  mkdirSync(join(dir, 'communities_crime'));
  writeFileSync(join(dir, 'communities_crime', 'communities_crime.csv'), [HEADER, ...rows, ''].join('\n'));
  return dir;
}

/** Invented records in the UCI layout: ids, a mostly-'?' police column, one '?' in OtherPerCap, one missing target. */
test('Communities: ids, the leaking class and mostly-missing columns are dropped, then rows with a "?"', async () => {
  const dir = writeCommunities([
    '1,?,?,Atown,1,0.10,0.06,0.5,0.20,0.30,1,0', // kept; racepctblack at the threshold is Black = 1
    '2,5,7,Bville,2,0.20,0.05,?,0.30,0.80,0,1', // kept; just below the threshold
    '2,?,?,Ccity,3,0.30,0.50,?,?,0.10,1,0', // dropped: OtherPerCap is '?' (a column mostly present)
    '9,?,?,Dburg,4,0.40,0.00,?,0.10,?,0,0', // dropped: no target
  ]);
  const { table, spec, meta } = await loadCommunities(dir);
  assert.deepEqual(table.names, ['state', 'population', 'racepctblack', 'OtherPerCap', 'Black', 'ViolentCrimesPerPop']);
  assert.equal(table.nRows, 2);
  assert.deepEqual(table.columns.get('state')!.values, ['1', '2']);
  assert.deepEqual(table.columns.get('Black')!.values, ['1', '0']);
  assert.deepEqual(Array.from(table.columns.get('ViolentCrimesPerPop')!.values as Float64Array), [0.3, 0.8]);
  assert.deepEqual(spec.features, ['population', 'racepctblack', 'OtherPerCap', 'Black']);
  assert.deepEqual(spec.sensitive, ['Black']);
  assert.deepEqual(spec.privileged, { Black: '0' });
  assert.equal(spec.target, 'ViolentCrimesPerPop');
  assert.equal(spec.positive, '');
  assert.equal(spec.cluster, 'state');
  assert.deepEqual(meta!.droppedColumns, {
    notPredictive: ['communityname', 'county', 'community', 'fold'],
    derivedFromTarget: ['class'],
    mostlyMissing: ['LemasSwornFT'],
  });
  assert.equal(meta!.droppedRows, 2);
  assert.equal(spec.task, 'regression');
  assert.equal(COMMUNITIES_BLACK_THRESHOLD, 0.06);
});

test('Communities: a Black column that disagrees with racepctblack is an error naming the row', async () => {
  const dir = writeCommunities(['1,?,?,Atown,1,0.10,0.40,?,0.20,0.30,0,0']);
  await assert.rejects(loadCommunities(dir), (error: unknown) =>
    error instanceof FairkitError && /Black column says "0" where racepctblack = 0.4 gives "1" \(data row 1\)/.test(error.message));
});

test('Communities: a missing folder names the path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fairkit-communities-none-'));
  await assert.rejects(loadCommunities(dir), (error: unknown) => error instanceof FairkitError && error.message.includes('communities_crime'));
});

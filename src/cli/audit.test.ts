import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fairkitInProcess } from './run-cli.test-helper.js';

const fixtures = JSON.parse(readFileSync(fileURLToPath(new URL('../../src/metrics/fixtures/metrics.json', import.meta.url)), 'utf8'));
const folder = mkdtempSync(join(tmpdir(), 'fairkit-audit-'));

interface FixtureCase {
  name: string;
  yTrue: number[];
  yPred?: number[];
  scores?: number[];
  groupIds: number[];
  keys: string[];
  values: Record<string, string>[];
  privileged?: number;
  weights?: number[];
  threshold?: number;
  expected: { overall: Record<string, number | null>; groups: Record<string, unknown>[]; fairness: Record<string, number | null> };
}

/** Writes a case as a CSV file the way a user would have it: label, prediction/score and sensitive columns. */
function writeCase(fixture: FixtureCase): string {
  const attributes = Object.keys(fixture.values[0]);
  const header = ['label', ...(fixture.yPred ? ['pred'] : []), ...(fixture.scores ? ['score'] : []), ...attributes];
  const lines = fixture.yTrue.map((y, i) => {
    const group = fixture.values[fixture.groupIds[i]];
    return [y, ...(fixture.yPred ? [fixture.yPred[i]] : []), ...(fixture.scores ? [fixture.scores[i]] : []), ...attributes.map((a) => group[a])].join(',');
  });
  const path = join(folder, `${fixture.name.replace(/[^a-z0-9]+/gi, '-')}.csv`);
  writeFileSync(path, `${header.join(',')}\n${lines.join('\n')}\n`);
  return path;
}

function assertClose(actual: unknown, expected: number | null, what: string): void {
  if (expected === null) return assert.equal(actual, null, what);
  assert.equal(typeof actual, 'number', what);
  assert.ok(Math.abs((actual as number) - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

describe('fairkit audit against scikit-learn / Fairlearn-definition fixtures', () => {
  // The CLI has no weight column, so the unweighted cases are audited end to end.
  const cases = (fixtures.cases as FixtureCase[]).filter((fixture) => !fixture.weights);
  for (const fixture of cases) {
    test(fixture.name, async () => {
      const path = writeCase(fixture);
      const attributes = Object.keys(fixture.values[0]);
      const args = ['audit', path, '--label', 'label', '--sensitive', attributes.join(','), '--format', 'json'];
      if (fixture.yPred) args.push('--pred', 'pred');
      if (fixture.scores) args.push('--score', 'score');
      if (fixture.threshold !== undefined) args.push('--threshold', String(fixture.threshold));
      if (fixture.privileged !== undefined) args.push('--privileged', attributes.map((a) => fixture.values[fixture.privileged!][a]).join(','));
      const run = await fairkitInProcess(...args);
      assert.equal(run.status, 0, run.stderr);
      const json = JSON.parse(run.stdout);
      assert.equal(json.rows, fixture.yTrue.length);
      assert.deepEqual(json.sensitive, attributes);
      for (const [key, value] of Object.entries(fixture.expected.fairness)) assertClose(json.fairness[key], value, `fairness.${key}`);
      for (const key of Object.keys(json.overall)) assertClose(json.overall[key], fixture.expected.overall[key], `overall.${key}`);
      for (const expectedGroup of fixture.expected.groups) {
        const group = json.groups.find((g: { key: string }) => g.key === expectedGroup.key);
        if ((expectedGroup.count as number) === 0) continue;
        assert.ok(group, `group ${expectedGroup.key}`);
        assert.deepEqual(group.values, expectedGroup.values);
        for (const key of ['count', 'accuracy', 'balancedAccuracy', 'selectionRate', 'tpr', 'fpr', 'precision', 'f1']) assertClose(group[key], expectedGroup[key] as number | null, `${expectedGroup.key}.${key}`);
      }
    });
  }
});

describe('fairkit audit output and errors', () => {
  const golden = writeCase((fixtures.cases as FixtureCase[])[0]);

  test('bootstrap intervals come in a parallel object and bracket the point values', async () => {
    const run = await fairkitInProcess('audit', golden, '--label', 'label', '--pred', 'pred', '--sensitive', 'group', '--bootstrap', '200', '--seed', '3', '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    const [low, high] = json.intervals.overall.accuracy;
    assert.ok(low <= json.overall.accuracy && json.overall.accuracy <= high, `${low} ≤ ${json.overall.accuracy} ≤ ${high}`);
    assert.deepEqual((await fairkitInProcess('audit', golden, '--label', 'label', '--pred', 'pred', '--sensitive', 'group', '--bootstrap', '200', '--seed', '3', '--format', 'json')).stdout, run.stdout);
  });

  test('the table marks the worst gap and the markdown is a table', async () => {
    const table = await fairkitInProcess('audit', golden, '--label', 'label', '--pred', 'pred', '--sensitive', 'group');
    assert.equal(table.status, 0);
    // Golden vector: FPR runs from 0.0 (b) to 1.0 (a), the widest of the group rates.
    assert.match(table.stdout, /worst gap: FPR 0 \(b\) vs 1 \(a\)/);
    assert.match(table.stdout, /^a .*▲ highest FPR$/m);
    const markdown = await fairkitInProcess('audit', golden, '--label', 'label', '--pred', 'pred', '--sensitive', 'group', '--format', 'markdown');
    assert.match(markdown.stdout, /^\| group \| count \|/m);
  });

  const cases: [string, string[], RegExp][] = [
    ['a missing file', ['audit', join(folder, 'nope.csv'), '--label', 'label', '--pred', 'pred', '--sensitive', 'group'], /nope\.csv.*not found/],
    ['an unknown column', ['audit', golden, '--label', 'label', '--pred', 'pred', '--sensitive', 'race'], /unknown column 'race'.*Columns are: label, pred, group/],
    ['a label with three values and no --positive', ['audit', golden, '--label', 'group', '--pred', 'pred', '--sensitive', 'label'], /3 distinct values.*--positive/],
    ['a single group', ['audit', golden, '--label', 'label', '--pred', 'pred', '--sensitive', 'group', '--privileged', 'z'], /privileged group z/],
    ['non-numeric scores', ['audit', golden, '--label', 'label', '--score', 'group', '--sensitive', 'pred'], /line 2, column "group".*not a number/],
    ['neither --pred nor --score', ['audit', golden, '--label', 'label', '--sensitive', 'group'], /--pred COL or --score COL/],
  ];
  for (const [what, args, message] of cases) {
    test(`${what}: one clear line on stderr, non-zero exit, nothing on stdout`, async () => {
      const run = await fairkitInProcess(...args);
      assert.notEqual(run.status, 0);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, message);
    });
  }

  test('predictions written like the label may all be negative; intersectional keys stay in their markdown cell', async () => {
    const path = join(folder, 'words.csv');
    writeFileSync(path, 'label,pred,group,region\nyes,no,a,x\nno,no,a,y\nyes,no,b,x\nno,no,b,y\n');
    const run = await fairkitInProcess('audit', path, '--label', 'label', '--positive', 'yes', '--pred', 'pred', '--sensitive', 'group,region', '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const audit = JSON.parse(run.stdout);
    assert.equal(audit.overall.selectionRate, 0);
    assert.equal(audit.overall.accuracy, 0.5);
    const markdown = await fairkitInProcess('audit', path, '--label', 'label', '--positive', 'yes', '--pred', 'pred', '--sensitive', 'group,region', '--format', 'markdown');
    const groupRows = markdown.stdout.split('\n').filter((line) => /^\| [ab]\\\|[xy] \|/.test(line));
    assert.equal(groupRows.length, 4, markdown.stdout);
    const headerCells = markdown.stdout.split('\n').find((line) => line.startsWith('| group |'))!.split(/(?<!\\)\|/).length;
    for (const row of groupRows) assert.equal(row.split(/(?<!\\)\|/).length, headerCells);
  });

  test('a sensitive column holding one value is refused', async () => {
    const path = join(folder, 'one-group.csv');
    writeFileSync(path, 'label,pred,group\n1,1,a\n0,1,a\n');
    const run = await fairkitInProcess('audit', path, '--label', 'label', '--pred', 'pred', '--sensitive', 'group');
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /single group \('a'\)/);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { regressionCases, type RegressionCase } from '../metrics/regression-fixtures.test-helper.js';
import { fairkitInProcess } from './run-cli.test-helper.js';

const example = fileURLToPath(new URL('../../examples/synthetic-grades.csv', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'fairkit-audit-regression-'));

/** A case as the CSV a user would have: true value, prediction, group (JavaScript writes doubles exactly). */
function writeCase(fixture: RegressionCase): string {
  const lines = fixture.yTrue.map((y, i) => `${y},${fixture.yPred[i]},${fixture.keys[fixture.groupIds[i]]}`);
  const path = join(folder, `${fixture.name.replace(/[^a-z0-9]+/gi, '-')}.csv`);
  writeFileSync(path, `y,yhat,group\n${lines.join('\n')}\n`);
  return path;
}

function assertClose(actual: unknown, expected: unknown, what: string): void {
  if (typeof expected !== 'number') return assert.deepEqual(actual, expected, what);
  assert.equal(typeof actual, 'number', what);
  assert.ok(Math.abs((actual as number) - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

const audit = (path: string, ...extra: string[]) => fairkitInProcess('audit', path, '--task', 'regression', '--label', 'y', '--pred', 'yhat', '--sensitive', 'group', ...extra);

describe('fairkit audit --task regression against the scikit-learn fixtures', () => {
  // The CLI takes no weight column (nor does the classification audit), so the unweighted cases run end to end.
  // A declared group without rows cannot be written to a CSV, so groups are compared by key.
  for (const fixture of regressionCases.filter((c) => !c.weights)) {
    test(fixture.name, async () => {
      const run = await audit(writeCase(fixture), '--format', 'json');
      assert.equal(run.status, 0, run.stderr);
      const json = JSON.parse(run.stdout);
      assert.equal(json.task, 'regression');
      assert.equal(json.rows, fixture.yTrue.length);
      assert.deepEqual(json.sensitive, ['group']);
      for (const [key, value] of Object.entries(fixture.expected.overall)) assertClose(json.overall[key], value, `overall.${key}`);
      for (const [key, value] of Object.entries(fixture.expected.fairness)) assertClose(json.fairness[key], value, `fairness.${key}`);
      for (const expected of fixture.expected.groups) {
        const group = json.groups.find((g: { key: string }) => g.key === expected.key);
        for (const [key, value] of Object.entries(expected)) assertClose(group[key], value, `${String(expected.key)}.${key}`);
      }
    });
  }
});

describe('fairkit audit --task regression output and errors', () => {
  const constantGroup = writeCase(regressionCases.find((c) => c.name.includes('constant labels'))!);

  test('an undefined r2 is null in the JSON and a warning on stderr', async () => {
    const run = await audit(constantGroup, '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).groups.find((g: { key: string }) => g.key === 's').r2, null);
    assert.match(run.stderr, /^warning: group 's' r2: null, because its labels are constant/m);
  });

  test('bootstrap intervals are seeded and come in a parallel object', async () => {
    const args = ['--bootstrap', '100', '--seed', '4', '--format', 'json'];
    const run = await audit(constantGroup, ...args);
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    const [low, high] = json.intervals.overall.mse;
    assert.ok(low <= json.overall.mse && json.overall.mse <= high);
    assert.deepEqual(Object.keys(json.intervals.fairness), Object.keys(json.fairness));
    assert.equal((await audit(constantGroup, ...args)).stdout, run.stdout);
  });

  test('the example: the table marks the groups with the highest and lowest MSE; markdown is a table', async () => {
    const args = ['audit', example, '--task', 'regression', '--label', 'grade', '--pred', 'predicted_grade', '--sensitive', 'school'];
    const table = await fairkitInProcess(...args);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^fairkit audit \(regression\): 400 rows, groups by school/);
    assert.match(table.stdout, /^rural .*▲ highest MSE$/m);
    assert.match(table.stdout, /^urban .*▼ lowest MSE$/m);
    assert.match(table.stdout, /^ksDistance +0\.\d{3}$/m);
    const markdown = await fairkitInProcess(...args, '--format', 'markdown');
    assert.match(markdown.stdout, /^\| group \| count \| mse \| rmse \| mae \| r2 \|/m);
    const json = JSON.parse((await fairkitInProcess(...args, '--format', 'json')).stdout);
    // The planted disparity: rural students are under-predicted and predicted less accurately.
    const [rural, urban] = json.groups;
    assert.ok(rural.meanResidual < -2 && Math.abs(urban.meanResidual) < 1 && rural.mse > 2 * urban.mse);
  });

  const bad = join(folder, 'bad.csv');
  writeFileSync(bad, 'y,yhat,group\n1,1.5,a\n2,2.5,b\n3,three,a\n');
  const missing = join(folder, 'missing.csv');
  writeFileSync(missing, 'y,yhat,group\n1,1.5,a\n,2.5,b\n');
  const oneGroup = join(folder, 'one-group.csv');
  writeFileSync(oneGroup, 'y,yhat,group\n1,1.5,a\n2,2.5,a\n');
  const cases: [string, string[], RegExp][] = [
    ['a prediction that is not a number', ['audit', bad, '--task', 'regression', '--label', 'y', '--pred', 'yhat', '--sensitive', 'group'], /bad\.csv, line 4, column "yhat": "three" is not a number/],
    ['a label that is not a number', ['audit', bad, '--task', 'regression', '--label', 'yhat', '--pred', 'y', '--sensitive', 'group'], /bad\.csv, line 4, column "yhat": "three" is not a number/],
    ['a missing label', ['audit', missing, '--task', 'regression', '--label', 'y', '--pred', 'yhat', '--sensitive', 'group'], /missing\.csv, line 3: column 'y' has a missing value/],
    ['--score', ['audit', bad, '--task', 'regression', '--label', 'y', '--pred', 'yhat', '--score', 'yhat', '--sensitive', 'group'], /--score is for classification and cannot be used with --task regression/],
    ['--threshold', ['audit', bad, '--task', 'regression', '--label', 'y', '--pred', 'yhat', '--threshold', '0.5', '--sensitive', 'group'], /--threshold is for classification/],
    ['--positive', ['audit', bad, '--task', 'regression', '--label', 'y', '--pred', 'yhat', '--positive', '1', '--sensitive', 'group'], /--positive is for classification/],
    ['no --pred', ['audit', bad, '--task', 'regression', '--label', 'y', '--sensitive', 'group'], /--task regression needs --pred COL/],
    ['an unknown task', ['audit', bad, '--task', 'ranking', '--label', 'y', '--pred', 'yhat', '--sensitive', 'group'], /--task must be one of classification, regression/],
    ['a single group', ['audit', oneGroup, '--task', 'regression', '--label', 'y', '--pred', 'yhat', '--sensitive', 'group'], /sensitive column group holds a single group \('a'\)/],
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
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateSynthetic } from '../data/synthetic.js';
import { openDataset } from '../data/open-dataset.js';
import { prepareDataset } from '../data/prepare.js';
import { fairkitInProcess } from './run-cli.test-helper.js';

const folder = mkdtempSync(join(tmpdir(), 'fairkit-checks-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const loans = fileURLToPath(new URL('../../examples/synthetic-loans.csv', import.meta.url));
const onLoans = ['--dataset', loans, '--target', 'approved', '--drop', 'id,score,decision', '--epochs', '1', '--hidden', '8', '--format', 'json'];

/** A refusal: nothing on stdout, one line on stderr, non-zero exit. */
function refused(run: { status: number | null; stdout: string; stderr: string }, line: string, status: number): void {
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, `${line}\n`);
  assert.equal(run.status, status);
}

describe('--split is checked before any data is loaded', () => {
  const invalid = (value: string) => `error: option '--split <fractions>' argument '${value}' is invalid.`;
  for (const [split, message] of [
    ['1,0,0', '--split leaves the validation and test splits empty, but fairkit train needs them: give each a fraction above 0, e.g. 0.6,0.2,0.2.'],
    ['0.7,0.3,0', '--split leaves the test split empty, but fairkit train needs it: give it a fraction above 0, e.g. 0.6,0.2,0.2.'],
    ['0,0.5,0.5', '--split leaves the training split empty, but fairkit train needs it: give it a fraction above 0, e.g. 0.6,0.2,0.2.'],
    ['0.5,0.2,0.2', '--split fractions must sum to 1, got 0.9.'],
    ['0.6,0.4', '--split needs three fractions (training, validation, test), got 2.'],
  ] as const) {
    test(`fairkit train --split ${split}`, async () => {
      // The data set does not exist: the flags are refused before it would be opened.
      refused(await fairkitInProcess('train', '--dataset', join(folder, 'missing.csv'), '--split', split), `${invalid(split)} ${message}`, 1);
    });
  }

  test('fractions that sum to 1 only within rounding are accepted (0.7,0.2,0.1)', async () => {
    const run = await fairkitInProcess('train', ...onLoans, '--sensitive', 'group', '--split', '0.7,0.2,0.1');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).test.overall.count, 200);
  });

  test('fairkit debias --split needs a test split', async () => {
    refused(await fairkitInProcess('debias', '--model', join(folder, 'none'), '--split', '0.8,0.2,0'), `${invalid('0.8,0.2,0')} --split leaves the test split empty, but fairkit debias needs it: give it a fraction above 0, e.g. 0.6,0.2,0.2.`, 1);
  });
});

describe('a numeric sensitive attribute: refused unbinned, binned with --bin', () => {
  test('more than 20 distinct values is an error that suggests --bin', async () => {
    refused(
      await fairkitInProcess('train', ...onLoans, '--sensitive', 'income'),
      `fairkit: ${loans}: sensitive column "income" has more than 20 distinct values, so each value would be a group of its own. Bin it into a few groups: --bin income=quantiles:4 (equal-count bins) or --bin income=CUT,CUT (cut points)`,
      2,
    );
  });

  test('an id-like text column is refused without suggesting --bin', async () => {
    const ids = join(folder, 'ids.csv');
    writeFileSync(ids, readFileSync(loans, 'utf8').trim().split('\n').map((line, row) => (row === 0 ? line : `c${line}`)).join('\n'));
    await assert.rejects(openDataset({ dataset: ids, target: 'approved', sensitive: ['id'] }), {
      message: `${ids}: sensitive column "id" has more than 20 distinct values, so each value would be a group of its own. Choose a sensitive column with few values, or merge its values into a few groups in the data first`,
    });
  });

  test('--bin COL=quantiles:Q gives Q equal-count groups; the cuts are saved with the model', async () => {
    const out = join(folder, 'binned');
    const run = await fairkitInProcess('train', ...onLoans, '--sensitive', 'income', '--bin', 'income=quantiles:4', '--out', out);
    assert.equal(run.status, 0, run.stderr);
    const groups = JSON.parse(run.stdout).test.groups.map((group: { key: string }) => group.key);
    const saved = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).groups;
    assert.equal(saved.cuts.income.length, 3);
    const [a, b, c] = saved.cuts.income.map(String);
    assert.deepEqual(groups.sort(), [`${a}-${b}`, `${b}-${c}`, `<${a}`, `>=${c}`].sort());
  });

  test('--bin COL=CUT,CUT gives the bins of those cut points, also crossed with another attribute', async () => {
    const run = await fairkitInProcess('train', ...onLoans, '--sensitive', 'group,income', '--bin', 'income=40000,70000');
    assert.equal(run.status, 0, run.stderr);
    const groups = JSON.parse(run.stdout).test.groups.map((group: { key: string }) => group.key);
    assert.deepEqual(groups, ['majority|40000-70000', 'majority|<40000', 'majority|>=70000', 'minority|40000-70000', 'minority|<40000', 'minority|>=70000']);
  });

  for (const [value, message] of [
    ['income', "--bin needs COLUMN=quantiles:Q or COLUMN=CUT,CUT,…, got 'income'."],
    ['income=quantiles:1', "--bin income: quantiles needs a whole number of bins >= 2, got '1'."],
    ['income=70000,40000', '--bin income: cut points must be strictly increasing, got 70000,40000.'],
    ['income=4e4,x', "--bin needs COLUMN=quantiles:Q or COLUMN=CUT,CUT,…, got 'income=4e4,x'."],
  ] as const) {
    test(`--bin ${value} is refused while parsing`, async () => {
      refused(await fairkitInProcess('train', '--dataset', join(folder, 'missing.csv'), '--bin', value), `error: option '--bin <col=rule>' argument '${value}' is invalid. ${message}`, 1);
    });
  }

  test('--bin of a column that is not sensitive is an error, not ignored', async () => {
    refused(await fairkitInProcess('train', ...onLoans, '--sensitive', 'group', '--bin', 'income=50000'), `fairkit: ${loans}: --bin names "income", which is not a sensitive column. Sensitive columns: group`, 2);
  });

  test('--bin of a text column is an error', async () => {
    refused(await fairkitInProcess('train', ...onLoans, '--sensitive', 'region', '--bin', 'region=1'), 'fairkit: sensitive column "region" is categorical and cannot be binned. Drop its binning, or read the column as numeric', 2);
  });
});

describe('small groups in the training split', () => {
  test('groups with fewer than 30 training rows are named in one warning on stderr', async () => {
    const small = join(folder, 'small.csv');
    writeFileSync(small, readFileSync(loans, 'utf8').split('\n').slice(0, 121).join('\n'));
    const run = await fairkitInProcess('train', ...onLoans.slice(2), '--dataset', small, '--sensitive', 'group');
    assert.equal(run.status, 0, run.stderr);
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('warning: '));
    assert.deepEqual(warnings, [`warning: ${small}: fewer than 30 rows in the training split for group "minority" (24); their metrics and any group-wise correction rest on few rows`]);
  });

  test('prepareDataset returns no warning when every group has 30 training rows or more', async () => {
    assert.deepEqual(prepareDataset(generateSynthetic({ rows: 500 }), { seed: 0 }).warnings, []);
  });
});

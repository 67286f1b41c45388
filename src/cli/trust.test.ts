/** No silent wrong answers, no lost work: refused overwrites, whole-folder replacement, and predict's row policies. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { fairkitInProcess } from './run-cli.test-helper.js';

const root = mkdtempSync(join(tmpdir(), 'fairkit-trust-'));
after(() => rmSync(root, { recursive: true, force: true }));
const example = fileURLToPath(new URL('../../examples/synthetic-loans.csv', import.meta.url));
const trainArgs = ['train', '--dataset', example, '--target', 'approved', '--sensitive', 'group', '--drop', 'id,score,decision', '--epochs', '1', '--hidden', '8', '--format', 'json'];

describe('overwrites are refused without --force, and --force replaces a run folder whole', () => {
  const model = join(root, 'model');

  test('train --out: a run folder is refused before training; with --force the old run is replaced, not merged', async () => {
    const first = await fairkitInProcess(...trainArgs, '--out', model, '--track-contribution');
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(readdirSync(model).sort(), ['contribution.json', 'metrics.json', 'model.json', 'weights.bin']);
    const before = readFileSync(join(model, 'model.json'), 'utf8');
    const refused = await fairkitInProcess(...trainArgs, '--out', model);
    assert.equal(refused.status, 2);
    assert.equal(refused.stdout, '');
    assert.equal(refused.stderr, `fairkit: --out: ${model} already holds a run (model.json). Give --force to replace the folder whole, or another folder\n`);
    assert.equal(readFileSync(join(model, 'model.json'), 'utf8'), before);
    const forced = await fairkitInProcess(...trainArgs, '--out', model, '--force', '--seed', '7');
    assert.equal(forced.status, 0, forced.stderr);
    assert.deepEqual(readdirSync(model).sort(), ['metrics.json', 'model.json', 'weights.bin'], "the earlier run's contribution.json is gone");
    const saved = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    assert.equal(saved.provenance.trainingSeed, 7);
    assert.equal(JSON.parse(readFileSync(join(model, 'metrics.json'), 'utf8')).runId, saved.provenance.runId);
    assert.deepEqual(readdirSync(root).filter((name) => name.startsWith('.model.')), []);
  });

  test('train --out naming a file, or a folder of other files, fails before training with one clear line', async () => {
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'keep me');
    const run = await fairkitInProcess(...trainArgs, '--out', file, '--force');
    assert.equal(run.status, 2);
    assert.equal(run.stderr, `fairkit: --out: ${file} is a file, not a folder. Give a folder path (it is created, or replaced with --force)\n`);
    assert.doesNotMatch(run.stderr, /epoch/);
    assert.equal(readFileSync(file, 'utf8'), 'keep me');
    // A folder that is not a fairkit run is never replaced, even with --force.
    const papers = join(root, 'papers');
    mkdirSync(papers);
    writeFileSync(join(papers, 'draft.md'), '# draft');
    const foreign = await fairkitInProcess(...trainArgs, '--out', papers, '--force');
    assert.equal(foreign.status, 2);
    assert.equal(foreign.stderr, `fairkit: --out: ${papers} is a folder of other files (no model.json or metrics.json), which --force does not replace. Give a new or empty folder\n`);
    assert.deepEqual(readdirSync(papers), ['draft.md']);
  });

  test('debias --out equal to --model is refused without --force; with --force the folder becomes the debiased model', async () => {
    const base = join(root, 'base');
    const train = await fairkitInProcess('train', '--epochs', '2', '--hidden', '8', '--seed', '5', '--out', base, '--format', 'json');
    assert.equal(train.status, 0, train.stderr);
    const refused = await fairkitInProcess('debias', '--model', base, '--epochs', '1', '--out', base);
    assert.equal(refused.status, 2);
    assert.equal(refused.stderr, `fairkit: --out: ${base} already holds a run (model.json). Give --force to replace the folder whole, or another folder\n`);
    assert.equal(JSON.parse(readFileSync(join(base, 'model.json'), 'utf8')).model.kind, 'mlp');
    const forced = await fairkitInProcess('debias', '--model', base, '--epochs', '1', '--out', base, '--force', '--format', 'json');
    assert.equal(forced.status, 0, forced.stderr);
    const saved = JSON.parse(readFileSync(join(base, 'model.json'), 'utf8'));
    assert.equal(saved.model.kind, 'groupmixnorm-mlp');
    assert.equal(JSON.parse(readFileSync(join(base, 'metrics.json'), 'utf8')).runId, saved.provenance.runId);
  });

  test('predict --out: an existing file needs --force; the input itself (by any path) is refused even with it', async () => {
    const input = join(root, 'loans.csv');
    writeFileSync(input, readFileSync(example));
    const link = join(root, 'loans-link.csv');
    symlinkSync(input, link);
    const size = statSync(input).size;
    for (const out of [input, link, join(root, '.', 'loans.csv')]) {
      const run = await fairkitInProcess('predict', link === out ? input : link, '--model', model, '--out', out, '--force');
      assert.equal(run.status, 2, out);
      assert.equal(run.stderr, `fairkit: --out: ${out} is the input file itself, which is never overwritten (not even with --force). Give another path\n`);
    }
    assert.equal(statSync(input).size, size);
    const out = join(root, 'scored.csv');
    writeFileSync(out, 'earlier results\n');
    const refused = await fairkitInProcess('predict', input, '--model', model, '--out', out);
    assert.equal(refused.status, 2);
    assert.equal(refused.stderr, `fairkit: --out: ${out} already exists. Give --force to replace it, or another path\n`);
    assert.equal(readFileSync(out, 'utf8'), 'earlier results\n');
    const forced = await fairkitInProcess('predict', input, '--model', model, '--out', out, '--force', '--score-column', 'fair_score');
    assert.equal(forced.status, 0, forced.stderr);
    assert.equal((parse(readFileSync(out)) as string[][]).length, 2001);
  });

  test('predict --policy: every row gets a finite score or a stated reason in the note column; refused rows exit 0', async () => {
    const [header, ...rows]: string[][] = parse(readFileSync(example));
    const col = (name: string) => header.indexOf(name);
    const edit = (row: string[], changes: Record<string, string>) => row.map((value, i) => changes[header[i]] ?? value);
    const kept = new Set(['id', 'approved', 'score', 'decision']);
    const body = [
      rows[0],
      edit(rows[1], { employment: 'astronaut' }),
      edit(rows[2], { income: '' }),
      rows[3].map((value, i) => (kept.has(header[i]) ? value : '')),
      edit(rows[4], { income: '1e300' }),
    ];
    const input = join(root, 'odd-rows.csv');
    writeFileSync(input, stringify([header, ...body]));
    const results: Record<string, string[][]> = {};
    const stderr: Record<string, string> = {};
    for (const policy of ['refuse', 'flag', 'impute']) {
      const out = join(root, `odd-${policy}.csv`);
      const run = await fairkitInProcess('predict', input, '--model', model, '--out', out, '--policy', policy, '--score-column', 's');
      assert.equal(run.status, 0, run.stderr);
      stderr[policy] = run.stderr;
      results[policy] = (parse(readFileSync(out)) as string[][]).slice(1).map((row) => row.slice(-3));
      assert.deepEqual((parse(readFileSync(out)) as string[][])[0].slice(-3), ['s', 'prediction', 'note']);
    }
    const huge = 'refused: income = 1e+300 is out of range (more than 1000000 standard deviations from the training mean)';
    const empty = 'refused: every feature is empty; empty sensitive value';
    assert.deepEqual(results.refuse.map(([score, prediction, note]) => [score === '' ? '' : 'number', prediction, note]), [
      ['number', results.refuse[0][1], ''],
      ['', '', 'refused: employment "astronaut" not seen in training (encoded as no category)'],
      ['', '', 'refused: income missing (imputed with the training mean)'],
      ['', '', empty],
      ['', '', huge],
    ]);
    assert.deepEqual(results.flag.map(([, , note]) => note), ['', 'employment "astronaut" not seen in training (encoded as no category)', 'income missing (imputed with the training mean)', empty, huge]);
    assert.deepEqual(results.impute.map(([, , note]) => note), ['', '', '', empty, huge]);
    for (const policy of ['flag', 'impute']) {
      assert.deepEqual(results[policy].slice(0, 3).map(([score]) => score), results.flag.slice(0, 3).map(([score]) => score));
      assert.ok(results[policy].slice(0, 3).every(([score]) => Number.isFinite(Number(score)) && score !== ''));
      assert.deepEqual(results[policy].slice(3).map(([score, prediction]) => score + prediction), ['', '']);
    }
    // The reader's own notes (empty cells read as missing, per column) come first; then predict's, counted over all
    // rows, the empty one included.
    const predictNotes = stderr.refuse.split('\n').filter((line) => !/^note: .*odd-rows\.csv: column /.test(line)).join('\n');
    assert.match(stderr.refuse, /^note: .*odd-rows\.csv: column "income": 2 of 5 cells read as missing \("" ×2\)$/m);
    assert.equal(predictNotes, [
      'note: 9 missing cells (income 2, debt_ratio 1, credit_history_years 1, late_payments 1, neighbourhood_index 1, group 1, region 1, employment 1) filled in (numeric: the training mean; categorical: no category), their rows refused',
      'note: 1 categories not seen in training (employment 1) encoded as no category, their rows refused',
      'note: 1 values out of range (income 1; more than 1000000 standard deviations from the training mean), their rows refused',
      'note: 1 rows with every feature empty refused',
      `scored 1 of 5 rows (0 flagged, 4 refused; policy refuse) with the erm model; wrote ${join(root, 'odd-refuse.csv')}`,
      '',
    ].join('\n'));
    assert.match(stderr.flag, /scored 3 of 5 rows \(2 flagged, 2 refused; policy flag\)/);
    assert.match(stderr.impute, /scored 3 of 5 rows \(0 flagged, 2 refused; policy impute\)/);
    const bad = await fairkitInProcess('predict', input, '--model', model, '--out', join(root, 'never.csv'), '--policy', 'lenient');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--policy/);
    assert.ok(!existsSync(join(root, 'never.csv')));
  });
});

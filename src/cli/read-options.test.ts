import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { fairkitInProcess } from './run-cli.test-helper.js';

/** --encoding, --missing and --categorical end to end: what the reader's errors tell the user to do works. */
describe('how the commands read a CSV file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fairkit-read-options-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  // Two cities one latin-1 byte apart (0xE9 é, 0xE8 è): a lenient decoder would make them one group.
  const latin1 = file('cities.csv', Buffer.from('label,pred,city,age\n1,1,Caf\xe9,30\n0,1,Caf\xe8,n/a\n1,0,Caf\xe9,41\n0,0,Caf\xe8,22\n', 'latin1'));
  const audit = (path: string, ...more: string[]) => fairkitInProcess('audit', path, '--label', 'label', '--pred', 'pred', '--sensitive', 'city', '--format', 'json', ...more);

  test('audit: undecodable bytes are one error line naming file, line and offset; exit 2, nothing on stdout', async () => {
    const run = await audit(latin1);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, `fairkit: ${latin1}, line 2: byte 0xE9 at byte offset 27 is not valid UTF-8. Name the file's encoding (e.g. --encoding latin1, or readTable's encoding option), or save the file as UTF-8\n`);
  });

  test('audit --encoding latin1: the two groups stay two, and the missing age is a note', async () => {
    const run = await audit(latin1, '--encoding', 'latin1');
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout).groups.map((group: { key: string; count: number }) => [group.key, group.count]), [['Cafè', 2], ['Café', 2]]);
    assert.equal(run.stderr.split('\n')[0], `note: ${latin1}: column "age": 1 of 4 cells read as missing ("n/a" ×1)`);
  });

  test("audit: a stray token in a numeric column is an error, and the fixes it names (--missing, --categorical) work", async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `${i % 2},${(i + 1) % 2},${i < 5 ? 'a' : 'b'},${30 + i}`);
    rows.splice(3, 0, '1,1,a,abc');
    const path = file('stray.csv', ['label,pred,city,age', ...rows, ''].join('\n'));
    const run = await audit(path);
    assert.equal(run.status, 2);
    assert.equal(
      run.stderr,
      `fairkit: ${path}, line 5, column "age": "abc" is not a number, but 10 of the column's 11 values are numbers (1 cell is not a number: "abc"). If "abc" means missing, list it (--missing abc, or readTable's missing option); if the column is categorical, declare it (--categorical age, or readTable's types option)\n`,
    );
    const missing = await audit(path, '--missing', 'abc');
    assert.equal(missing.status, 0, missing.stderr);
    assert.match(missing.stderr, new RegExp(`^note: .*stray\\.csv: column "age": 1 of 11 cells read as missing \\("abc" ×1\\)\n`));
    assert.equal((await audit(path, '--categorical', 'age')).status, 0);
    const regression = await fairkitInProcess('audit', path, '--task', 'regression', '--label', 'label', '--pred', 'pred', '--sensitive', 'city', '--categorical', 'pred');
    assert.equal(regression.stderr, 'fairkit: --categorical pred: this command needs column "pred" as numbers\n');
  });

  test('train: a stray token in a CSV fails before training; reading options on a built-in data set are refused', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i % 2},${i % 3 === 0 ? 'a' : 'b'},${i === 7 ? 'Infinity' : i * 1.5}`);
    const path = file('train.csv', ['y,g,x', ...rows, ''].join('\n'));
    const run = await fairkitInProcess('train', '--dataset', path, '--target', 'y', '--sensitive', 'g', '--epochs', '1');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^fairkit: .*train\.csv, line 9, column "x": "Infinity" is not a number, but a numeric column holds finite numbers only \(1 cell is not a number: "Infinity"\)\. Replace it with a finite number/);
    const refused = await fairkitInProcess('train', '--dataset', 'synthetic', '--encoding', 'latin1', '--epochs', '1');
    assert.equal(refused.status, 2);
    assert.equal(refused.stderr, "fairkit: --encoding, --missing and --categorical apply to a CSV file, not to data set 'synthetic'\n");
  });

  test('predict --encoding latin1: the fields copied to the output are the right characters, written as UTF-8', async () => {
    const example = fileURLToPath(new URL('../../examples/synthetic-loans.csv', import.meta.url));
    const model = join(dir, 'model');
    const trained = await fairkitInProcess('train', '--dataset', example, '--target', 'approved', '--sensitive', 'group', '--drop', 'id,score,decision', '--epochs', '1', '--hidden', '4', '--out', model);
    assert.equal(trained.status, 0, trained.stderr);
    const lines = readFileSync(example, 'utf8').trim().split('\n').slice(0, 4);
    const input = file('to-score.csv', Buffer.from(lines.map((line, i) => `${line},${i === 0 ? 'remark' : i === 2 ? 'Cafè' : 'Café'}`).join('\n') + '\n', 'latin1'));
    const out = join(dir, 'scored.csv');
    const refused = await fairkitInProcess('predict', input, '--model', model, '--out', out, '--score-column', 's', '--prediction-column', 'p');
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /^fairkit: .*to-score\.csv, line 2: byte 0xE9 at byte offset \d+ is not valid UTF-8\./);
    const run = await fairkitInProcess('predict', input, '--model', model, '--out', out, '--score-column', 's', '--prediction-column', 'p', '--encoding', 'latin1');
    assert.equal(run.status, 0, run.stderr);
    const notes = readFileSync(out, 'utf8').trim().split('\n').map((line) => line.split(',').at(-4));
    assert.deepEqual(notes, ['remark', 'Café', 'Cafè', 'Café']);
  });
});

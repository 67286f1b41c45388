import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { FairkitError } from '../errors.js';
import { dropRowsWithMissing, parseTable, readTable, selectRows } from './csv.js';
import type { Column, Table } from './types.js';

function values(table: Table, name: string): Column['values'] {
  const column = table.columns.get(name);
  assert.ok(column, `column ${name} exists`);
  return column.values;
}

function kind(table: Table, name: string): Column['kind'] {
  return table.columns.get(name)!.kind;
}

/** Asserts a FairkitError whose message contains every fragment. */
function failsWith(...fragments: string[]) {
  return (error: unknown) => {
    assert.ok(error instanceof FairkitError, `expected a FairkitError, got ${String(error)}`);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
    return true;
  };
}

describe('parseTable', () => {
  test('quoted fields keep embedded delimiters, quotes and newlines', () => {
    const table = parseTable('name,note,n\n"Smith, J","two\nlines",3\nplain,"say ""hi""",4\n');
    assert.equal(table.nRows, 2);
    assert.deepEqual(values(table, 'name'), ['Smith, J', 'plain']);
    assert.deepEqual(values(table, 'note'), ['two\nlines', 'say "hi"']);
    assert.deepEqual([...values(table, 'n')], [3, 4]);
  });

  test('infers numeric only when every present value is a plain decimal number', () => {
    const table = parseTable('a,b,c,d\n1,0x10,1e3,x\n-2.5,1,.5,Infinity\n');
    assert.equal(kind(table, 'a'), 'numeric');
    assert.equal(kind(table, 'b'), 'categorical');
    assert.deepEqual([...values(table, 'c')], [1000, 0.5]);
    assert.deepEqual(values(table, 'd'), ['x', 'Infinity']);
  });

  test('without a header, names are c0, c1, … or the given names', () => {
    assert.deepEqual(parseTable('1,a\n2,b\n', { header: false }).names, ['c0', 'c1']);
    const named = parseTable('1,a\n2,b\n', { header: false, names: ['n', 's'] });
    assert.deepEqual(values(named, 's'), ['a', 'b']);
    assert.equal(named.nRows, 2);
  });

  test('names override a header; a count mismatch is an error naming the line', () => {
    assert.deepEqual(parseTable('x,y\n1,2\n', { names: ['p', 'q'] }).names, ['p', 'q']);
    assert.throws(() => parseTable('x,y\n1,2\n', { names: ['p'], source: 'h.csv' }), failsWith('h.csv, line 1', '1 column names', '2 fields'));
  });

  test('custom delimiter, trimming and skipped lines', () => {
    const text = 'junk line\na; b\n 1 ; hello world \n';
    const table = parseTable(text, { delimiter: ';', skipLines: 1 });
    assert.deepEqual(table.names, ['a', 'b']);
    assert.deepEqual(values(table, 'b'), ['hello world']);
    assert.deepEqual(values(parseTable('a\tb\n1\t x\n', { delimiter: '\t', trim: false }), 'b'), [' x']);
  });

  test('default missing tokens give NaN / null; custom tokens replace them', () => {
    const table = parseTable('n,s\n1,a\nNA,?\n,NaN\n3,b\n');
    assert.deepEqual([...values(table, 'n')], [1, NaN, NaN, 3]);
    assert.deepEqual(values(table, 's'), ['a', null, null, 'b']);
    const custom = parseTable('s\nunknown\n?\n', { missing: ['unknown'] });
    assert.deepEqual(values(custom, 's'), [null, '?']);
  });

  test('transform runs before the missing check', () => {
    const table = parseTable('y,z\n>50K.,keep.\n<=50K.,x\n', {
      transform: (value, column) => (column === 'y' ? value.replace(/\.$/, '') : value),
    });
    assert.deepEqual(values(table, 'y'), ['>50K', '<=50K']);
    assert.deepEqual(values(table, 'z'), ['keep.', 'x']);
  });

  test('type overrides: categorical keeps the text, numeric rejects text naming line and column', () => {
    const table = parseTable('zip,score\n02139,1\n10001,2\n', { types: { zip: 'categorical' } });
    assert.deepEqual(values(table, 'zip'), ['02139', '10001']);
    assert.throws(
      () => parseTable('id,score\n1,2\n2,high\n', { types: { score: 'numeric' }, source: 'scores.csv' }),
      failsWith('scores.csv', 'line 3', 'column "score"', '"high"'),
    );
    assert.throws(() => parseTable('a\n1\n', { types: { b: 'numeric' }, source: 't.csv' }), failsWith('t.csv', "unknown column 'b'"));
  });

  test('a row with the wrong number of fields names file, line and counts (lines as in the file)', () => {
    const text = 'skip\na,b,c\n1,"x\ny",3\n\n4,5\n';
    assert.throws(() => parseTable(text, { skipLines: 1, source: 'bad.csv' }), failsWith('bad.csv, line 6', 'expected 3 fields but found 2'));
    assert.throws(() => parseTable('a,b\n1,2\n\n3,4\n', { skipEmptyLines: false, source: 'e.csv' }), failsWith('e.csv, line 3', 'found 1'));
    // a bad record spanning lines 2-3 is reported at the line where it starts
    assert.throws(() => parseTable('a,b\n1,"x\ny",3\n', { source: 'm.csv' }), failsWith('m.csv, line 2', 'found 3'));
    // a CRLF inside a quoted field is one line break, in Windows files too
    assert.throws(() => parseTable('a,b\r\n"x\r\ny",2\r\n3\r\n', { source: 'w.csv' }), failsWith('w.csv, line 4', 'found 1'));
  });

  test('decimals beyond float64 are not numbers, and not text either', () => {
    assert.throws(() => parseTable('s\n0.5\n1e400\n', { types: { s: 'numeric' }, source: 'big.csv' }), failsWith('big.csv', 'line 3', '"1e400"'));
    assert.throws(() => parseTable('s\n0.5\n1e400\n', { source: 'big.csv' }), failsWith('big.csv, line 3, column "s"', 'finite numbers only'));
  });

  test('a broken quote is reported with file and line', () => {
    assert.throws(() => parseTable('a,b\n1,"2"x\n', { source: 'q.csv' }), failsWith('q.csv, line 2', 'malformed CSV'));
  });

  test('quote: false treats quotes as text', () => {
    assert.deepEqual(values(parseTable('a\n"x"\n', { quote: false }), 'a'), ['"x"']);
  });

  test('duplicate and blank header names are made unique', () => {
    const table = parseTable('id,score,score,,score\n1,2,3,4,5\n');
    assert.deepEqual(table.names, ['id', 'score', 'score_2', 'c3', 'score_3']);
    assert.deepEqual([...values(table, 'score_2')], [3]);
  });

  test('an empty input with a header expected is an error', () => {
    assert.throws(() => parseTable('', { source: 'empty.csv' }), failsWith('empty.csv', 'no header'));
  });
});

describe('readTable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fairkit-csv-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const text = 'age,group,label\n30,"a, b",1\n?,c,0\n41,c,1\n';

  test('reads plain and gzipped files into the same table as parseTable', async () => {
    const plain = join(dir, 'plain.csv');
    const gzipped = join(dir, 'plain.csv.gz');
    writeFileSync(plain, text);
    writeFileSync(gzipped, gzipSync(Buffer.from(text)));
    const { origin, notes, ...expected } = parseTable(text);
    for (const path of [plain, gzipped]) {
      const { origin: read, notes: readNotes, ...table } = await readTable(path);
      assert.deepEqual(table, expected);
      assert.deepEqual(read, { source: path, lines: origin!.lines }, 'rows remember their file and line');
      assert.deepEqual(readNotes, notes!.map((note) => note.replace('<text>', path)));
    }
  });

  test('errors name the file: missing file, bad gzip, malformed row', async () => {
    const absent = join(dir, 'absent.csv');
    await assert.rejects(readTable(absent), failsWith(absent, 'not found'));
    const fake = join(dir, 'fake.csv.gz');
    writeFileSync(fake, text);
    await assert.rejects(readTable(fake), failsWith(fake, 'gzip'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n3,4,5\n');
    await assert.rejects(readTable(bad), failsWith(`${bad}, line 3`, 'expected 2 fields but found 3'));
  });
});

describe('row selection', () => {
  const table = parseTable('n,s\n1,a\nNA,b\n3,?\n4,d\n');

  test('selectRows takes rows in the given order', () => {
    const picked = selectRows(table, [3, 0]);
    assert.equal(picked.nRows, 2);
    assert.deepEqual([...values(picked, 'n')], [4, 1]);
    assert.deepEqual(values(picked, 's'), ['d', 'a']);
    assert.throws(() => selectRows(table, [4]), RangeError);
  });

  test('dropRowsWithMissing looks at the given columns, or all', () => {
    assert.deepEqual(values(dropRowsWithMissing(table), 's'), ['a', 'd']);
    assert.deepEqual(values(dropRowsWithMissing(table, ['n']), 's'), ['a', null, 'd']);
    assert.throws(() => dropRowsWithMissing(table, ['nope']), failsWith('"nope"'));
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text as streamText } from 'node:stream/consumers';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DEFAULT_MISSING, parseTable, readTable } from './csv.js';
import { decodeBytes, decodingStream } from './decode.js';

/** Issue 10, "no silent wrong answers": a column's type and a file's text are decided, never guessed quietly. */

/** `n` rows of a numeric column `age` and a group column, with `cells` replacing the ages of the first rows. */
function ages(n: number, cells: string[] = []): string {
  const rows = Array.from({ length: n }, (_, i) => `${cells[i] ?? 20 + i},${i % 2 === 0 ? 'a' : 'b'}`);
  return ['age,group', ...rows].join('\n') + '\n';
}

const declareFix = (token: string, column: string) =>
  `If "${token}" means missing, list it (--missing ${token}, or readTable's missing option); if the column is categorical, declare it (--categorical ${column}, or readTable's types option)`;

describe('column types', () => {
  test("a documented missing token ('n/a') in a numeric column is NaN, and the note counts it", () => {
    const table = parseTable(ages(12, ['31', 'n/a']), { source: 'people.csv' });
    const age = table.columns.get('age')!;
    assert.equal(age.kind, 'numeric');
    assert.deepEqual([...age.values].slice(0, 3), [31, NaN, 22]);
    assert.deepEqual(table.notes, ['people.csv: column "age": 1 of 12 cells read as missing ("n/a" ×1)']);
  });

  test('the notes count every token per column; a file without missing cells has none', () => {
    const table = parseTable('a,b\n1,x\n-,?\nNA,\nnull,N/A\n', { source: 'm.csv' });
    assert.deepEqual(table.notes, ['m.csv: column "a": 3 of 4 cells read as missing ("-" ×1, "NA" ×1, "null" ×1)', 'm.csv: column "b": 3 of 4 cells read as missing ("?" ×1, "" ×1, "N/A" ×1)']);
    assert.equal(parseTable('a\n1\n').notes, undefined);
    assert.deepEqual(DEFAULT_MISSING, ['', 'NA', 'N/A', 'n/a', 'NaN', 'null', '?', '-']);
  });

  test('a stray token in a mostly numeric column is an error naming file, line, column, count and the fix', () => {
    assert.throws(() => parseTable(ages(11, [, , , 'abc'] as string[]), { source: 'people.csv' }), {
      name: 'FairkitError',
      message: `people.csv, line 5, column "age": "abc" is not a number, but 10 of the column's 11 values are numbers (1 cell is not a number: "abc"). ${declareFix('abc', 'age')}`,
    });
    const many = ages(30, ['x', '1', 'y', 'x']);
    assert.throws(() => parseTable(many, { source: 'p.csv' }), { message: `p.csv, line 2, column "age": "x" is not a number, but 27 of the column's 30 values are numbers (3 cells are not numbers: "x", "y"). ${declareFix('x', 'age')}` });
  });

  test('the fixes it names work: the token declared missing, or the column declared categorical', () => {
    const text = ages(11, [, , , 'abc'] as string[]);
    assert.ok(Number.isNaN(parseTable(text, { missing: [...DEFAULT_MISSING, 'abc'] }).columns.get('age')!.values[3] as number));
    assert.equal(parseTable(text, { types: { age: 'categorical' } }).columns.get('age')!.values[3], 'abc');
  });

  test("'Infinity' in a numeric column is an error, even in a short column", () => {
    assert.throws(() => parseTable('x,g\n1,a\nInfinity,b\n-inf,c\n', { source: 'inf.csv' }), {
      message: `inf.csv, line 3, column "x": "Infinity" is not a number, but a numeric column holds finite numbers only (2 cells are not numbers: "Infinity", "-inf"). Replace it with a finite number or a missing token, or declare the column categorical (--categorical x, or readTable's types option)`,
    });
  });

  test('a column declared numeric names the cell that is not a number', () => {
    assert.throws(() => parseTable('id,score\n1,2\n2,high\n3,low\n', { types: { score: 'numeric' }, source: 's.csv' }), {
      message: `s.csv, line 3, column "score": "high" is not a number, but column "score" was declared numeric (2 cells are not numbers: "high", "low"). ${declareFix('high', 'score')}`,
    });
  });

  test('a column of mostly text stays categorical, numbers included', () => {
    const table = parseTable('grade\nA\nB\n3\nC\n');
    assert.deepEqual(table.columns.get('grade'), { kind: 'categorical', values: ['A', 'B', '3', 'C'] });
  });

  test('CRLF line ends and quoted fields spanning lines keep the line numbers right', () => {
    const text = ['age,note', '1,"two\r\nlines"', ...Array.from({ length: 9 }, (_, i) => `${i},"x, y"`), 'abc,z', ''].join('\r\n');
    assert.throws(() => parseTable(text, { source: 'w.csv' }), (error: Error) => error.message.startsWith('w.csv, line 13, column "age": "abc"'));
  });
});

describe('encodings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fairkit-encoding-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  // "Café" and "Cafè" in latin-1: one byte apart, 0xE9 and 0xE8, neither valid UTF-8 here.
  const latin1 = Buffer.from('city,n\r\nCaf\xe9,1\r\n"Caf\xe8",2\r\nCaf\xe9,3\r\n', 'latin1');
  const notUtf8 = (path: string, hex: string, offset: number, line: number) =>
    `${path}, line ${line}: byte ${hex} at byte offset ${offset} is not valid UTF-8. Name the file's encoding (e.g. --encoding latin1, or readTable's encoding option), or save the file as UTF-8`;

  test("a latin-1 'é' is an error naming file, line and offset without an encoding", async () => {
    const path = file('latin1.csv', latin1);
    await assert.rejects(readTable(path), { name: 'FairkitError', message: notUtf8(path, '0xE9', 11, 2) });
    const gz = file('latin1.csv.gz', gzipSync(latin1));
    await assert.rejects(readTable(gz), { message: notUtf8(gz, '0xE9', 11, 2) });
  });

  test('with encoding latin1 the values are right, and two values one byte apart stay two groups', async () => {
    for (const path of [file('l.csv', latin1), file('l.csv.gz', gzipSync(latin1))]) {
      const table = await readTable(path, { encoding: 'latin1' });
      assert.deepEqual(table.columns.get('city')!.values, ['Café', 'Cafè', 'Café']);
      assert.deepEqual([...table.columns.get('n')!.values], [1, 2, 3]);
    }
  });

  test('UTF-8 with and without a BOM reads the same; an unknown encoding is an error', async () => {
    const text = 'city,n\nZürich,1\n東京,2\n😀,3\n';
    const bom = await readTable(file('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])));
    assert.deepEqual(bom.names, ['city', 'n']);
    assert.deepEqual(bom.columns.get('city')!.values, ['Zürich', '東京', '😀']);
    await assert.rejects(readTable(file('u.csv', Buffer.from(text)), { encoding: 'klingon' }), { message: "unknown encoding 'klingon'. Use a WHATWG encoding label such as utf-8, latin1 (windows-1252), iso-8859-2, utf-16le or shift_jis" });
  });

  test('a UTF-16 file is named as such; with its encoding it reads', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\n1\n', 'utf16le')]);
    const path = file('u16.csv', bytes);
    await assert.rejects(readTable(path), { message: `${path}, line 1: byte 0xFF at byte offset 0 is not valid UTF-8. The file starts with a UTF-16 byte-order mark: name its encoding (--encoding utf-16le, or readTable's encoding option)` });
    assert.deepEqual([...(await readTable(path, { encoding: 'utf-16le' })).columns.get('a')!.values], [1]);
  });

  test('the UTF-8 check follows the standard: overlongs, surrogates and cut characters are errors', () => {
    assert.equal(decodeBytes(Buffer.from('€𝄞'), 'ok'), '€𝄞');
    for (const [bytes, offset] of [[[0x61, 0xc0, 0x80], 1], [[0xed, 0xa0, 0x80], 0], [[0xf4, 0x90, 0x80, 0x80], 0], [[0x0a, 0x61, 0xe2, 0x82], 2], [[0x80], 0]] as const) {
      assert.throws(() => decodeBytes(Uint8Array.from(bytes), 'b'), { message: new RegExp(`^b, line ${bytes[0] === 0x0a ? 2 : 1}: byte 0x[0-9A-F]{2} at byte offset ${offset} `) });
    }
  });

  test('a character split across stream chunks decodes, and the offset counts earlier chunks', async () => {
    const bytes = Buffer.from('a\né€\n');
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));
    assert.equal(await streamText(Readable.from(chunks).pipe(decodingStream('s'))), 'a\né€\n');
    const bad = [Buffer.from('ab\n'), Buffer.from([0x63, 0xe9]), Buffer.from(',\n')];
    const decoded = streamText(Readable.from(bad).pipe(decodingStream('s')));
    await assert.rejects(decoded, { message: /^s, line 2: byte 0xE9 at byte offset 4 / });
  });
});

import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { JournalWriter, readJournal } from './journal.js';
import { fakeEntry } from './test-entries.js';

const folder = mkdtempSync(join(tmpdir(), 'fairkit-journal-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const entries = [0, 1, 2].map((seed) => fakeEntry({ seed }, { accuracy: 0.8, ap: 0.7, dp: 0.1, eo: 0.2 }));

function writeJournal(name: string, count = entries.length): string {
  const path = join(folder, name);
  const writer = JournalWriter.open(path);
  for (const entry of entries.slice(0, count)) writer.append(entry);
  writer.close();
  return path;
}

test('appended entries read back whole, one JSON line each', () => {
  const path = writeJournal('round-trip.jsonl');
  const lines = readFileSync(path, 'utf8').split('\n');
  assert.equal(lines.length, entries.length + 1);
  assert.equal(lines.at(-1), '');
  const read = readJournal(path);
  assert.deepEqual(read.entries, entries);
  assert.deepEqual(read.warnings, []);
  assert.deepEqual(readJournal(join(folder, 'missing.jsonl')).entries, []);
});

test('a torn last line from a killed run is dropped with a warning and cut off before appending', () => {
  const path = writeJournal('torn.jsonl', 2);
  const full = readFileSync(path, 'utf8');
  const third = JSON.stringify(entries[2]);
  appendFileSync(path, third.slice(0, third.length / 2));
  const read = readJournal(path);
  assert.deepEqual(read.entries, entries.slice(0, 2));
  assert.match(read.warnings[0], /torn\.jsonl: dropped the incomplete last line 3/);
  const writer = JournalWriter.open(path, read);
  writer.append(entries[2]);
  writer.close();
  assert.equal(readFileSync(path, 'utf8'), `${full}${third}\n`);
  assert.deepEqual(readJournal(path).entries, entries);
});

test('a complete last line that lost only its newline is kept, and the newline restored', () => {
  const path = writeJournal('no-newline.jsonl', 2);
  truncateSync(path, readFileSync(path).length - 1);
  const read = readJournal(path);
  assert.deepEqual(read.entries, entries.slice(0, 2));
  const writer = JournalWriter.open(path, read);
  writer.append(entries[2]);
  writer.close();
  assert.deepEqual(readJournal(path).entries, entries);
});

test('a corrupt line inside the journal is a FairkitError naming the file and the line', () => {
  const path = writeJournal('corrupt.jsonl');
  const lines = readFileSync(path, 'utf8').split('\n');
  lines[1] = lines[1].slice(0, 40);
  writeFileSync(path, lines.join('\n'));
  assert.throws(() => readJournal(path), (error: Error) => error instanceof FairkitError && /corrupt\.jsonl, line 2: not valid JSON/.test(error.message));
});

test('a JSON line that is not an entry, or whose id does not match its spec, is a FairkitError', () => {
  const wrongShape = join(folder, 'shape.jsonl');
  writeFileSync(wrongShape, `${JSON.stringify(entries[0])}\n${JSON.stringify({ trial: entries[1].trial })}\n`);
  assert.throws(() => readJournal(wrongShape), /shape\.jsonl, line 2: not a bench journal entry: result/);
  const edited = join(folder, 'edited.jsonl');
  writeFileSync(edited, `${JSON.stringify({ ...entries[0], trial: { ...entries[0].trial, seed: 7 } })}\n`);
  assert.throws(() => readJournal(edited), /edited\.jsonl, line 1: trial id \w+ does not match/);
});

test('a trial recorded twice is read once, with a warning', () => {
  const path = join(folder, 'twice.jsonl');
  writeFileSync(path, `${[entries[0], entries[1], entries[0]].map((entry) => JSON.stringify(entry)).join('\n')}\n`);
  const read = readJournal(path);
  assert.deepEqual(read.entries, entries.slice(0, 2));
  assert.match(read.warnings[0], /line 3 repeats trial/);
});

test('a journal path that is a folder is a FairkitError naming it', () => {
  const path = join(folder, 'a-folder.jsonl');
  mkdirSync(path);
  assert.throws(() => readJournal(path), (error: Error) => error instanceof FairkitError && /cannot read the journal \(EISDIR\)/.test(error.message) && (error as FairkitError).message.includes('a-folder.jsonl'));
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generateSynthetic } from '../data/synthetic.js';
import type { Table } from '../data/types.js';
import { datasetFingerprint, fairkitVersion } from './provenance.js';
import { journalEntrySchema } from './trial.js';
import { fakeEntry } from './test-entries.js';

const table = (age: number[], city: (string | null)[]): Table => ({
  names: ['age', 'city'],
  columns: new Map([
    ['age', { kind: 'numeric', values: Float64Array.from(age) }],
    ['city', { kind: 'categorical', values: city }],
  ]),
  nRows: age.length,
});

test('the data fingerprint is a sha256 of the values: equal tables agree, any changed value differs', () => {
  const base = datasetFingerprint(table([30, 41], ['Oslo', null]));
  assert.match(base, /^sha256:[0-9a-f]{64}$/);
  assert.equal(datasetFingerprint(table([30, 41], ['Oslo', null])), base);
  const changed = [table([30, 42], ['Oslo', null]), table([30, 41], ['Oslo', 'null']), table([30, 41], ['Oslo', ''])].map(datasetFingerprint);
  assert.equal(new Set([base, ...changed]).size, 4);
});

test('the synthetic data set has the same fingerprint every time it is generated', () => {
  assert.equal(datasetFingerprint(generateSynthetic({ seed: 42 }).table), datasetFingerprint(generateSynthetic({ seed: 42 }).table));
  assert.notEqual(datasetFingerprint(generateSynthetic({ seed: 42 }).table), datasetFingerprint(generateSynthetic({ seed: 43 }).table));
});

test('the fairkit version is the one in package.json', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(fairkitVersion(), manifest.version);
});

test('journal entries read with and without provenance (older journals have none)', () => {
  const old = fakeEntry({ seed: 0 }, { accuracy: 0.8, ap: 0.7, dp: 0.1, eo: 0.2 });
  assert.equal(journalEntrySchema.parse(old).result.provenance, undefined);
  const provenance = { fairkit: '0.1.0', backend: 'wasm', node: 'v20.0.0', data: `sha256:${'0'.repeat(64)}` };
  const recent = fakeEntry({ seed: 0 }, { accuracy: 0.8, ap: 0.7, dp: 0.1, eo: 0.2 }, { provenance });
  assert.deepEqual(journalEntrySchema.parse(recent).result.provenance, provenance);
  assert.throws(() => journalEntrySchema.parse(fakeEntry({ seed: 0 }, { accuracy: 0.8, ap: 0.7, dp: 0.1, eo: 0.2 }, { provenance: { fairkit: 1 } })));
});

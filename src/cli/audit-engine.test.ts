import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { chooseEngine } from './audit-cells-action.js';
import type { AuditFlags } from './audit.js';

const folder = mkdtempSync(join(tmpdir(), 'fairkit-audit-engine-'));
const flags = (extra: Partial<AuditFlags> = {}): AuditFlags => ({ task: 'classification', threshold: 0.5, seed: 0, format: 'table', engine: 'auto', ...extra });
/** A command whose options all came from defaults, except those named. */
const command = (fromCli: string[] = []) => ({ getOptionValueSource: (name: string) => (fromCli.includes(name) ? 'cli' : 'default') }) as unknown as Command;

test('--engine auto: DuckDB for Parquet and for CSV files of 200 MB or more, unless only the in-memory audit can do what was asked', () => {
  const small = join(folder, 'small.csv');
  writeFileSync(small, 'y,p,g\n1,1,a\n');
  const large = join(folder, 'large.csv');
  // A sparse file: 200 MB by its size, no disk used.
  closeSync(openSync(large, 'w'));
  truncateSync(large, 200 * 1024 * 1024);
  assert.equal(chooseEngine([small], flags(), command()), 'memory');
  assert.equal(chooseEngine([join(folder, 'x.parquet')], flags(), command()), 'duckdb');
  assert.equal(chooseEngine([large], flags(), command()), 'duckdb');
  assert.equal(chooseEngine([large], flags({ bootstrap: 100 }), command()), 'memory');
  assert.equal(chooseEngine([large], flags({ task: 'regression' }), command()), 'memory');
  assert.equal(chooseEngine([large], flags({ encoding: 'latin1' }), command(['encoding'])), 'memory');
  assert.equal(chooseEngine([large], flags({ engine: 'memory' }), command(['engine'])), 'memory');
  assert.equal(chooseEngine([small], flags({ engine: 'duckdb' }), command(['engine'])), 'duckdb');
  assert.equal(chooseEngine([join(folder, 'missing.csv')], flags(), command()), 'memory');
});

/**
 * COMPAS restricted to African-American and Caucasian defendants (the comparison of the issue and of Hardt et al.'s
 * FICO-style studies), written as a CSV that `fairkit train` reads: the loader's ProPublica filter and feature
 * set, rows of other races left out, columns = the loader's features and two_year_recid.
 *
 * Run: node --import tsx experiments/compas-two-races.ts OUT.csv   (data from $FAIRKIT_DATA_DIR or ../shared/datasets)
 * Then, per seed: fairkit train --dataset OUT.csv --target two_year_recid --positive 1 --sensitive race … (docs/postprocess.md)
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { resolveDataDir } from '../src/data/data-dir.js';
import { loadDataset } from '../src/data/loaders/index.js';
import { cellText } from '../src/data/table.js';

const RACES = ['African-American', 'Caucasian'];

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: compas-two-races.ts OUT.csv');
  const { table, spec } = await loadDataset('compas', resolveDataDir());
  const columns = [...spec.features!, spec.target];
  const race = table.columns.get('race')!;
  const rows: string[][] = [];
  for (let row = 0; row < table.nRows; row++) {
    if (!RACES.includes(cellText(race, row) ?? '')) continue;
    rows.push(columns.map((name) => cellText(table.columns.get(name)!, row) ?? ''));
  }
  writeFileSync(out, stringify([columns, ...rows]));
  process.stderr.write(`wrote ${rows.length} rows (${RACES.join(', ')}) to ${out}\n`);
}

await main();

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTable } from '../data/csv.js';
import { loadFixtureCases } from '../metrics/fixture-cases.js';
import { auditCellsFromJson, auditCellsToJson } from './audit-cells-json.js';
import { AuditCells } from './audit-cells.js';
import { assertSameAudit, caseCsv, cellsOfText, privilegedOf, tiedScores } from './audit-cells.test-helper.js';
import { auditFromCells } from './audit-from-cells.js';
import { auditTable } from './audit-table.js';

/** Three shards of uneven size, each through JSON text as --partial writes and --merge reads them. */
function mergedShards(header: string, lines: string[], columns: AuditCells['columns']): AuditCells {
  const cuts = [0, Math.floor(lines.length / 7), Math.floor((3 * lines.length) / 5), lines.length];
  const shards = cuts.slice(1).map((end, k) => {
    const cells = cellsOfText(`${header}\n${lines.slice(cuts[k], end).join('\n')}\n`, columns, `shard ${k}`);
    return auditCellsFromJson(JSON.stringify(auditCellsToJson(cells)), `shard ${k}.json`);
  });
  return shards.reduce((all, shard) => all.merge(shard));
}

test('three shards merged audit exactly as one pass over every scikit-learn fixture case (weights dropped)', () => {
  const cases = loadFixtureCases();
  for (const c of cases) {
    const { header, lines, columns } = caseCsv(c);
    const options = { label: 'label', pred: columns.pred ?? undefined, score: columns.score ?? undefined, sensitive: columns.sensitive, threshold: columns.threshold, privileged: privilegedOf(c) };
    const onePass = auditTable(parseTable(`${header}\n${lines.join('\n')}\n`), { ...options, source: 'whole' });
    const merged = auditFromCells(mergedShards(header, lines, columns), { privileged: options.privileged, source: 'shards' });
    assertSameAudit(merged, onePass, c.name);
    if (!c.weights && c.scores) {
      // The unweighted cases' expectations are scikit-learn's own numbers.
      for (const metric of ['ap', 'rocAuc'] as const) {
        const want = c.expected.overall[metric];
        const got = merged.overall[metric];
        assert.ok(want === null ? got === null : Math.abs((got as number) - want) <= 1e-12, `${c.name} ${metric}: ${got} vs ${want}`);
      }
    }
  }
  assert.ok(cases.length >= 14);
});

test('heavily tied scores: shards merged give scikit-learn AP and ROC-AUC (ties in one step), and the one-pass values bit for bit', () => {
  const { csv, expected } = tiedScores();
  const [header, ...lines] = csv.trimEnd().split('\n');
  const columns = { label: 'label', pred: null, score: 'score', sensitive: ['group'], threshold: 0.5, categorical: [] };
  const merged = mergedShards(header, lines, columns);
  // At most 3 shards × 3 groups × 2 labels × 11 scores cells: tied rows are counted, not kept.
  assert.ok(merged.size <= 3 * 3 * 2 * expected.distinctScores, `${merged.size} cells for ${lines.length} rows`);
  const result = auditFromCells(merged, { source: 'shards' });
  assertSameAudit(result, auditTable(parseTable(csv), { label: 'label', score: 'score', sensitive: ['group'], source: 'whole' }), 'tied scores');
  assert.ok(Math.abs((result.overall.ap as number) - expected.ap) <= 1e-12, `ap ${result.overall.ap} vs ${expected.ap}`);
  assert.ok(Math.abs((result.overall.rocAuc as number) - expected.rocAuc) <= 1e-12, `rocAuc ${result.overall.rocAuc} vs ${expected.rocAuc}`);
  assert.ok(Math.abs((result.overall.logLoss as number) - expected.logLoss) <= 1e-12, `logLoss ${result.overall.logLoss} vs ${expected.logLoss}`);
});

test('a column typed over all shards: "1.0" in one shard and "1" in another are one label, as in one pass', () => {
  const columns = { label: 'y', pred: 'p', score: null, sensitive: ['g'], threshold: 0.5, categorical: [] };
  const a = cellsOfText('y,p,g\n1.0,1,a\n0,0,b\n', columns);
  const b = cellsOfText('y,p,g\n1,0,a\n0.0,1,b\n', columns);
  const merged = auditFromCells(a.merge(b), { source: 'shards' });
  const onePass = auditTable(parseTable('y,p,g\n1.0,1,a\n0,0,b\n1,0,a\n0.0,1,b\n'), { label: 'y', pred: 'p', sensitive: ['g'], source: 'whole' });
  assertSameAudit(merged, onePass, 'typed labels');
  assert.equal(merged.positive, '1');
});

test('shards made with different columns or threshold do not merge; a tampered state names what is wrong', () => {
  const columns = { label: 'y', pred: 'p', score: null, sensitive: ['g'], threshold: 0.5, categorical: [] };
  const a = cellsOfText('y,p,g\n1,1,a\n0,0,b\n', columns);
  assert.throws(() => a.merge(new AuditCells({ ...columns, threshold: 0.3 })), /different threshold \(0.5 vs 0.3\)/);
  assert.throws(() => a.merge(new AuditCells({ ...columns, sensitive: ['h'] })), /different sensitive columns/);
  const json = auditCellsToJson(a);
  assert.throws(() => auditCellsFromJson({ ...json, version: 2 }, 'a.json'), /a\.json.*version/);
  assert.throws(() => auditCellsFromJson({ ...json, cells: { ...json.cells, counts: [1] } }, 'a.json'), /one entry per cell/);
  assert.throws(() => auditCellsFromJson({ ...json, cells: { ...json.cells, ids: [[0, 5], [0, 1], [0, 1]] } }, 'a.json'), /refers to value 5 of column 'g'/);
  assert.throws(() => auditCellsFromJson('{"format":', 'a.json'), /a\.json.*not valid JSON/);
});

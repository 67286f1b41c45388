import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { JOURNAL_FILE, writeManifest } from '../bench/manifest.js';
import { FairkitError } from '../errors.js';
import { buildReport, type ReportFiles } from './build-report.js';
import { writeFakeBenchFolder } from './test-report.js';

const root = mkdtempSync(join(tmpdir(), 'fairkit-report-'));
const folder = join(root, 'bench');
let files: ReportFiles;

before(async () => {
  writeFakeBenchFolder(folder);
  files = await buildReport(folder, { now: new Date('2026-01-02T03:04:05Z') });
});
after(() => rmSync(root, { recursive: true, force: true }));

test('the report writes HTML, Markdown, a summary and one SVG per chart', () => {
  // synthetic: two trade-offs, group rates, curves, contribution; adult: the same five.
  assert.equal(files.charts.length, 10);
  for (const chart of files.charts) assert.match(readFileSync(chart, 'utf8'), /^<svg[^>]* width="\d+" height="\d+"/);
  const summary = JSON.parse(readFileSync(files.summary, 'utf8'));
  assert.equal(summary.trials, 8);
  assert.deepEqual(summary.studies.map((study: { dataset: string }) => study.dataset), ['synthetic', 'adult']);
});

test('the HTML is self-contained: every chart an inline SVG, no script, no external resource, unique ids', () => {
  const html = readFileSync(files.html, 'utf8');
  const figures = html.split('<figure class="chart"').slice(1);
  assert.equal(figures.length, files.charts.length);
  for (const figure of figures) assert.match(figure, /<svg[\s\S]*<\/svg>[\s\S]*<\/figure>/);
  assert.doesNotMatch(html, /<script|<link|<img|src="http/);
  const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((match) => match[1]);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique across the inlined charts');
  assert.match(html, /Protocol: FFB \(Han et al\. 2023\)/);
  assert.match(html, /Adult, gender: ERM, 2 runs, beside FFB Table 4/);
  assert.match(html, /<h3>Change against ERM<\/h3>/);
});

test('the Markdown has the tables and links to chart files that exist', () => {
  const markdown = readFileSync(files.markdown, 'utf8');
  const links = [...markdown.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => match[1]);
  assert.equal(links.length, files.charts.length);
  for (const link of links) assert.ok(existsSync(join(folder, link)), link);
  assert.match(markdown, /\| eor λ=0\.5 \* \| 2 \| 79\.00 ± 0\.00 \| 69\.50 ± 0\.71 \|/);
  assert.match(markdown, /\| acc \| 85\.35 ± 0\.34 \| 85\.40 ± 0\.14 \| 0\.05 \| yes \|/);
  // Change against ERM: accuracy −1 and −2 points over the two seeds, mean −1.5 ± t(0.975, 1)·0.5 = ±6.35; ΔDP −10 in both.
  assert.match(markdown, /### Change against ERM\n\nChange against ERM, in points/);
  assert.match(markdown, /\| eor λ=0\.5 \| 2 \| −1\.50 \[−7\.85, \+4\.85\] \| [^|]+ \| −10\.00 \[−10\.00, −10\.00\] \|/);
});

test('a missing or empty journal, a corrupt line and an unwritable folder are FairkitErrors', async () => {
  await assert.rejects(buildReport(join(root, 'nothing')), (error: Error) => error instanceof FairkitError && /no bench journal/.test(error.message));
  const empty = join(root, 'empty');
  writeFakeBenchFolder(empty);
  writeFileSync(join(empty, JOURNAL_FILE), '');
  await assert.rejects(buildReport(empty), /no finished trial/);
  const corrupt = join(root, 'corrupt');
  writeFakeBenchFolder(corrupt);
  const lines = readFileSync(join(corrupt, JOURNAL_FILE), 'utf8').split('\n');
  writeFileSync(join(corrupt, JOURNAL_FILE), [lines[0], '{"trial": oops', ...lines.slice(1)].join('\n'));
  await assert.rejects(buildReport(corrupt), /results\.jsonl, line 2: not valid JSON/);
  const blocker = join(root, 'a-file');
  writeFileSync(blocker, 'not a folder');
  await assert.rejects(buildReport(folder, { out: join(blocker, 'report') }), (error: Error) => error instanceof FairkitError && /cannot be created or written/.test(error.message));
});

test('a torn last line is reported and the finished trials still make the report', async () => {
  const torn = join(root, 'torn');
  writeFakeBenchFolder(torn);
  appendFileSync(join(torn, JOURNAL_FILE), '{"trial":{"id":"');
  const report = await buildReport(torn);
  assert.match(report.warnings[0], /dropped the incomplete last line 9/);
  assert.equal(JSON.parse(readFileSync(report.summary, 'utf8')).trials, 8);
});

test('a report of an interrupted run says which planned trials are missing and quotes that run, not an earlier one', async () => {
  const interrupted = join(root, 'interrupted');
  writeFakeBenchFolder(interrupted);
  const recorded = readFileSync(join(interrupted, JOURNAL_FILE), 'utf8').trim().split('\n').map((line) => JSON.parse(line).trial.id as string);
  const plannedIds = [...recorded, 'not-run-1', 'not-run-2'];
  writeManifest(interrupted, { command: 'fairkit bench --seeds 9', started: '2026-01-01T00:00:00Z', finished: null, planned: plannedIds.length, plannedIds, ran: 0, skipped: 0, failed: 0 });
  const report = await buildReport(interrupted);
  const expected = `the last run planned ${plannedIds.length} trials, of which 2 are not in the journal because it did not finish (interrupted or killed): the tables leave them out. Run the same command again to finish them.`;
  assert.deepEqual(report.warnings, [expected]);
  assert.ok(readFileSync(report.markdown, 'utf8').includes(`> warning: ${expected}`));
  assert.match(readFileSync(report.html, 'utf8'), /Last run: <code>fairkit bench --seeds 9<\/code>/);
  writeManifest(interrupted, { command: 'fairkit bench --seeds 9', started: '2026-01-01T00:00:00Z', finished: '2026-01-01T01:00:00Z', planned: recorded.length, plannedIds: recorded, ran: recorded.length, skipped: 0, failed: 0 });
  assert.deepEqual((await buildReport(interrupted)).warnings, []);
});

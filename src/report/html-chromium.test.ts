import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { buildReport } from './build-report.js';
import { findChromium } from './find-chromium.js';
import { buildRunReport } from './run-report.js';
import { writeFakeBenchFolder, writeFakeRunFolder } from './test-report.js';

const chromium = findChromium();
const skip = chromium === null ? 'chromium not found (install Debian\'s chromium, as .ci/run does, or set FAIRKIT_CHROMIUM)' : false;
if (skip) process.stderr.write(`html-chromium.test: SKIPPED: ${skip}\n`);

const root = mkdtempSync(join(tmpdir(), 'fairkit-chromium-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Appended to a copy of the report: measures every chart after layout and writes the result into the page. */
const PROBE = `<script>
const charts = [...document.querySelectorAll('figure.chart')].map((figure) => {
  const svg = figure.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
  return { id: figure.id, svg: svg !== null, width: box.width, height: box.height, marks: svg ? svg.querySelectorAll('path, line, rect, text').length : 0 };
});
const out = document.createElement('pre');
out.id = 'chart-probe';
out.textContent = JSON.stringify(charts);
document.body.appendChild(out);
</script>`;

/** Opens a copy of the report in headless Chromium and returns what the probe measured of each chart. */
function probeCharts(html: string): { id: string; svg: boolean; width: number; height: number; marks: number }[] {
  const probed = html.replace(/\.html$/, '-probe.html');
  writeFileSync(probed, readFileSync(html, 'utf8').replace('</body>', `${PROBE}\n</body>`));
  const result = spawnSync(chromium!, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', `--user-data-dir=${mkdtempSync(join(root, 'profile-'))}`, '--window-size=1280,1024',
    '--dump-dom', pathToFileURL(probed).href,
  ], { encoding: 'utf8', timeout: 90_000 });
  assert.equal(result.status, 0, `chromium failed: ${result.error?.message ?? result.stderr.slice(-500)}`);
  const json = result.stdout.match(/<pre id="chart-probe">([^<]*)<\/pre>/)?.[1];
  assert.ok(json, 'the probe ran in the page');
  return JSON.parse(json.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

function assertDrawn(charts: ReturnType<typeof probeCharts>, expected: number): void {
  assert.equal(charts.length, expected);
  for (const chart of charts) {
    assert.ok(chart.svg, `${chart.id} has an svg`);
    assert.ok(chart.width > 50 && chart.height > 50, `${chart.id} is drawn at ${chart.width}×${chart.height}`);
    assert.ok(chart.marks > 10, `${chart.id} has marks`);
  }
}

test('headless Chromium draws every chart of the bench report', { skip, timeout: 120_000 }, async () => {
  const folder = join(root, 'bench');
  writeFakeBenchFolder(folder);
  const report = await buildReport(folder);
  assertDrawn(probeCharts(report.html), report.charts.length);
});

test('headless Chromium draws every chart of a train run report', { skip, timeout: 120_000 }, async () => {
  const folder = join(root, 'run');
  writeFakeRunFolder(folder);
  const report = await buildRunReport(folder);
  assertDrawn(probeCharts(report.html), 3);
});
